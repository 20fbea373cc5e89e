import uuid
from datetime import timedelta
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from accounts.crypto import user_keys
from core.markdown import MAX_LENGTH
from guides.content import site_content
from journal.models import JournalEntry
from journal.selectors import entry_content

PROMPT_STEP, PROMPT = site_content().prompts[0]


def entry_form(**fields) -> dict:
    data = {"title": "", "body": "Some words.", "entry_date": "2026-03-14", "mood": "", "tags": ""}
    data.update(fields)
    return data


def owned_urls(entry) -> list[tuple[str, str]]:
    pk = entry.pk
    return [
        ("get", f"/journal/{pk}/"),
        ("get", f"/journal/{pk}/edit/"),
        ("post", f"/journal/{pk}/edit/"),
        ("post", f"/journal/{pk}/delete/"),
        ("post", f"/journal/{pk}/restore/"),
        ("post", f"/journal/{pk}/purge/"),
    ]


# --- Who can see what -------------------------------------------------------------------


# A fixed id (parameters must be the same in every pytest-xdist worker), owned by nobody.
NO_SUCH_ENTRY = uuid.UUID("5c1f0e2a-9d3b-4a6e-8f70-1b2c3d4e5f60")


@pytest.mark.parametrize(
    "path",
    ["/journal/", "/journal/new/", "/journal/moods/", "/journal/trash/", "/journal/export/",
     "/journal/import/", f"/journal/{NO_SUCH_ENTRY}/", f"/journal/{NO_SUCH_ENTRY}/edit/"],
)  # fmt: skip
def test_anonymous_visitors_are_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/?next=")


def test_anonymous_autosave_is_told_it_is_signed_out_and_keeps_nothing(client, db):
    """journal.js reads the 401 as "You have been signed out" (core/signed_out.py)."""
    response = client.post("/journal/autosave/", {"body": "words"}, headers={"Accept": "*/*"})
    assert response.status_code == 401
    assert response.json()["signed_out"] is True
    assert JournalEntry.objects.count() == 0


def test_every_url_of_someone_elses_entry_is_404_and_changes_nothing(
    client, user, other_user, write
):
    entry = write(other_user, title="Not yours")
    client.force_login(user)
    for method, url in owned_urls(entry):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert client.post("/journal/autosave/", {"body": "x", "entry": entry.pk}).status_code == 404
    entry.refresh_from_db()
    assert entry.deleted_at is None and entry.version == 1


def test_entry_ids_in_urls_are_uuids_not_sequential_numbers(user, write):
    first, second = write(user), write(user)
    assert isinstance(first.pk, uuid.UUID) and first.pk.int + 1 != second.pk.int
    assert str(first.pk) in first.get_absolute_url()


def test_journal_pages_are_never_stored_by_browsers_or_proxies(signed_in, user, write):
    entry = write(user)
    for path in ["/journal/", f"/journal/{entry.pk}/", "/journal/new/", "/journal/moods/"]:
        assert "no-store" in signed_in.get(path).headers["Cache-Control"], path


def test_page_titles_never_carry_what_was_written(signed_in, user, write):
    entry = write(user, title="Gloriosa secret title")
    html = signed_in.get(f"/journal/{entry.pk}/").text
    title = html[html.index("<title>") : html.index("</title>")]
    assert "Gloriosa" not in title and "Gloriosa" in html


def test_an_error_while_saving_mails_no_journal_text(client, user, settings):
    settings.ADMINS = ["admin@example.org"]
    client.force_login(user)
    client.raise_request_exception = False
    with mock.patch("journal.services.entry_create", side_effect=RuntimeError("Heliotrope")):
        response = client.post("/journal/new/", entry_form(title="Heliotrope", body="Heliotrope"))
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    assert "Heliotrope" not in mail.outbox[0].body and "RuntimeError" in mail.outbox[0].body


# --- Writing ------------------------------------------------------------------------------


