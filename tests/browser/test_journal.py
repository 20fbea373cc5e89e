"""The journal in a real browser: autosave and recovery, two tabs, trash, prompts from the
guides, the PDF as downloaded and rendered to images, no JavaScript, and axe on every page."""

import datetime
import subprocess

import pytest
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from accounts.crypto import user_keys
from guides.content import site_content
from journal.models import Draft, EntryContent, JournalEntry
from journal.selectors import entry_content, new_entry_draft
from journal.services import entry_create
from tests.factories import DraftFactory
from tests.tasks import run_tasks

from .axe import assert_accessible

STEP = site_content().guide("understand-the-resistance").steps[1]  # no safety check before it


def write(user, **fields):
    values = {"title": "", "body": "Words.", "entry_date": timezone.localdate(), "mood": None,
              "tags": (), "prompt": "", "step_key": ""}  # fmt: skip
    values.update(fields)
    return entry_create(user=user, content=EntryContent(**values)).entry


def opened(entry):
    return entry_content(JournalEntry.objects.get(pk=entry.pk), user_keys(entry.user), body=True)


def test_writing_autosaves_and_a_closed_tab_gets_its_draft_back(
    page, context, user, sign_in, live_server
):
    sign_in(user)
    page.goto("/journal/new/")
    page.get_by_label("Title").fill("Kitchen table")
    page.get_by_label("Your entry").press_sequentially("We talked for ten minutes. It was kind.")
    status = page.locator("[data-autosave-status]")
    status.filter(has_text="Draft kept at").wait_for(timeout=8000)
    assert Draft.objects.filter(user=user).count() == 1
    page.close()  # the tab is closed without saving

    again = context.new_page()
    again.goto(live_server.url + "/journal/")
    offer = again.locator(".drafts")
    assert "“Kitchen table”" in offer.inner_text()
    offer.get_by_role("link", name="Continue writing this draft").click()
    # Loaded, so journal.js runs before the Tab below: a box entered before it ran keeps
    # the caret at its start (seen by holding the script back).
    again.wait_for_url("**/journal/new/?draft=*")
    assert (
        again.get_by_label("Your entry").input_value() == "We talked for ten minutes. It was kind."
    )
    assert again.get_by_label("Title").input_value() == "Kitchen table"
    again.get_by_label("Title").focus()
    again.keyboard.press("Tab")  # by keyboard into the text: writing carries on at its end
    again.keyboard.type(" Then tea.")
    again.get_by_role("button", name="Save entry").click()
    again.wait_for_url("**/journal/*/")
    assert "It was kind. Then tea." in again.locator(".entry__body").inner_text()
    assert not Draft.objects.filter(user=user).exists()


def test_words_typed_before_the_script_ran_are_kept_as_a_draft(page, user, sign_in):
    # A slow phone: the form is on screen and typed into while journal.js is on its way.
    sign_in(user)
    held = []
    page.route("**/journal*.js", lambda route: held.append(route))
    page.goto("/journal/new/", wait_until="commit")
    page.get_by_label("Your entry").fill("Typed while the page was loading.")
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()
    page.locator("[data-autosave-status]").filter(has_text="Draft kept at").wait_for(timeout=8000)
    assert Draft.objects.filter(user=user).count() == 1


def test_a_date_chosen_before_the_script_ran_is_kept(page, user, sign_in):
    # The script sets a new entry's date to the browser's today; a day already chosen
    # while it was on its way (or put back by the browser) stays as chosen.
    sign_in(user)
    chosen = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    held = []
    page.route("**/journal*.js", lambda route: held.append(route))
    page.goto("/journal/new/", wait_until="commit")
    page.get_by_label("Date").fill(chosen)
    page.get_by_label("Your entry").fill("About three days ago.")
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()
    page.locator("[data-autosave-status]").filter(has_text="Draft kept at").wait_for(timeout=8000)
    assert page.get_by_label("Date").input_value() == chosen
    assert new_entry_draft(user).fields["entry_date"] == chosen


