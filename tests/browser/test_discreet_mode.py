"""Discreet mode in Chromium: what the browser itself keeps in its history.

Chromium writes every page it shows, with the page's title, to the History
database of its profile; that list is what someone else opening the history sees.
The first test reads it back after a visit in discreet mode. The second sends the
form with JavaScript off, under the site's real headers (Referrer-Policy:
no-referrer, so Chromium posts with Origin: null).
"""

import sqlite3
from urllib.parse import urlsplit

from .conftest import LAUNCH_ARGS
from .find_chromium import chromium_path


def history(profile) -> dict[str, str]:
    """{address: title} of every entry in the profile's browser history (read once it is
    closed); the address without its origin, its #fragment kept ("/safety/#display")."""
    (database,) = profile.rglob("History")
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT url, title FROM urls").fetchall()
    return {url.removeprefix(origin(url)): title for url, title in rows}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_every_history_entry_reads_notes_once_it_is_on(browser, live_server, tmp_path):
    context = browser.browser_type.launch_persistent_context(
        tmp_path, executable_path=chromium_path(), args=LAUNCH_ARGS, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/safety/")
    assert page.title() == "Safety first · Common Ground"
    page.get_by_role("button", name="Turn discreet mode on").click()
    page.wait_for_url("**/safety/#display")
    assert page.get_by_text("Discreet mode is on.").is_visible()
    page.goto("/guides/")
    page.locator("main a[href^='/guides/']").first.click()  # into a guide, as a reader goes
    page.wait_for_load_state()
    page.goto("/accounts/login/")
    assert page.title() == "Notes"
    context.close()

    entries = history(tmp_path)
    assert {"/safety/", "/safety/#display", "/guides/", "/accounts/login/"} <= set(entries)
    assert len(entries) >= 5, entries  # the guide opened by its link
    # The page it was turned on from too: the script renamed its tab at once.
    assert {path: title for path, title in entries.items() if title != "Notes"} == {}


def test_the_form_works_without_javascript_under_the_real_headers(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/privacy/")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Turn discreet mode on").click()
    assert posted.value.status == 302
    assert posted.value.request.headers.get("origin") == "null"
    page.wait_for_url("**/privacy/#display")
    assert page.title() == "Notes"
    page.get_by_role("button", name="Turn discreet mode off").click()
    page.wait_for_url("**/privacy/#display")
    assert page.title() == "Privacy · Common Ground"
    context.close()
