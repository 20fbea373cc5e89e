"""No URL the site builds or redirects to carries what someone disclosed.

An address ends up in the browser's history, in server and proxy logs and in the
"next" of a sign-in page; someone who checks the device reads it there. So:

1. Every form of every page a visitor or a signed-in person can reach (crawled by
   following links) that submits something a person wrote or answered is a POST.
   A GET form may only carry fields listed in GET_FIELDS, each with its reason.
   Every link's query string may only carry LINK_PARAMS.
2. Every POST form is then submitted with a canary in each text field and the first
   choice of each question, and no redirect it leads to (every Location, followed to
   the end) carries the canary or an answer.
3. The crawl reaches every template of the site that holds a form, so a new form
   cannot escape the check.
"""

import datetime
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from boundaries.models import BoundaryContent, PlanContent
from boundaries.pdf import PrintOptions
from boundaries.services import plan_create, plan_update
from boundaries.tasks import make_plan_pdf, pdf_request, plan_pdf_start
from journal.models import EntryContent
from journal.services import draft_save, entry_create, entry_trash
from reminders import tokens
from reminders.models import Kind, Way
from reminders.services import reminder_set
from safety.models import PlanContent as SafetyPlanContent
from safety.services import plan_save as safety_plan_save
from tests.conftest import answer_safety_check
from tests.factories import PASSWORD, ConversationPlanFactory, SelfCheckFactory

CANARY = "Zq7canaryTold"

# GET forms allowed, by the path they submit to, with the fields they may carry. Each
# carries choices about the page or ids of the person's own records, nothing they wrote.
GET_FIELDS = {
    re.compile(r"^/plans/[0-9a-f-]{36}/pdf/$"): {"paper", "parts", "neutral"},  # print options
    re.compile(r"^/plans/[0-9a-f-]{36}/compare/$"): {"a", "b"},  # version numbers
    re.compile(r"^/self-check/compare/$"): {"a", "b"},  # ids of two of one's own self-checks
    re.compile(r"^/safety/plan/compare/$"): {"a", "b"},  # version numbers
}
# Query parameters the site may put in a link: paths, page numbers, ids, the guides' own
# prompts (site content, not the person's words), the choice of a file format.
LINK_PARAMS = {
    "next", "page", "a", "b", "prompt", "step", "format", "download", "paper",
    "show",  # all rows or only the changes, on a comparison
    "undo",  # the id of the entry just moved to the trash
    "draft",  # the id of one's own draft, to open it again
    "range",  # how many months the mood chart shows
}  # fmt: skip
# Forms not submitted in step 2: they leave, sign out or destroy the crawl's own account.
NOT_SUBMITTED = re.compile(
    r"^/(?:exit/|accounts/logout/|accounts/delete|accounts/password/|accounts/email/"
    r"|accounts/2fa/|accounts/sessions/|accounts/reauthenticate/|accounts/login/|accounts/signup/"
    r"|admin/)"
)
SKIP_LINKS = re.compile(
    r"^/(?:exit/|admin/|accounts/logout/|static/)|/pdf/|[?&](?:download|format)="
)
CAP = 400


