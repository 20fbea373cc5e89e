"""Discreet mode (core.discreet): plain tab titles, senders, labels and file names.

Offered at sign-up, on /safety/, /privacy/ and the account page, and to signed-out
readers in their browser. While it is on, every page the site shows is titled
"Notes" (the crawls below reach every page by its links), emails come from
"Notes" (tests/accounts/test_account_voice.py sends every email both ways), and
every download is named "notes-<date>". The authenticator app's entry is "Notes"
for everyone. tests/browser/test_discreet_mode.py reads Chromium's own history.
"""

import re
from collections import deque
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from django.core import mail
from django.utils import timezone

from accounts.models import User
from boundaries import personal_data as boundaries_part
from core import discreet
from safety import personal_data as safety_part
from safety.models import PlanContent as SafetyPlanContent
from safety.services import plan_save as safety_plan_save
from tests.conftest import answer_safety_check
from tests.factories import (
    ConversationPlanFactory,
    JournalEntryFactory,
    PlanFactory,
    SelfCheckFactory,
)
from tests.tasks import finish_job

from .voice import REVEALING

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HREF = re.compile(r'href="(/[^"#]*)')
# Pages that leave or end the sitting, the admin, and static files are not pages to title.
SKIP = re.compile(r"^/(?:exit/|accounts/logout/|admin/|static/|favicon)")
QUERIES_PER_PATH = 2  # a path's many query strings (?next=, ?prompt=) share one template


def title_of(html: str) -> str:
    found = TITLE.search(html)
    return " ".join(found[1].split()) if found else ""


def crawl_titles(client) -> dict[str, str]:
    """Follow every same-site link from "/"; return {path: title} of each page reached."""
    queue, seen = deque(["/"]), {"/"}
    queries: dict[str, int] = {}
    titles: dict[str, str] = {}
    while queue:
        assert len(titles) < 400, "the crawl does not end"
        path = queue.popleft()
        response = client.get(path)
        if response.status_code in (301, 302, 303):
            links = [response["Location"]]
        elif response["Content-Type"].startswith("text/html"):
            titles[path] = title_of(response.text)
            links = HREF.findall(response.text)
        else:
            continue
        for link in links:
            link = link.replace("&amp;", "&")
            if link in seen or SKIP.search(link) or not link.startswith("/"):
                continue
            seen.add(link)
            if "?" in link:
                base = urlsplit(link).path
                queries[base] = queries.get(base, 0) + 1
                if queries[base] > QUERIES_PER_PATH:
                    continue
            queue.append(link)
    return titles


def turn_on(client, next_path="/"):
    return client.post("/accounts/display/", {"discreet": "on", "next": next_path})


# --- The switch --------------------------------------------------------------------------


def test_a_signed_out_reader_turns_it_on_and_off_in_their_browser(client, db):
    assert title_of(client.get("/safety/").text) == "Safety first · Common Ground"
    response = turn_on(client, "/safety/")
    assert response.status_code == 302
    assert response["Location"] == "/safety/#display"
    assert "discreet" not in response["Location"]  # the history keeps the address
    cookie = response.cookies["view"]
    assert (cookie.value, cookie["httponly"], cookie["samesite"]) == ("plain", True, "Lax")
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    # The page is served from memory to signed-out readers: one copy each way.
    page = client.get("/safety/").text
    assert title_of(page) == "Notes"
    assert "Discreet mode is on." in page and "Turn discreet mode off" in page
    assert not User.objects.exists()  # kept in the browser alone

    response = client.post("/accounts/display/", {"discreet": "off", "next": "/safety/"})
    assert response.cookies["view"]["max-age"] == 0
    assert title_of(client.get("/safety/").text) == "Safety first · Common Ground"


def test_a_signed_in_choice_is_kept_on_the_account_and_in_the_browser(signed_in, user):
    page = signed_in.get("/accounts/").text
    assert "Turn discreet mode on" in page
    response = turn_on(signed_in, "/accounts/")
    assert response["Location"] == "/accounts/#display"
    user.refresh_from_db()
    assert user.discreet is True
    assert response.cookies["view"].value == "plain"
    assert title_of(signed_in.get("/accounts/").text) == "Notes"

    signed_in.post("/accounts/display/", {"discreet": "off", "next": "/accounts/"})
    user.refresh_from_db()
    assert user.discreet is False
    assert title_of(signed_in.get("/accounts/").text) == "Your account · Common Ground"


