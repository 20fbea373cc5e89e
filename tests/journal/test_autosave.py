import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.crypto import user_keys
from core.markdown import MAX_LENGTH
from journal.models import Draft
from journal.services import DRAFT_OVERWRITE


def autosave(client, **fields):
    return client.post("/journal/autosave/", {"entry_date": "2026-03-14", **fields})


def draft_fields(user, draft_id) -> dict:
    draft = Draft.objects.get(pk=draft_id)
    return json.loads(user_keys(user).decrypt(draft.sealed))


def test_autosave_keeps_a_draft_and_updates_the_same_one(signed_in, user):
    first = autosave(signed_in, title="Morning", body="I woke up")
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    draft_id = first.json()["draft"]
    again = autosave(signed_in, title="Morning", body="I woke up early", draft=draft_id)
    assert again.json()["draft"] == draft_id
    assert Draft.objects.count() == 1
    assert draft_fields(user, draft_id)["body"] == "I woke up early"


def test_an_unfinished_draft_is_offered_back_and_restores_the_form(signed_in, user):
    draft_id = autosave(signed_in, title="Half", body="Half a thought", mood="2").json()["draft"]
    listing = signed_in.get("/journal/").text
    assert "Unfinished writing" in listing and "“Half”" in listing
    assert f"/journal/new/?draft={draft_id}" in listing

    # Followed from the list, or by opening the new-entry form: the form's one draft is back.
    for path in (f"/journal/new/?draft={draft_id}", "/journal/new/"):
        restored = signed_in.get(path).text
        assert "Half a thought" in restored and 'value="Half"' in restored
        assert 'value="2" id="id_mood_2" checked' in restored
        assert f'name="draft" value="{draft_id}"' in restored
        assert "It is not in your journal until you save it" in restored


def test_saving_the_entry_removes_its_draft(signed_in, user):
    draft_id = autosave(signed_in, body="Almost done").json()["draft"]
    response = signed_in.post(
        "/journal/new/", {"body": "Done", "entry_date": "2026-03-14", "draft": draft_id}
    )
    assert response.status_code == 302
    assert not Draft.objects.exists()


def test_a_form_with_no_words_keeps_no_draft(signed_in):
    draft_id = autosave(signed_in, body="typo").json()["draft"]
    cleared = autosave(signed_in, body="  ", title="", draft=draft_id)
    assert cleared.json()["draft"] == ""
    assert not Draft.objects.exists()


def test_a_draft_keeps_text_over_the_entry_limit_but_not_without_end(signed_in):
    assert autosave(signed_in, body="x" * (MAX_LENGTH + 10)).status_code == 200
    refused = autosave(signed_in, body="x" * (2 * MAX_LENGTH + 1))
    assert refused.status_code == 413 and "too long" in refused.json()["error"]


def test_changes_to_an_entry_are_offered_back_on_its_edit_page(signed_in, user, write):
    entry = write(user, body="Saved.")
    draft_id = autosave(signed_in, body="Changed.", entry=entry.pk, version="1").json()["draft"]
    assert f"/journal/{entry.pk}/edit/?draft={draft_id}" in signed_in.get("/journal/").text
    for path in (f"/journal/{entry.pk}/edit/?draft={draft_id}", f"/journal/{entry.pk}/edit/"):
        restored = signed_in.get(path).text
        assert "Changed." in restored and "saved again somewhere else" not in restored
        assert f'name="draft" value="{draft_id}"' in restored
    # A draft of an entry opens on that entry's edit page, wherever it is followed from.
    assert (
        signed_in.get(f"/journal/new/?draft={draft_id}")
        .headers["Location"]
        .startswith(f"/journal/{entry.pk}/edit/")
    )


def test_a_draft_older_than_the_saved_entry_warns_and_then_asks_which_to_keep(
    signed_in, user, write
):
    entry = write(user, body="Version one.")
    draft_id = autosave(signed_in, body="My draft.", entry=entry.pk, version="1").json()["draft"]
    signed_in.post(
        f"/journal/{entry.pk}/edit/",
        {"body": "Version two.", "entry_date": "2026-03-14", "version": "1"},
    )
    restored = signed_in.get(f"/journal/{entry.pk}/edit/?draft={draft_id}").text
    assert "saved again somewhere else after this draft" in restored
    assert 'name="version" value="1"' in restored
    response = signed_in.post(
        f"/journal/{entry.pk}/edit/",
        {"body": "My draft.", "entry_date": "2026-03-14", "version": "1", "draft": draft_id},
    )
    assert response.status_code == 409 and "Version two." in response.text