class _Forms(HTMLParser):
    """The forms of a page (method, action, fields) and its links."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            self._form["fields"].append(
                {"name": attrs["name"], "type": kind, "value": attrs.get("value") or "",
                 "checked": "checked" in attrs}
            )  # fmt: skip
        elif tag == "button" and attrs.get("name"):
            self._form["fields"].append(
                {"name": attrs["name"], "type": "button", "value": attrs.get("value") or ""}
            )
        elif tag == "textarea" and attrs.get("name"):
            self._form["fields"].append({"name": attrs["name"], "type": "textarea", "value": ""})
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self._form["fields"].append({"name": attrs["name"], "type": "select", "value": None})
        elif tag == "option" and self._select:
            field = self._form["fields"][-1]
            if field["value"] is None or "selected" in attrs:
                field["value"] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


def give_data(user) -> list[str]:
    """Something on every private page, so every form shows; return the pages only an
    email leads to (a reminder's stop link), for the crawl to start from too."""
    for day, title in [(2, "Kitchen table"), (5, "A walk"), (1, "Binned")]:
        saved = entry_create(
            user=user,
            content=EntryContent(
                title=title, body=f"{title}: we talked.", entry_date=datetime.date(2026, 1, day),
                mood=3, tags=("talks",), prompt="", step_key="",
            ),
        )  # fmt: skip
        if title == "Binned":
            entry_trash(entry=saved.entry)
    draft_save(user=user, draft_id=None, entry_id=None, base_version=None, fields={"body": "Half"})
    boundaries = (BoundaryContent(need="Rest", action="I will go to bed at ten."),)
    plan = plan_create(user=user, content=PlanContent(title="Evenings", boundaries=boundaries))
    with transaction.atomic():
        plan_update(plan=plan, content=PlanContent("My evenings", "Sleep", boundaries))
    # A PDF of it made by the worker and not yet downloaded: the plan's page links to the
    # job's progress page, with its Download form.
    options = PrintOptions(paper="letter")
    job = plan_pdf_start(user=user, request=pdf_request(plan, options, datetime.date.today()))
    make_plan_pdf.call(str(job.pk))
    ConversationPlanFactory(user=user, feeling="hopeful", what_happened="We talked.")
    SelfCheckFactory(user=user, answers={"same-issues-return": 3})
    SelfCheckFactory(user=user, answers={"same-issues-return": 4})
    for calm in ("Breathe", "Breathe out slowly"):
        safety_plan_save(user=user, content=SafetyPlanContent(calm=calm))
    reminder = reminder_set(
        user=user, kind=Kind.SELF_CHECK, way=Way.EMAIL, at=datetime.time(9), weeks=4
    )
    return [reverse("reminders:stop", args=[tokens.make(reminder.pk, tokens.Purpose.STOP)])]


def crawl(client, also: list[str]) -> dict[str, tuple[_Forms, list[str]]]:
    """Every page reachable from the home page (and *also*) by links: {path: (parsed page,
    templates)}."""
    pages: dict[str, tuple[_Forms, list[str]]] = {}
    queue = deque(["/", "/guides/search/", "/no-such-page/", *also])
    seen = set(queue)
    while queue and len(pages) < CAP:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code >= 300 or "html" not in response.get("Content-Type", ""):
            continue
        parsed = parse(response.content.decode())
        pages[path] = (parsed, [t.origin.name for t in response.templates if t.origin])
        for href in parsed.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and not SKIP_LINKS.search(target):
                seen.add(target)
                queue.append(target)
    return pages


def get_form_problems(path: str, form: dict) -> list[str]:
    if form["method"] == "post":
        return []
    action = urlsplit(form["action"] or path).path
    allowed = next(
        (fields for pattern, fields in GET_FIELDS.items() if pattern.match(action)), set()
    )
    return [
        f"{path}: a GET form to {action} carries {field['name']!r} ({field['type']})"
        for field in form["fields"]
        if field["name"] not in allowed
    ]


def link_problems(path: str, links: list[str]) -> list[str]:
    problems = []
    for href in links:
        for name, _value in parse_qsl(urlsplit(href).query, keep_blank_values=True):
            if name not in LINK_PARAMS:
                problems.append(f"{path}: a link to {href} carries {name!r}")
    return problems


def sign_in(client, user) -> None:
    """Through the sign-in form, as a person does: pages behind "confirm it's you" open too."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, "signing in failed"


@pytest.fixture
def crawled(client, user):
    """{path: (parsed page, templates)} signed out (paths prefixed) and signed in."""
    from_emails = give_data(user)
    # Signed out, the crawl meets the safety check in front of partner-facing pages.
    signed_out = crawl(client, from_emails)
    sign_in(client, user)
    answer_safety_check(client)  # and past it, the pages and forms it stands in front of
    signed_in = crawl(client, from_emails)
    # A page only a POST leads to: the safety plan's "Print this page", with its form back.
    printed = client.post("/safety/plan/print/", {"paper": "a4", "sections": ["signs"]})
    templates = [t.origin.name for t in printed.templates if t.origin]
    signed_in["/safety/plan/print/ (posted)"] = (parse(printed.content.decode()), templates)
    return {**{f"(signed out) {k}": v for k, v in signed_out.items()}, **signed_in}


def test_no_form_or_link_puts_what_someone_disclosed_in_a_url(crawled):
    assert len(crawled) > 60, "the crawl should reach the whole site"
    problems = []
    for path, (parsed, _templates) in crawled.items():
        bare = path.removeprefix("(signed out) ")
        for form in parsed.forms:
            problems += get_form_problems(bare, form)
        problems += link_problems(bare, parsed.links)
    assert sorted(set(problems)) == []


def test_the_crawl_reaches_every_template_with_a_form(crawled):
    templates = Path(settings.BASE_DIR) / "templates"
    with_forms = {
        str(path)
        for path in templates.rglob("*.html")
        if "<form" in path.read_text("utf-8") and path.parent.name != "elements"
    }
    # The error pages are reached by a broken request, not a link; allauth's pages for
    # states a crawl cannot be in (a code sent, a reset key) are checked by accounts' tests.
    reached = {name for _parsed, names in crawled.values() for name in names}
    unreached = sorted(
        str(Path(path).relative_to(templates))
        for path in with_forms - reached
        if not re.search(r"/(?:account|mfa|usersessions|allauth)/|/(?:40\d|500)\.html$", path)
    )
    assert unreached == []


def _fill(form: dict) -> dict:
    data: dict[str, list[str]] = {}
    radios_done = set()
    for field in form["fields"]:
        name, kind = field["name"], field["type"]
        if kind in ("text", "search", "textarea", "email", "url", "tel"):
            data.setdefault(name, []).append(CANARY)
        elif kind == "radio":
            if name not in radios_done:
                radios_done.add(name)
                data[name] = [field["value"]]
        elif kind == "checkbox":
            data.setdefault(name, []).append(field["value"] or "on")
        elif kind in ("hidden", "select", "number", "date"):
            data.setdefault(name, []).append(field["value"] or "")
    buttons = [f for f in form["fields"] if f["type"] == "button"]
    if buttons:
        data[buttons[0]["name"]] = [buttons[0]["value"]]
    return data


def test_no_redirect_after_any_form_carries_the_canary_or_an_answer(client, user, crawled):
    """Submit every POST form the crawl found (but those that leave or destroy), then
    follow every redirect: no Location may carry what was typed or answered."""
    pages = crawled
    submitted, problems = 0, []
    for path, (parsed, _templates) in pages.items():
        signed_out = path.startswith("(signed out) ")
        bare = path.removeprefix("(signed out) ")
        for form in parsed.forms:
            action = form["action"] or bare
            if form["method"] != "post" or NOT_SUBMITTED.match(action):
                continue
            if signed_out:
                client.logout()
            elif "_auth_user_id" not in client.session:
                sign_in(client, user)
            data = _fill(form)
            answers = {v for values in data.values() for v in values if v and v != CANARY}
            response = client.post(action, data)
            submitted += 1
            hops = 0
            while response.status_code in (301, 302, 303, 307, 308) and hops < 5:
                location = response.headers["Location"]
                query = urlsplit(location).query
                if CANARY in location:
                    problems.append(f"{action} redirects to {location}: the canary")
                for name, value in parse_qsl(query, keep_blank_values=True):
                    if name not in LINK_PARAMS or (value in answers and name != "next"):
                        problems.append(f"{action} redirects to {location}: {name}={value}")
                response = client.get(location)
                hops += 1
    assert submitted > 20
    assert problems == []