def test_an_account_with_it_on_is_plain_in_any_browser_it_signs_in_from(client, user, password):
    User.objects.filter(pk=user.pk).update(discreet=True)
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302
    assert response.cookies["view"].value == "plain"  # still plain after signing out
    assert title_of(client.get("/guides/").text) == "Notes"
    client.post("/accounts/logout/")
    assert title_of(client.get("/accounts/login/").text) == "Notes"


def test_a_choice_that_is_neither_on_nor_off_is_refused_and_changes_nothing(signed_in, user):
    response = signed_in.post("/accounts/display/", {"discreet": "maybe", "next": "/"})
    assert response.status_code == 400
    assert "Choose “Turn discreet mode on” or “Turn discreet mode off”." in response.text
    assert "view" not in response.cookies
    user.refresh_from_db()
    assert user.discreet is False


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/", ""])
def test_it_never_sends_anyone_to_another_site(client, db, target):
    response = turn_on(client, target)
    assert response["Location"] == "/accounts/display/#display"


def test_sign_up_offers_it_and_keeps_it_from_the_first_page(client, db, password):
    assert "Discreet mode" in client.get("/accounts/signup/").text
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": password,
            "password2": password,
            "discreet": "on",
        },
    )
    assert response.status_code == 302
    assert response.cookies["view"].value == "plain"
    assert User.objects.get(email="new@example.org").discreet is True
    assert title_of(client.get(response["Location"]).text) == "Notes"
    (message,) = mail.outbox
    assert message.from_email == "Notes <no-reply@example.org>"
    assert message.subject == "Confirm your email address"


def test_sign_up_with_a_taken_address_is_as_plain_and_changes_no_account(client, user, password):
    response = client.post(
        "/accounts/signup/",
        {"email": user.email, "password1": password, "password2": password, "discreet": "on"},
    )
    assert response.cookies["view"].value == "plain"
    (message,) = mail.outbox  # to the address's owner: "You already have an account"
    assert message.from_email == "Notes <no-reply@example.org>"
    user.refresh_from_db()
    assert user.discreet is False


def test_sign_up_ticks_the_box_when_the_browser_has_it_on(client, db):
    turn_on(client)
    page = client.get("/accounts/signup/").text
    assert re.search(r'<input type="checkbox" name="discreet"[^>]* checked', page)


# --- Every title -------------------------------------------------------------------------


def test_every_page_a_signed_out_reader_reaches_is_titled_notes(client, db):
    turn_on(client)
    titles = crawl_titles(client)
    assert {"/", "/safety/", "/privacy/", "/guides/", "/accounts/login/"} <= set(titles)
    assert len(titles) > 40  # the guides' steps, reached by their links
    assert {path: title for path, title in titles.items() if title != "Notes"} == {}


def test_every_page_a_signed_in_person_reaches_is_titled_notes(signed_in, user):
    JournalEntryFactory(user=user, title="Kitchen table", tags=["talks"], mood=3)
    PlanFactory(user=user, title="Boundaries with Sam")
    ConversationPlanFactory(user=user, feeling="hopeful")
    SelfCheckFactory(user=user, answers={"same-issues-return": 3})
    turn_on(signed_in)
    answer_safety_check(signed_in)  # the planner's own pages, past the check in front of them
    titles = crawl_titles(signed_in)
    paths = set(titles)
    for part in ("/journal/", "/plans/", "/conversation-planner/", "/self-check/", "/accounts/"):
        assert any(path.startswith(part) and path != part for path in paths), part
    assert {path: title for path, title in titles.items() if title != "Notes"} == {}


def test_the_error_page_is_titled_notes_from_the_cookie_alone(client, db):
    from pages.views import server_error

    turn_on(client)
    request = client.get("/").wsgi_request
    assert title_of(server_error(request).content.decode()) == "Notes"


# --- Every file name ---------------------------------------------------------------------


@pytest.fixture
def reauthenticated(signed_in, password):
    assert signed_in.post("/accounts/reauthenticate/", {"password": password}).status_code == 302
    return signed_in


def filename(response) -> str:
    found = re.search(r'filename="([^"]+)"', response["Content-Disposition"])
    assert found, response["Content-Disposition"]
    return found[1]


