import json
from datetime import timedelta

from django.utils import timezone

from accounts.crypto import user_keys
from journal.markdown import MAX_LENGTH
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
    assert f"/journal/new/?draft={draft_id}" in signed_in.get("/journal/new/").text

    restored = signed_in.get(f"/journal/new/?draft={draft_id}").text
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
    edit = signed_in.get(f"/journal/{entry.pk}/edit/").text
    assert "You have unsaved changes to this entry" in edit
    assert f"/journal/{entry.pk}/edit/?draft={draft_id}" in edit
    restored = signed_in.get(f"/journal/{entry.pk}/edit/?draft={draft_id}").text
    assert "Changed." in restored and "saved again somewhere else" not in restored
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