def test_leaving_with_unsaved_text_warns_but_the_quick_exit_never_waits(
    page, user, sign_in, settings, live_server
):
    settings.QUICK_EXIT_URL = f"{live_server.url}/guides/"  # the tests reach no other host
    sign_in(user)
    page.goto("/journal/new/")
    page.get_by_label("Your entry").press_sequentially("Not saved yet")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", dismiss)
    page.get_by_role("link", name="Entries").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/journal/new/")

    page.locator("[data-quick-exit]").first.click()
    page.wait_for_url("**/guides/", timeout=5000)
    assert dialogs == ["beforeunload"]  # no second warning held up the exit


def test_a_second_tab_saving_later_is_shown_both_versions_and_can_merge(
    page, context, user, sign_in, live_server
):
    entry = write(user, title="Shared", body="First line.")
    sign_in(user)
    other = context.new_page()
    page.goto(f"/journal/{entry.pk}/edit/")
    other.goto(f"{live_server.url}/journal/{entry.pk}/edit/")

    page.get_by_label("Your entry").fill("First line.\nFrom tab one.")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(f"**/journal/{entry.pk}/")

    other.get_by_label("Your entry").fill("First line.\nFrom tab two.")
    other.get_by_role("button", name="Save entry").click()
    other.get_by_text("This entry changed while you were editing it").wait_for()
    assert (
        other.get_by_label("Its text, to copy from").input_value() == "First line.\nFrom tab one."
    )
    assert other.get_by_label("Your entry").input_value() == "First line.\nFrom tab two."
    assert opened(entry).body == "First line.\nFrom tab one."  # nothing overwritten
    assert_accessible(other)

    other.get_by_label("Your entry").fill("First line.\nFrom tab one.\nFrom tab two.")
    other.get_by_role("button", name="Save my version").click()
    other.wait_for_url(f"**/journal/{entry.pk}/")
    assert opened(entry).body == "First line.\nFrom tab one.\nFrom tab two."
    other.close()


def test_a_click_in_the_text_writes_where_it_lands(page, user, sign_in):
    entry = write(user, body="It was kind.")
    sign_in(user)
    page.goto(f"/journal/{entry.pk}/edit/")
    page.get_by_label("Your entry").click(position={"x": 4, "y": 4})  # before the first word
    page.keyboard.type("Then: ")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(f"**/journal/{entry.pk}/")
    assert opened(entry).body == "Then: It was kind."


def test_moving_to_the_trash_can_be_undone(page, user, sign_in):
    entry = write(user, title="Keep this after all")
    sign_in(user)
    page.goto(f"/journal/{entry.pk}/")
    page.get_by_role("button", name="Move to trash").click()
    page.wait_for_url("**/journal/?undo=*")
    assert "is in the trash" in page.locator(".undo-notice").inner_text()
    assert page.get_by_role("link", name="Keep this after all").count() == 0
    page.get_by_role("button", name="Undo").click()
    page.wait_for_url(f"**/journal/{entry.pk}/")
    assert "The entry is back in your journal." in page.locator(".messages").inner_text()


def test_write_about_this_on_a_guide_step_opens_the_journal_with_its_prompt(page, user, sign_in):
    sign_in(user)
    page.goto(STEP.get_absolute_url())
    prompt = STEP.prompts[0]
    page.get_by_role("link", name=prompt).click()  # "Write about this", named by its prompt
    page.wait_for_url("**/journal/new/?*")
    assert page.locator(".prompt-card__text").inner_text() == prompt
    page.get_by_label("Your entry").fill("My answer to the prompt.")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url("**/journal/*/")
    assert page.locator(".prompt-card__text").inner_text() == prompt
    page.get_by_role("link", name=STEP.title).click()
    page.wait_for_url(f"**{STEP.get_absolute_url()}")


def test_need_a_prompt_fills_in_the_prompt_without_losing_what_was_typed(page, user, sign_in):
    sign_in(user)
    page.goto("/journal/new/")
    page.get_by_label("Your entry").fill("Already started.")
    choice = page.locator("[data-use-prompt]").first
    prompt = choice.get_attribute("data-prompt")
    choice.click()
    assert page.locator(".prompt-card__text").inner_text() == prompt
    assert page.get_by_label("Your entry").input_value() == "Already started."
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url("**/journal/*/")
    assert page.locator(".prompt-card__text").inner_text() == prompt


