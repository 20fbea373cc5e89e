"""The journal's readers open a row into a frozen value and leave the row as it was."""

import dataclasses

import pytest

from accounts.crypto import user_keys
from journal.models import Draft, JournalEntry
from journal.selectors import draft_content, entry_content
from journal.services import draft_save

pytestmark = pytest.mark.django_db


def test_opening_an_entry_sets_nothing_on_the_row(user, write):
    write(user, title="Kept apart", body="Only *here*.", mood=4, tags=["calm"])
    row = JournalEntry.objects.get(user=user)
    opened = entry_content(row, user_keys(user), body=True, html=True)
    assert (opened.title, opened.body, opened.body_html, opened.mood, opened.tags) == (
        "Kept apart",
        "Only *here*.",
        "<p>Only <em>here</em>.</p>",
        4,
        ("calm",),
    )
    assert opened.entry is row and opened.pk == row.pk and opened.version == row.version
    for name in ("title", "body", "body_html", "tags", "mood", "excerpt"):
        assert not hasattr(row, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        opened.title = "Changed"
    assert "Kept apart" not in repr(opened) and "here" not in repr(opened)


def test_the_long_fields_are_opened_only_when_asked(user, write):
    write(user, title="Short", body="The long part.")
    opened = entry_content(JournalEntry.objects.get(user=user), user_keys(user))
    assert opened.title == "Short" and (opened.body, opened.body_html) == ("", "")


def test_opening_a_draft_sets_nothing_on_the_row(user):
    draft_save(
        user=user,
        draft_id=None,
        entry_id=None,
        base_version=None,
        fields={"title": "Half a thought"},
    )
    row = Draft.objects.get(user=user)
    opened = draft_content(row, user_keys(user))
    assert opened.fields["title"] == "Half a thought" and opened.preview == "Half a thought"
    assert opened.pk == row.pk and opened.entry_id is None
    assert not hasattr(row, "fields")
    with pytest.raises(TypeError):
        opened.fields["title"] = "Changed"
    assert "Half a thought" not in repr(opened)