def test_writing_an_entry_stores_it_rendered_and_shows_it(signed_in, user):
    response = signed_in.post(
        "/journal/new/",
        entry_form(title="A calm evening", body="We *talked*.\n\n- walk\n- tea", mood="4",
                   tags="Talking, hope, talking"),
    )  # fmt: skip
    entry = JournalEntry.objects.get(user=user)
    assert response.headers["Location"] == f"/journal/{entry.pk}/"
    page = signed_in.get(response.headers["Location"]).text
    assert "A calm evening" in page and "We <em>talked</em>." in page and "<li>tea</li>" in page
    assert "Mood: Good" in page
    # Each tag searches by it through a POST, so it never lands in a URL.
    assert page.count('class="tag"') == 2 and 'name="tag" value="talking"' in page
    assert "?tag=" not in page
    assert "Your entry is saved." in page


def test_the_body_is_rendered_once_at_save_time_not_on_every_view(signed_in, user, write):
    entry = write(user, body="*once*")
    with mock.patch("core.markdown.markdown.markdown") as render:
        signed_in.get(f"/journal/{entry.pk}/")
        signed_in.get("/journal/")
    render.assert_not_called()


def test_a_new_entry_is_dated_today_by_default(signed_in):
    today = timezone.localdate().isoformat()
    assert f'value="{today}"' in signed_in.get("/journal/new/").text


def test_an_empty_entry_is_refused_with_a_clear_message(signed_in):
    for body in ("", "   \n  "):
        response = signed_in.post("/journal/new/", entry_form(title="Only a title", body=body))
        assert response.status_code == 400
        assert "This entry is empty" in response.text
        assert 'value="Only a title"' in response.text
    assert JournalEntry.objects.count() == 0


def test_a_body_over_the_limit_is_refused_showing_the_limit_and_keeping_the_text(signed_in):
    body = "Marigold " + "x" * MAX_LENGTH
    response = signed_in.post("/journal/new/", entry_form(body=body))
    assert response.status_code == 400
    assert "the limit is 50,000" in response.text and "Shorten it by 9 characters" in response.text
    assert body in response.text  # nothing typed is lost
    assert JournalEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("14/03/2026", "That is not a date we can read. Use the form YYYY-MM-DD"),
        ("2026-02-30", "That is not a date we can read. Use the form YYYY-MM-DD"),
        ("", "Give the entry a date"),
        ("1850-01-01", "The date is too early"),
        ("2999-01-01", "The date is in the future"),
    ],
)
def test_dates_that_cannot_be_used_get_a_clear_error(signed_in, value, message):
    response = signed_in.post("/journal/new/", entry_form(entry_date=value))
    assert response.status_code == 400
    assert message in response.text
    assert JournalEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("work, <script>", "The tag “&lt;script&gt;” can only hold letters"),
        ("work, " + "a" * 40, "is too long: a tag can have 32 characters"),
        (", ".join(f"t{n}" for n in range(13)), "Use at most 12 tags; this entry has 13"),
    ],
)
def test_malformed_tags_get_an_error_naming_the_problem(signed_in, tags, message):
    response = signed_in.post("/journal/new/", entry_form(tags=tags))
    assert response.status_code == 400
    assert message in response.text


def test_the_guides_write_about_this_button_opens_the_journal_with_the_prompt(signed_in, user):
    step_page = signed_in.get(PROMPT_STEP.get_absolute_url()).text
    link = "/journal/new/?" + urlencode({"prompt": PROMPT, "step": PROMPT_STEP.key})
    assert link.replace("&", "&amp;") in step_page
    new_page = signed_in.get(link).text
    assert escape(PROMPT) in new_page
    assert f'href="{PROMPT_STEP.get_absolute_url()}"' in new_page

    response = signed_in.post(
        "/journal/new/", entry_form(body="My answer.", prompt=PROMPT, step=PROMPT_STEP.key)
    )
    page = signed_in.get(response.headers["Location"]).text
    assert escape(PROMPT) in page
    assert f'<a href="{PROMPT_STEP.get_absolute_url()}">{PROMPT_STEP.title}</a>' in page