def test_the_journal_works_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/journal/new/")
    page.get_by_label("Your entry").fill("Written without scripts.")
    page.get_by_label("Tags").fill("plain")
    page.get_by_text("Good", exact=True).click()
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url("**/journal/*/")
    assert "Written without scripts." in page.locator(".entry__body").inner_text()
    assert "Mood: Good" in page.content()
    page.get_by_role("button", name="Move to trash").click()
    page.get_by_role("button", name="Undo").click()
    page.wait_for_url("**/journal/*/")


def test_a_pdf_export_downloads_with_a_neutral_name_and_renders_to_pages(
    page, user, sign_in, password, tmp_path
):
    start = datetime.date(2026, 3, 2)
    for day in range(7):
        write(
            user,
            title=f"Week note {day + 1}",
            body=("We talked about *small things* and it went better than I feared.\n\n" * 6)
            + "- listen first\n- one question at a time\n\n> I can only change my part.",
            entry_date=start + datetime.timedelta(days=day * 5),
            mood=(day % 5) + 1,
            tags=("talking", "hope"),
            prompt=STEP.prompts[0] if day == 0 else "",
            step_key=STEP.key if day == 0 else "",
        )
    sign_in(user)  # signing in counts as the password check for the sitting
    page.goto("/journal/export/")
    page.get_by_label("Week note 7").check()  # leave one out
    page.get_by_label("PDF to print or bring to a therapist").check()
    page.get_by_role("button", name="Download").click()  # six entries: made by the worker
    page.wait_for_url("**/jobs/*/")
    assert run_tasks() == 1
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click(timeout=10_000)
    download = download_info.value
    assert download.suggested_filename == "notes-2026-03-02-to-2026-03-27.pdf"
    pdf_path = tmp_path / download.suggested_filename
    download.save_as(pdf_path)

    reader = PdfReader(pdf_path)
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Week note 6" in text and "Week note 7" not in text
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf_path), str(tmp_path / "page")], check=True
    )
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(reader.pages) >= 2
    for image_path in images:
        image = Image.open(image_path)
        assert image.size[1] > image.size[0]  # A4 portrait
        assert len(image.convert("L").getcolors(256)) > 2  # something is drawn on it


@pytest.mark.any_engine  # what axe finds does not depend on the database
def test_every_journal_page_passes_axe_in_light_and_dark(page, user, sign_in, password):
    today = timezone.localdate()
    entry = write(user, title="Seen by axe", body="Some *text*.", mood=3, tags=("a11y",),
                  prompt=STEP.prompts[0], step_key=STEP.key)  # fmt: skip
    write(user, title="A year ago", entry_date=today.replace(year=today.year - 1), mood=4)
    trashed = write(user, title="In the trash")
    JournalEntry.objects.filter(pk=trashed.pk).update(deleted_at=timezone.now())
    DraftFactory(user=user, body="half")
    sign_in(user)
    page.goto("/journal/")  # a search with an error: filters open, messages shown
    page.get_by_label("Search your entries").fill("text")
    page.get_by_text("Filter by tag, mood, guide or date").click()
    page.get_by_label("From").fill("2026-05-01")
    page.get_by_label("To").fill("2026-04-01")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("The “to” date is before the “from” date").wait_for()
    assert_accessible(page)
    for path in (
        "/journal/",
        f"/journal/?undo={trashed.pk}",
        "/journal/new/",
        f"/journal/{entry.pk}/",
        f"/journal/{entry.pk}/edit/",
        "/journal/moods/",
        "/journal/trash/",
        "/journal/import/",
        "/privacy/",
    ):
        page.goto(path)
        assert_accessible(page)
    page.goto("/journal/new/")  # the draft is brought back: empty the form
    page.get_by_label("Your entry").fill("")
    page.get_by_role("button", name="Save entry").click()  # an empty entry: the error state
    page.get_by_text("This entry is empty").first.wait_for()
    assert_accessible(page)
    page.goto("/journal/export/")
    assert_accessible(page)
    page.goto("/accounts/reauthenticate/")  # what export shows once the check has lapsed
    assert_accessible(page)
