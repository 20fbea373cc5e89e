"""A crawl of every page a visitor and a signed-in user can reach by following links.

Breadth-first from "/", same-origin links only, GET only. Every page: no CSP
violation and no request to another host (the `page` fixture fails the test on
either), and the security headers, with a CSP nonce that is new on a second load
of the same page. Signed in, every page must also be no-store. axe runs once per
view (the first URL of each view the crawl reaches), and on the error pages.
"""

import datetime
import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve

from boundaries.models import BoundaryContent, PlanContent
from boundaries.services import plan_create, plan_update
from journal.models import EntryContent
from journal.services import draft_save, entry_create, entry_trash
from safety.models import PlanContent as SafetyPlanContent
from safety.services import plan_save as safety_plan_save
from tests.factories import ConversationPlanFactory, SelfCheckFactory

from .axe import axe_violations
from .safety import answer_safety_check

# Headers and axe on every page reached, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = pytest.mark.any_engine

CAP = 400  # far above what the site has; reaching it means a link generates links forever
# One page with many query strings (a sign-in page's ?next=, a new entry's ?prompt= from
# each of the guides' prompts) is the same template each time: a few of them stand for all.
QUERIES_PER_PATH = 3
SKIP = re.compile(
    r"^/(?:exit/|admin/|accounts/logout/)"  # leaves or signs out; the admin is not the site's
    r"|[?&](?:download|format)="  # file responses, not pages
)
NONCE = re.compile(r"'nonce-([^']+)'")
# Views a crawl must reach, so that a broken link extraction, or pages that list nothing
# because data did not read back, cannot pass by crawling less (test_every_form too).
REACHED_SIGNED_OUT = {"home", "safety", "privacy", "guides:step", "guides:guide-print",
                      "account_signup", "account_reset_password"}  # fmt: skip