def test_discarding_a_draft(signed_in, user, write):
    draft_id = autosave(signed_in, body="Never mind").json()["draft"]
    response = signed_in.post(f"/journal/drafts/{draft_id}/discard/")
    assert response.headers["Location"] == "/journal/"
    assert not Draft.objects.exists()


def test_someone_elses_draft_cannot_be_seen_updated_or_discarded(client, user, other_user):
    client.force_login(other_user)
    draft_id = autosave(client, body="Theirs").json()["draft"]
    client.force_login(user)
    assert client.get(f"/journal/new/?draft={draft_id}").status_code == 404
    assert client.post(f"/journal/drafts/{draft_id}/discard/").status_code == 404
    mine = autosave(client, body="Mine", draft=draft_id).json()["draft"]
    assert mine != draft_id  # a new draft of their own, not theirs overwritten
    assert draft_fields(other_user, draft_id)["body"] == "Theirs"


def test_autosaving_an_existing_draft_takes_a_handful_of_queries(
    signed_in, django_assert_max_num_queries
):
    draft_id = autosave(signed_in, body="one").json()["draft"]
    with django_assert_max_num_queries(3):  # user, their key, one UPDATE
        autosave(signed_in, body="one two", draft=draft_id)


def test_the_hand_written_draft_update_names_the_models_table_and_columns():
    meta = Draft._meta
    columns = [meta.get_field(name).column for name in ("sealed", "updated_at", "id", "user")]
    expected = "UPDATE {} SET {} = %s, {} = %s WHERE {} = %s AND {} = %s"
    assert expected.format(meta.db_table, *columns) == DRAFT_OVERWRITE


def test_an_autosave_moves_the_drafts_time_on(signed_in, user):
    draft_id = autosave(signed_in, body="one").json()["draft"]
    Draft.objects.filter(pk=draft_id).update(updated_at=timezone.now() - timedelta(hours=1))
    autosave(signed_in, body="one two", draft=draft_id)
    draft = Draft.objects.get(pk=draft_id)
    assert timezone.now() - draft.updated_at < timedelta(minutes=1)
    assert draft_fields(user, draft_id)["body"] == "one two"


# --- Bounds: one draft per form, every field limited, old drafts purged ------------------


def test_two_hundred_autosaves_without_a_draft_id_keep_one_draft(signed_in, user, settings):
    settings.WRITE_RATE_LIMITS = {"autosave": ((1000, 60),)}  # the rate is tested below
    ids = {autosave(signed_in, title=f"Try {n}", body="words").json()["draft"] for n in range(200)}
    assert len(ids) == 1 and Draft.objects.count() == 1
    assert draft_fields(user, ids.pop())["title"] == "Try 199"  # the latest typing is kept


def test_two_hundred_quick_autosaves_keep_one_draft_and_the_rest_wait(signed_in, user, still_clock):
    statuses = [autosave(signed_in, title=f"Try {n}", body="w").status_code for n in range(200)]
    assert statuses.count(200) == 120 and statuses.count(429) == 80
    assert Draft.objects.count() == 1


def test_autosaves_of_one_entrys_changes_keep_one_draft_apart_from_the_new_entrys(
    signed_in, user, write
):
    entry = write(user, body="Saved.")
    new_entry = autosave(signed_in, body="A new one").json()["draft"]
    changes = {
        autosave(signed_in, body=f"Change {n}", entry=entry.pk, version="1").json()["draft"]
        for n in range(5)
    }
    assert len(changes) == 1 and new_entry not in changes
    assert Draft.objects.filter(user=user, entry=entry).count() == 1
    assert Draft.objects.filter(user=user, entry__isnull=True).count() == 1


