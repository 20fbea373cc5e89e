"""Searching the journal in Chromium leaves the words in no URL: not the address bar, not the
history, not a request line (what a server's access log records), not a redirect."""

import datetime

from django.utils import timezone

from journal.models import EntryContent
from journal.selectors import PAGE_SIZE
from journal.services import entry_create

from .axe import assert_accessible

SECRETS = ("divorce", "lawyer", "custody", "legal", "2026-01-0", "mood=", "tag=", "q=")


def write(user, **fields):
    values = {"title": "", "body": "Words.", "entry_date": timezone.localdate(), "mood": None,
              "tags": (), "prompt": "", "step_key": ""}  # fmt: skip
    values.update(fields)
    return entry_create(user=user, content=EntryContent(**values)).entry


def watch_urls(page) -> list[str]:
    """Every URL the browser asked for, and every redirect's Location, as they happen."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("response", lambda response: seen.append(response.headers.get("location") or ""))
    return seen


def history(page) -> list[str]:
    """The tab's history entries, as the browser keeps them (DevTools protocol)."""
    session = page.context.new_cdp_session(page)
    entries = session.send("Page.getNavigationHistory")["entries"]
    session.detach()
    return [entry["url"] for entry in entries]


def assert_no_secret(urls: list[str]) -> None:
    for url in urls:
        for secret in SECRETS:
            assert secret not in url, (secret, url)


def access_log(monkeypatch) -> list[str]:
    """The live server's access log: each request line as a server logs it."""
    from django.test.testcases import QuietWSGIRequestHandler

    lines: list[str] = []
    monkeypatch.setattr(
        QuietWSGIRequestHandler, "log_message", lambda self, fmt, *args: lines.append(fmt % args)
    )
    return lines


def test_a_search_keeps_its_words_out_of_the_address_bar_history_and_requests(
    page, user, sign_in, monkeypatch
):
    start = datetime.date(2026, 1, 1)
    for day in range(PAGE_SIZE + 2):
        write(user, title=f"Note {day}", body="Call the divorce lawyer about custody.",
              tags=("legal",), mood=2, entry_date=start + datetime.timedelta(days=day))  # fmt: skip
    write(user, title="Unrelated", body="A walk in the park.")
    sign_in(user)
    seen = watch_urls(page)
    logged = access_log(monkeypatch)

    page.goto("/journal/")
    page.get_by_label("Search your entries").fill("divorce lawyer")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/journal/search/")
    assert page.url.endswith("/journal/search/")
    assert page.get_by_label("Search your entries").input_value() == "divorce lawyer"
    assert (
        f"{PAGE_SIZE + 2} entries with “divorce lawyer”"
        in page.locator(".results-head").inner_text()
    )

    page.get_by_role("link", name="Older entries").click()  # the next page keeps the search
    page.wait_for_url("**/journal/search/?page=2")
    assert page.locator(".entry-card").count() == 2
    assert_accessible(page)  # the results, with tags as buttons and "Clear search"

    # A tag on an entry searches by it, through a POST as well.
    page.get_by_role("button", name="Show entries tagged legal").first.click()
    page.wait_for_url("**/journal/search/")
    assert page.get_by_label("Tag").input_value() == "legal"

    # The filters, dates and mood included.
    page.get_by_label("From").fill("2026-01-05")
    page.get_by_label("Mood").select_option("2")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/journal/search/")
    assert page.locator(".entry-card").count() == PAGE_SIZE - 2

    page.go_back()  # back through the history: every entry is a plain address
    page.go_forward()
    page.get_by_role("button", name="Clear search and filters").click()
    page.wait_for_url("**/journal/")
    assert "All entries" in page.content()
    assert page.locator(".entry-card").count() == PAGE_SIZE

    visited = history(page)
    assert any(url.endswith("/journal/search/?page=2") for url in visited)
    assert any('"POST /journal/search/ HTTP/1.1" 302' in line for line in logged), logged
    assert_no_secret([page.url, *visited, *seen, *logged])


def test_searching_without_javascript_works_the_same(page_without_js, user):
    write(user, title="Found", body="divorce lawyer")
    write(user, title="Other", body="Nothing to see.")
    page = page_without_js
    seen = watch_urls(page)
    page.goto("/journal/")
    page.get_by_label("Search your entries").fill("lawyer")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/journal/search/")
    assert [card.inner_text() for card in page.locator(".entry-card__title").all()] == ["Found"]
    page.get_by_label("Search your entries").fill("🌱")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_text("No entries are shown: the search had no words to look for").wait_for()
    assert page.locator(".entry-card").count() == 0
    assert_no_secret([page.url, *seen])


def test_signed_out_mid_search_the_sign_in_address_holds_no_words(page, user, sign_in, settings):
    write(user, title="Found", body="divorce lawyer")
    sign_in(user)
    page.goto("/journal/")
    page.get_by_label("Search your entries").fill("divorce")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/journal/search/")
    page.context.clear_cookies()  # the session ends (idle timeout, another tab signing out)
    seen = watch_urls(page)
    page.reload()
    page.wait_for_url("**/accounts/login/**")
    assert page.url.endswith("/accounts/login/?next=/journal/search/")
    assert_no_secret([page.url, *seen, *history(page)])