def test_a_prompt_that_is_not_one_of_the_guides_is_never_shown_or_stored(signed_in, user):
    page = signed_in.get("/journal/new/?prompt=Send+your+password&step=x/y").text
    assert "Send your password" not in page
    signed_in.post("/journal/new/", entry_form(prompt="Made up", step=PROMPT_STEP.key))
    entry = entry_content(JournalEntry.objects.get(user=user), user_keys(user))
    assert (entry.prompt, entry.step_key) == ("", "")


def test_need_a_prompt_offers_three_prompts_from_the_guides(signed_in):
    page = signed_in.get("/journal/new/").text
    assert "Need a prompt?" in page
    assert page.count("data-use-prompt") == 3
    every_prompt = {prompt for _, prompt in site_content().prompts}
    offered = [p for p in every_prompt if f'data-prompt="{escape(p)}"' in page]
    assert len(offered) == 3


def test_editing_saves_the_change_and_raises_the_version(signed_in, user, write):
    entry = write(user, title="First", body="Before.")
    assert 'value="First"' in signed_in.get(f"/journal/{entry.pk}/edit/").text
    response = signed_in.post(
        f"/journal/{entry.pk}/edit/", entry_form(title="Second", body="After.", version="1")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.version == 2 and entry.updated_at > entry.created_at
    assert "After." in signed_in.get(f"/journal/{entry.pk}/").text


def test_a_save_from_an_older_tab_is_a_conflict_showing_both_versions(signed_in, user, write):
    entry = write(user, title="Shared", body="Line one.\nLine two.")
    edit = f"/journal/{entry.pk}/edit/"
    signed_in.post(
        edit, entry_form(title="Shared", body="Line one.\nTab A wrote this.", version="1")
    )
    response = signed_in.post(
        edit, entry_form(title="Shared", body="Line one.\nTab B wrote this.", version="1")
    )
    assert response.status_code == 409
    page = response.text
    assert "This entry changed while you were editing it" in page
    assert "Tab A wrote this." in page and "Tab B wrote this." in page  # both versions
    assert 'name="version" value="2"' in page  # saving again now goes through
    assert "Saved version only:</span> Tab A wrote this." in page
    assert "Your version only:</span> Tab B wrote this." in page
    opened = entry_content(JournalEntry.objects.get(pk=entry.pk), user_keys(user), body=True)
    assert opened.body == "Line one.\nTab A wrote this."  # nothing overwritten

    merged = "Line one.\nTab A wrote this.\nTab B wrote this."
    assert (
        signed_in.post(edit, entry_form(title="Shared", body=merged, version="2")).status_code
        == 302
    )
    opened = entry_content(JournalEntry.objects.get(pk=entry.pk), user_keys(user), body=True)
    assert opened.body == merged and opened.version == 3


def test_keeping_the_saved_version_sets_the_form_aside(signed_in, user, write):
    entry = write(user, body="Saved text.")
    draft = signed_in.post(
        "/journal/autosave/", {"body": "Unsaved text.", "entry": entry.pk, "version": "1"}
    ).json()["draft"]
    response = signed_in.post(
        f"/journal/{entry.pk}/edit/",
        entry_form(body="Unsaved text.", version="1", draft=draft, resolution="theirs"),
    )
    assert response.headers["Location"] == f"/journal/{entry.pk}/"
    opened = entry_content(JournalEntry.objects.get(pk=entry.pk), user_keys(user), body=True)
    assert opened.body == "Saved text." and opened.version == 1
    assert not user.journal_drafts.exists()


def test_saving_an_entry_trashed_in_another_tab_offers_to_save_it_as_new(signed_in, user, write):
    entry = write(user, body="Old.")
    assert signed_in.get(f"/journal/{entry.pk}/edit/").status_code == 200  # open in tab A
    signed_in.post(f"/journal/{entry.pk}/delete/")  # trashed in tab B
    response = signed_in.post(f"/journal/{entry.pk}/edit/", entry_form(body="Kept.", version="1"))
    assert response.status_code == 409
    assert "moved to the trash in the meantime" in response.text
    assert 'action="/journal/new/"' in response.text and "Kept." in response.text
    assert signed_in.post("/journal/new/", entry_form(body="Kept.")).status_code == 302
    assert JournalEntry.objects.for_user(user).live().count() == 1


def test_formatting_too_slow_to_lay_out_saves_as_plain_text_with_a_notice(
    signed_in, user, monkeypatch
):
    monkeypatch.setattr("core.markdown.TIME_LIMIT", 0.2)
    response = signed_in.post("/journal/new/", entry_form(body="[a" * 5000), follow=True)
    assert "shows as plain text" in response.text
    assert "[a[a[a" in response.text
    assert JournalEntry.objects.filter(user=user).count() == 1


# --- Trash ----------------------------------------------------------------------------------


def test_delete_moves_an_entry_to_the_trash_with_undo(signed_in, user, write):
    entry = write(user, title="Oops")
    response = signed_in.post(f"/journal/{entry.pk}/delete/")
    assert response.headers["Location"] == f"/journal/?undo={entry.pk}"
    page = signed_in.get(response.headers["Location"]).text
    assert "is in the trash" in page and f'action="/journal/{entry.pk}/restore/"' in page
    assert "Oops" not in page.split("All entries")[1]
    assert signed_in.get(f"/journal/{entry.pk}/").status_code == 404

    assert (
        signed_in.post(f"/journal/{entry.pk}/restore/").headers["Location"]
        == entry.get_absolute_url()
    )
    assert signed_in.get(f"/journal/{entry.pk}/").status_code == 200


def test_the_trash_lists_entries_with_their_purge_date_and_deletes_for_good(signed_in, user, write):
    keep, purge = write(user, title="Keep me"), write(user, title="Purge me")
    for entry in (keep, purge):
        signed_in.post(f"/journal/{entry.pk}/delete/")
    page = signed_in.get("/journal/trash/").text
    assert "Keep me" in page and "Purge me" in page and "deleted for good on" in page
    signed_in.post(f"/journal/{purge.pk}/purge/")
    assert not JournalEntry.objects.filter(pk=purge.pk).exists()
    signed_in.post("/journal/trash/empty/")
    assert not JournalEntry.objects.filter(user=user).exists()


def test_a_live_entry_cannot_be_purged_without_going_to_the_trash(signed_in, user, write):
    entry = write(user)
    response = signed_in.post(f"/journal/{entry.pk}/purge/", follow=True)
    assert "so it was not deleted" in response.text
    assert JournalEntry.objects.filter(pk=entry.pk, deleted_at=None).exists()
    assert signed_in.get(f"/journal/{entry.pk}/purge/").status_code == 405
    assert signed_in.post(f"/journal/{entry.pk}/restore/").status_code == 302  # nothing to do


def test_purge_trash_deletes_only_what_has_been_in_the_trash_over_30_days(user, write, capsys):
    old, recent, live = write(user), write(user), write(user)
    now = timezone.now()
    JournalEntry.objects.filter(pk=old.pk).update(deleted_at=now - timedelta(days=31))
    JournalEntry.objects.filter(pk=recent.pk).update(deleted_at=now - timedelta(days=29))
    call_command("purge_trash")
    assert "Deleted 1 journal entry" in capsys.readouterr().out
    assert set(JournalEntry.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}


# --- One draft per form, brought back on opening -----------------------------------------


def test_opening_the_new_entry_form_brings_back_its_draft_with_a_prompt_chosen_since(
    signed_in, user
):
    draft_id = signed_in.post("/journal/autosave/", {"body": "Half written"}).json()["draft"]
    link = "/journal/new/?" + urlencode({"prompt": PROMPT, "step": PROMPT_STEP.key})
    page = signed_in.get(link).text
    assert "Half written" in page and f'name="draft" value="{draft_id}"' in page
    assert escape(PROMPT) in page  # the draft had no prompt: the one chosen joins it
    signed_in.post(f"/journal/drafts/{draft_id}/discard/")
    fresh = signed_in.get("/journal/new/").text
    assert "Half written" not in fresh and "This is the writing kept for you" not in fresh


def test_opening_an_entrys_edit_form_brings_back_its_unsaved_changes(signed_in, user, write):
    entry = write(user, body="Saved text.")
    signed_in.post(
        "/journal/autosave/", {"body": "Unsaved change.", "entry": entry.pk, "version": "1"}
    )
    page = signed_in.get(f"/journal/{entry.pk}/edit/").text
    assert "Unsaved change." in page and "This is the writing kept for you" in page
    assert "Discard this draft and go back to the saved entry" in page


# --- Bounds and the rate of writes ----------------------------------------------------------


@pytest.mark.parametrize("version", ["9" * 5000, "9" * 30, "2147483648", "-3", "1.5"])
def test_a_hostile_version_on_the_edit_form_is_a_clear_400_that_changes_nothing(
    signed_in, user, write, version
):
    entry = write(user, body="Saved.")
    response = signed_in.post(
        f"/journal/{entry.pk}/edit/", entry_form(body="Changed.", version=version)
    )
    assert response.status_code == 400 and "Changed." in response.text
    assert JournalEntry.objects.get(pk=entry.pk).version == 1


def test_saving_entries_faster_than_anyone_writes_is_refused_keeping_the_text(
    signed_in, user, still_clock
):
    for n in range(30):  # the default: 30 a minute
        assert signed_in.post("/journal/new/", entry_form(body=f"Entry {n}")).status_code == 302
    response = signed_in.post("/journal/new/", entry_form(title="One more", body="Still here."))
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "more saving in a short time than a person does" in response.text
    assert "Wait a minute and save again" in response.text
    assert "Still here." in response.text and 'value="One more"' in response.text
    assert JournalEntry.objects.count() == 30
    still_clock.return_value += 60
    assert signed_in.post("/journal/new/", entry_form(body="Later.")).status_code == 302


def test_edits_count_against_the_same_budget(signed_in, user, write, settings, still_clock):
    settings.WRITE_RATE_LIMITS = {"write": ((2, 60),)}
    entry = write(user, body="v1")
    for n in (2, 3):
        response = signed_in.post(
            f"/journal/{entry.pk}/edit/", entry_form(body=f"v{n}", version=str(n - 1))
        )
        assert response.status_code == 302
    refused = signed_in.post(f"/journal/{entry.pk}/edit/", entry_form(body="v4", version="3"))
    assert refused.status_code == 429 and "v4" in refused.text
    assert JournalEntry.objects.get(pk=entry.pk).version == 3


def test_the_write_budget_is_per_person(client, user, other_user, settings, still_clock):
    settings.WRITE_RATE_LIMITS = {"write": ((1, 60),)}
    client.force_login(user)
    assert client.post("/journal/new/", entry_form()).status_code == 302
    assert client.post("/journal/new/", entry_form()).status_code == 429
    client.force_login(other_user)
    assert client.post("/journal/new/", entry_form()).status_code == 302


# --- next= after a sign-out carries no search words ------------------------------------------


def test_the_sign_in_pages_next_never_carries_words_from_the_query(client, db):
    from urllib.parse import parse_qs, urlsplit

    for path, expected in [
        ("/journal/?q=divorce+lawyer&tag=legal", "/journal/"),
        ("/journal/search/?page=2&q=divorce", "/journal/search/?page=2"),
        ("/journal/export/?start=2026-01-01&mood=1", "/journal/export/"),
        ("/plans/?anything=at+all", "/plans/"),
        ("/journal/new/?step=a-b/c&prompt=x&other=y", "/journal/new/?step=a-b%2Fc&prompt=x"),
    ]:  # fmt: skip
        location = client.get(path).headers["Location"]
        assert location.startswith("/accounts/login/?next=")
        assert parse_qs(urlsplit(location).query)["next"] == [expected], path
        assert "divorce" not in location and "legal" not in location


def test_an_idle_sign_out_sends_to_sign_in_without_the_query(client, user, settings):
    import time

    client.force_login(user)
    session = client.session
    session["activity_at"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 60
    session.save()
    location = client.get("/journal/?q=divorce+lawyer").headers["Location"]
    assert location == "/accounts/login/?next=/journal/"