def test_an_autosave_naming_a_draft_that_is_gone_takes_over_the_forms_draft(signed_in, user):
    kept = autosave(signed_in, body="Kept").json()["draft"]
    gone = "00000000-0000-4000-8000-000000000000"
    assert autosave(signed_in, body="Again", draft=gone).json()["draft"] == kept
    assert Draft.objects.count() == 1 and draft_fields(user, kept)["body"] == "Again"


def test_another_persons_autosaves_do_not_touch_my_new_entry_draft(client, user, other_user):
    client.force_login(user)
    mine = autosave(client, body="Mine").json()["draft"]
    client.force_login(other_user)
    theirs = autosave(client, body="Theirs").json()["draft"]
    assert mine != theirs and draft_fields(user, mine)["body"] == "Mine"


@pytest.mark.parametrize(
    "field, limit",
    [("body", 2 * MAX_LENGTH), ("title", 1000), ("tags", 1200), ("prompt", 1000),
     ("step", 200), ("entry_date", 32), ("mood", 8)],
)  # fmt: skip
def test_every_draft_field_is_bounded(signed_in, field, limit):
    base = {"body": "words"}
    assert autosave(signed_in, **{**base, field: "x" * limit}).status_code == 200
    Draft.objects.all().delete()
    refused = autosave(signed_in, **{**base, field: "x" * (limit + 1)})
    assert refused.status_code == 413 and "too long" in refused.json()["error"]
    assert not Draft.objects.exists()


def test_a_two_million_character_step_is_refused_not_stored(signed_in):
    refused = autosave(signed_in, body="words", step="x" * 2_000_000)
    assert refused.status_code == 413 and not Draft.objects.exists()


@pytest.mark.parametrize("version", ["9" * 5000, "9" * 30, "-1", "0", "1e9", "٣"])
def test_a_hostile_version_is_ignored_not_a_server_error(signed_in, version):
    response = autosave(signed_in, body="words", version=version)
    assert response.status_code == 200
    draft = Draft.objects.get()
    assert draft.base_version in (None, 3)


def test_purge_trash_also_deletes_drafts_untouched_for_thirty_days(signed_in, user, write, capsys):
    from django.core.management import call_command

    entry = write(user, body="Saved.")
    old = autosave(signed_in, body="Forgotten").json()["draft"]
    recent = autosave(signed_in, body="Recent", entry=entry.pk, version="1").json()["draft"]
    Draft.objects.filter(pk=old).update(updated_at=timezone.now() - timedelta(days=31))
    Draft.objects.filter(pk=recent).update(updated_at=timezone.now() - timedelta(days=29))
    call_command("purge_trash")
    assert "Deleted 1 draft left untouched for over 30 days" in capsys.readouterr().out
    assert list(Draft.objects.values_list("pk", flat=True)) == [uuid.UUID(recent)]


def test_one_person_cannot_have_two_new_entry_drafts_even_by_racing(user):
    from django.db import IntegrityError, transaction

    keys = user_keys(user)
    Draft.objects.create(user=user, sealed=keys.encrypt("{}"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.create(user=user, sealed=keys.encrypt("{}"))


# --- Rate of writes --------------------------------------------------------------------------


def test_autosaves_faster_than_anyone_types_are_refused_with_a_clear_message(
    signed_in, user, settings, still_clock
):
    settings.WRITE_RATE_LIMITS = {"write": ((30, 60),), "autosave": ((5, 60),)}
    draft_id = ""
    for n in range(5):
        draft_id = autosave(signed_in, body=f"n{n}", draft=draft_id).json()["draft"]
    refused = autosave(signed_in, body="too fast", draft=draft_id)
    assert draft_fields(user, draft_id)["body"] == "n4"  # the refused one changed nothing
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    still_clock.return_value += 60  # a minute later the next autosave is kept again
    assert autosave(signed_in, body="later", draft=draft_id).status_code == 200
    assert (
        "Nothing was lost" in refused.json()["error"] and "Wait a minute" in refused.json()["error"]
    )


def test_the_default_autosave_limit_is_above_a_fast_typist_in_three_tabs(signed_in, still_clock):
    # static/js/journal.js autosaves 2.5 s after typing stops: at most 24 a minute a tab.
    for n in range(72):
        assert autosave(signed_in, body=f"n{n}").status_code == 200