def test_every_download_is_named_notes_and_the_date(reauthenticated, user):
    """Plan PDFs not yet made and the archive come from a job's page (jobs.views.download)."""
    day = timezone.localdate().isoformat()
    # Before: the names discreet mode is there to change.
    archive = finish_job(reauthenticated, reauthenticated.post("/accounts/export/"))
    assert filename(archive) == f"account-data-{day}.zip"
    plan = PlanFactory(user=user, title="Boundaries with Sam")
    printed = finish_job(reauthenticated, reauthenticated.get(f"/plans/{plan.pk}/pdf/"))
    assert filename(printed) == "boundaries-with-sam.pdf"
    safety_plan = {"people": "My sister", "paper": "a4", "sections": "people"}
    response = reauthenticated.post("/safety/plan/pdf/", safety_plan)
    assert filename(response) == f"safety-plan-{day}.pdf"

    turn_on(reauthenticated)
    JournalEntryFactory(user=user, title="Kitchen table")
    # Discreet mode changes the PDF's title: a new PDF, made by a job.
    names = [filename(finish_job(reauthenticated, reauthenticated.get(f"/plans/{plan.pk}/pdf/")))]
    # Made now, so from the cache at once: the name is plain there too.
    names.append(filename(reauthenticated.get(f"/plans/{plan.pk}/pdf/")))
    # The safe-to-print choice untouched: the name is plain whatever the PDF's options.
    with_why = reauthenticated.get(f"/plans/{plan.pk}/pdf/?paper=a4&parts=why")
    names.append(filename(finish_job(reauthenticated, with_why)))
    names.append(filename(reauthenticated.post("/safety/plan/pdf/", safety_plan)))
    for kind in ("json", "zip"):
        response = reauthenticated.post(
            "/journal/export/", {"format": kind, "title": "Personal notes"}
        )
        names.append(filename(response))
    PlanFactory._meta.model.objects.filter(user=user).delete()  # keep the zip's PDFs few
    names.append(filename(finish_job(reauthenticated, reauthenticated.post("/accounts/export/"))))
    kinds = ("pdf", "pdf", "pdf", "pdf", "json", "zip", "zip")
    assert names == [f"notes-{day}.{kind}" for kind in kinds]


def test_the_plans_print_safe_to_print_to_begin_with(signed_in, user):
    plan = PlanFactory(user=user)
    pages = (f"/plans/{plan.pk}/", "/safety/plan/")
    ticked = re.compile(r'<input type="checkbox" name="neutral"[^>]* checked')
    assert [ticked.search(signed_in.get(page).text) for page in pages] == [None, None]
    turn_on(signed_in)
    assert all(ticked.search(signed_in.get(page).text) for page in pages)


# --- The authenticator app ---------------------------------------------------------------


def test_an_authenticator_app_lists_the_account_as_notes(rf, user):
    url = get_mfa_adapter().build_totp_url(user, "JBSWY3DPEHPK3PXP")
    parts = urlsplit(url)
    assert parse_qs(parts.query)["issuer"] == ["Notes"]
    assert parts.path == f"/{user.email.replace('@', '%40')}"
    assert not REVEALING.search(url)


def test_the_setup_page_says_what_the_app_will_call_it(reauthenticated):
    page = reauthenticated.get("/accounts/2fa/totp/activate/").text
    assert "The app will list this account as “Notes”" in page


def test_the_neutral_sender_keeps_the_address():
    assert discreet.sender(True) == "Notes <no-reply@example.org>"
    assert discreet.sender(False) == "Common Ground <no-reply@example.org>"


class CollectedPdfs:
    """Stands in for the archive's PDF budget: keeps each part's PDF maker by file name."""

    def __init__(self) -> None:
        self.makers: dict[str, Callable[..., bytes]] = {}

    def add(self, name: str, make: Callable[..., bytes], *, hint: str) -> None:
        self.makers[name] = make


def test_the_archives_plan_pdfs_carry_a_plain_title_in_discreet_mode(user):
    PlanFactory(user=user, title="Boundaries with Sam")
    safety_plan_save(user=user, content=SafetyPlanContent(warning_signs="He goes quiet"))
    titles = {}
    for plain in (False, True):
        user.discreet = plain
        pdfs = CollectedPdfs()
        boundaries_part.export(user, pdfs)
        safety_part.export(user, pdfs)
        for name, make in pdfs.makers.items():
            pages: list[str] = []
            make(render=lambda html, pages=pages: pages.append(html) or b"%PDF-")
            titles[plain, name.split("/")[0]] = title_of(pages[0])
    assert titles == {
        (False, "plans"): "Boundaries with Sam",
        (False, "safety"): "My safety plan",
        (True, "plans"): "Notes",
        (True, "safety"): "Notes",
    }
