"""Import in Chromium, as a person does it: write, export (both files), import them again.

An import is a job: the form leads to its progress page, the worker (run_tasks() here,
between steps) does the work, and the page, updating itself, says when it is done.

The site sends Referrer-Policy: no-referrer, so Chromium posts the import form with
"Origin: null". The import view used to run Django's csrf_protect on top of the
site's own CSRF middleware and answered every real upload with a 403 (issue 13);
the test client sends no Origin and never saw it.
"""

from playwright.sync_api import expect

from accounts.crypto import user_keys
from journal.models import JournalEntry
from journal.selectors import entry_content
from tests.tasks import run_tasks

from .axe import assert_accessible
from .test_crawl import header_problems

ENTRIES = [
    ("Kitchen table", "We talked for *ten minutes*. It was kind.", "talking, hope"),
    ("Before the call", "- breathe\n- one question at a time", "calls"),
]


def titles(user) -> list[str]:
    keys = user_keys(user)
    return sorted(
        entry_content(entry, keys).title for entry in JournalEntry.objects.filter(user=user)
    )


def write_through_the_form(page, title: str, body: str, tags: str) -> None:
    page.goto("/journal/new/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Your entry").fill(body)
    page.get_by_label("Tags").fill(tags)
    page.get_by_label("Good", exact=True).check()
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url("**/journal/*/")


def password_again(page, password):
    """Confirm the password when export asks for it."""
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Confirm").click()


def export_as(page, format_label: str, folder):
    page.goto("/journal/export/")
    page.get_by_label(format_label).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    download = download_info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def test_both_exports_import_again_through_the_file_chooser(
    page, user, sign_in, password, tmp_path
):
    sign_in(user)
    for title, body, tags in ENTRIES:
        write_through_the_form(page, title, body, tags)
    page.goto("/journal/export/")
    if "reauthenticate" in page.url:  # asked only when the sign-in was a while ago
        password_again(page, password)
        page.wait_for_url("**/journal/export/")
    json_file = export_as(page, "JSON (to keep, or to import later)", tmp_path)
    zip_file = export_as(page, "Markdown files in a .zip (to keep, or to import later)", tmp_path)
    assert json_file.suffix == ".json" and zip_file.suffix == ".zip"

    posts = []
    page.on(
        "request",
        lambda request: posts.append(request.headers) if request.method == "POST" else None,
    )
    for number, path in enumerate((json_file, zip_file)):
        JournalEntry.objects.filter(user=user).delete()  # as if on a new account
        response = page.goto("/journal/import/")
        assert header_problems(page, response, private=True) == []
        if number == 0:  # the way a person does it: click the button, choose in the dialog
            with page.expect_file_chooser() as chooser:
                page.get_by_label("Export file").click()
            chooser.value.set_files(path)
        else:
            page.get_by_label("Export file").set_input_files(path)
        page.get_by_role("button", name="Import").click()
        page.wait_for_url("**/jobs/*/")
        expect(page.get_by_role("status")).to_contain_text("0 of 2 done")
        assert run_tasks() == 1
        # The result's heading takes the focus (a screen reader reads it), with the counts.
        done = page.get_by_role("heading", name="Your entries are in your journal")
        expect(done).to_be_focused(timeout=10_000)
        expect(page.locator("[data-job-part]")).to_contain_text("Imported 2 entries.")
        assert titles(user) == ["Before the call", "Kitchen table"]
        page.get_by_role("link", name="Open your journal").click()
        expect(page.get_by_role("link", name="Kitchen table")).to_be_visible()

    assert len(posts) == 2 and all(headers.get("origin") == "null" for headers in posts)


def test_a_refused_file_says_why_in_the_browser(page, user, sign_in, tmp_path):
    sign_in(user)
    broken = tmp_path / "notes.json"
    broken.write_text('{"format": "common-ground-journal", "version": 1, "entries": [{}]}')
    page.goto("/journal/import/")
    page.get_by_label("Export file").set_input_files(broken)
    page.get_by_role("button", name="Import").click()
    alert = page.get_by_role("alert")
    assert "Nothing was imported" in alert.inner_text()
    assert "Entry 1: has no date." in alert.inner_text()
    assert not JournalEntry.objects.filter(user=user).exists()


def test_the_file_picker_looks_like_the_sites_other_controls(page, user, sign_in):
    sign_in(user)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/journal/import/")
        picker = page.get_by_label("Export file")
        style = picker.evaluate(
            """input => {
                const own = getComputedStyle(input);
                const button = getComputedStyle(input, '::file-selector-button');
                const site = getComputedStyle(document.querySelector('button.button'));
                return {
                    border: own.borderTopWidth + ' ' + own.borderTopStyle,
                    height: input.getBoundingClientRect().height,
                    width: input.getBoundingClientRect().width,
                    formWidth: input.closest('form').getBoundingClientRect().width,
                    buttonFont: button.fontWeight, siteFont: site.fontWeight,
                    buttonColor: button.color, siteColor: site.backgroundColor,
                    buttonRadius: button.borderTopLeftRadius,
                };
            }"""
        )
        assert style["border"] == "2px solid", style
        assert style["height"] >= 44, style  # a touch target, like the other controls
        assert style["width"] <= style["formWidth"], style  # no overflow at 390 px
        assert style["buttonFont"] == style["siteFont"] == "700", style
        assert style["buttonColor"] == style["siteColor"], style  # the site's accent
        assert style["buttonRadius"] != "0px", style
        assert_accessible(page)  # light and dark: the picker's colours keep their contrast