REACHED_SIGNED_IN = {"journal:detail", "journal:edit", "journal:trash", "journal:moods",
                     "boundaries:detail", "boundaries:history", "boundaries:version",
                     "boundaries:compare", "guides:planner-edit", "guides:self-check-detail",
                     "guides:self-check-compare", "accounts:settings"}  # fmt: skip


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def view_of(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return "404"


def header_problems(page, response, *, private: bool, load_again: bool = True) -> list[str]:
    """What is wrong with the headers of *response*; the nonce is checked against a
    second load of the same URL (load_again=False for a POST's response)."""
    url, headers = response.url, response.headers
    problems = []
    csp = headers.get("content-security-policy", "")
    first = NONCE.search(csp)
    if not first:
        problems.append(f"{url}: no CSP with a nonce: {csp!r}")
    if "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
        problems.append(f"{url}: CSP allows unsafe-inline or unsafe-eval")
    expected = {
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
    }
    for name, value in expected.items():
        if headers.get(name) != value:
            problems.append(f"{url}: {name} is {headers.get(name)!r}, not {value!r}")
    if private and "no-store" not in headers.get("cache-control", ""):
        problems.append(f"{url}: signed in, but Cache-Control is {headers.get('cache-control')!r}")
    if not load_again:
        return problems
    again = NONCE.search(page.request.get(url).headers.get("content-security-policy", ""))
    if first and (not again or again[1] == first[1]):
        problems.append(f"{url}: the CSP nonce is not new on a second load")
    return problems


def crawl(
    page, origin: str, *, private: bool, checks: bool = True, on_page=None
) -> tuple[list[str], set[str], list[str]]:
    """Visit every page reachable from "/"; return the paths, the views reached and problems.
    Without *checks*, the headers and axe are left alone (the walk alone: test_every_form's);
    *on_page(path, response)* is called on each page as it stands."""
    queue, seen = deque(["/"]), {"/"}
    queries: Counter[str] = Counter()  # path: how many of its query strings are queued
    visited: list[str] = []
    views: set[str] = set()
    problems: list[str] = []
    while queue:
        assert len(visited) < CAP, f"Crawled {CAP} pages without finishing: {visited[-20:]}"
        path = queue.popleft()
        response = page.goto(path)
        final = path_of(page.url)
        seen.add(final)
        visited.append(path)
        if response.status >= 400:
            problems.append(f"{path}: status {response.status}")
        view = view_of(final)
        if checks:
            problems += header_problems(page, response, private=private)
            if view not in views:
                problems += axe_violations(page)
        views.add(view)
        if on_page:
            on_page(path, response)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urljoin(page.url, href)
            if not url.startswith(origin + "/"):
                continue
            link = path_of(url)
            if link in seen or SKIP.search(link):
                continue
            seen.add(link)
            if "?" in link:
                queries[urlsplit(link).path] += 1
                if queries[urlsplit(link).path] > QUERIES_PER_PATH:
                    continue
            queue.append(link)
    return visited, views, problems


def write(user, title: str, day: int, tags: tuple[str, ...] = (), mood: int | None = None):
    content = EntryContent(
        title=title, body=f"{title}: we talked.", entry_date=datetime.date(2026, 1, day),
        mood=mood, tags=tags, prompt="", step_key="",
    )  # fmt: skip
    return entry_create(user=user, content=content).entry


def give_data(user) -> None:
    """Something on every private page: entries (one in the trash, a draft), a plan with
    three versions, a conversation plan, two self-checks and a safety plan with two versions."""
    write(user, "Kitchen table", 2, ("talks",), mood=2)
    write(user, "A walk", 5, ("calm", "talks"), mood=4)
    entry_trash(entry=write(user, "Binned", 1))
    draft_save(user=user, draft_id=None, entry_id=None, base_version=None, fields={"body": "Half"})
    boundaries = (BoundaryContent(need="Rest", action="I will go to bed at ten."),)
    plan = plan_create(user=user, content=PlanContent(title="Evenings", boundaries=boundaries))
    with transaction.atomic():  # plan_update locks the plan's row
        for title, why in [("Evenings", "Sleep"), ("My evenings", "Sleep")]:
            plan_update(plan=plan, content=PlanContent(title, why, boundaries))
    ConversationPlanFactory(user=user, feeling="hopeful", what_happened="We talked.")
    SelfCheckFactory(user=user, answers={"same-issues-return": 3})
    SelfCheckFactory(user=user, answers={"same-issues-return": 4})
    for calm in ("Breathe", "Breathe out slowly"):
        safety_plan_save(user=user, content=SafetyPlanContent(calm=calm))


def test_every_page_reached_signed_out_has_safe_headers_and_passes_axe(page, live_server):
    visited, views, problems = crawl(page, live_server.url, private=False)
    print(f"\ncrawl signed out: {len(visited)} pages, {len(views)} views checked with axe")
    assert problems == [], "\n".join(problems)
    assert views >= REACHED_SIGNED_OUT  # the crawl really went everywhere


def test_every_page_reached_signed_in_has_safe_headers_and_passes_axe(
    page, live_server, user, sign_in
):
    give_data(user)
    sign_in(user)
    page.goto("/conversation-planner/")  # the check, once in the sitting: the planner behind it
    answer_safety_check(page)
    visited, views, problems = crawl(page, live_server.url, private=True)
    print(f"\ncrawl signed in: {len(visited)} pages, {len(views)} views checked with axe")
    assert problems == [], "\n".join(problems)
    assert views >= REACHED_SIGNED_IN
    # The error page as a signed-in person sees it; and still signed in after the crawl.
    response = page.goto("/no-such-page/")
    assert response.status == 404
    problems = header_problems(page, response, private=True) + axe_violations(page)
    assert problems == [], "\n".join(problems)
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_the_404_403_and_400_pages_have_safe_headers_and_pass_axe(page, live_server):
    problems = []
    response = page.goto("/no-such-page/")
    assert response.status == 404
    problems += header_problems(page, response, private=False) + axe_violations(page)

    # 403: a form whose CSRF token is not the one the browser's cookie matches.
    page.goto("/accounts/login/")
    page.locator("#main input[name=csrfmiddlewaretoken]").evaluate(  # not the passkey form
        "input => input.value = 'not-the-token'"
    )
    page.get_by_label("Email").fill("someone@example.org")
    page.get_by_label("Password").fill("whatever-it-is")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Sign In").click()
    assert navigation.value.status == 403
    problems += header_problems(page, navigation.value, private=False, load_again=False)
    problems += axe_violations(page)

    # 400: more query fields than Django's DATA_UPLOAD_MAX_NUMBER_FIELDS.
    response = page.goto("/guides/search/?" + "&".join(["q=x"] * 1001))
    assert response.status == 400
    problems += header_problems(page, response, private=False) + axe_violations(page)
    assert problems == [], "\n".join(problems)
