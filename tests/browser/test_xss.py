"""Cross-site scripting, in the browser: every payload of tests/security/xss_payloads.txt in
every field a person writes, shown through the real pages in headless Chromium.

The walk runs twice. With the CSP switched off (settings.SECURE_CSP = {}), every payload
on every page that shows it, so the escaping and nh3 are shown to hold alone. With the
site's Content-Security-Policy, every payload on every list and on one of its own pages
by turns (the two layers together: what the first walk shows of the escaping holds here).
The CSP alone is shown in test_the_csp_alone_stops_raw_payloads: the raw payloads served
with the site's header run nothing, where without it they run (so the detectors are live).

On every page, a payload that ran or a trap it left is found by:
- window.__xss(n), which every payload that runs calls (a binding into this test), and
  dialogs (alert, confirm, prompt);
- the page fixture: a console error (a CSP violation is one) or a request to another host;
- scan(): no event-handler attribute, script, frame, object, image, media, MathML or
  active SVG element anywhere in the document, no URL in an attribute that leads off the
  site (links may also go to https:, mailto: and tel:);
- and the user's text, which must be on the page exactly as written (as text, or as a
  field's value), so a payload that turned into markup cannot pass unseen.

One payload per object (entry, draft, plan, conversation plan, self-check), so one
payload's broken markup cannot hide another's.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from boundaries.models import BoundaryContent, PlanContent
from boundaries.services import plan_create, plan_update
from guides.content import site_content
from journal.exports import ImportRow
from journal.models import EntryContent
from journal.selectors import PAGE_SIZE as JOURNAL_PAGE_SIZE
from journal.services import draft_save, entries_import
from tests.factories import ConversationPlanFactory, SelfCheckFactory
from tests.security.xss import PAYLOADS, Payload

from .safety import answer_safety_check

# The escaping, nh3 and the CSP, in the browser, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = pytest.mark.any_engine

PLANNER_FIELDS = [
    "feeling", "situation", "reason", "request", "when_where", "opening_line", "questions",
    "if_it_goes_badly", "what_happened", "what_i_felt", "what_next",
]  # fmt: skip
BOUNDARY_FIELDS = BoundaryContent.TEXT_FIELDS

DETECT = r"""
(() => {
  if (window.top !== window) return;
  const violations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    violations.push(`the CSP blocked ${event.effectiveDirective} ${event.blockedURI}`);
  });
  window.addEventListener("error", (event) => violations.push(`a script error: ${event.message}`));

  function scan(texts, values) {
    const problems = [...violations];
    const origin = location.origin;
    const URL_ATTRIBUTES = new Set([
      "href", "src", "action", "xlink:href", "data", "poster", "background", "ping", "srcset",
      "codebase", "cite", "longdesc", "manifest", "archive", "classid", "lowsrc", "dynsrc",
      "itemtype", "usemap",
    ]);
    const NEVER = [
      "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "base", "img",
      "picture", "video", "audio", "source", "track", "input[type=image]", "isindex",
      "keygen", "marquee", "noembed", "xmp", "plaintext", "math", "meta[http-equiv]",
      "foreignObject", "animate", "animateMotion", "animateTransform", "set", "use", "image",
      "svg a", "svg script", "svg style", "style:not([nonce])", "[popover]",
    ].join(",");
    const describe = (el, attr) =>
      `<${el.localName}${attr ? ` ${attr.name}="${attr.value.slice(0, 80)}"` : ""}>`;

    function scanUrl(el, attr) {
      const candidates = attr.name.toLowerCase().endsWith("srcset")
        ? attr.value.split(",").map((part) => part.trim().split(/\s+/)[0])
        : [attr.value];
      for (const candidate of candidates) {
        let url;
        try {
          url = new URL(candidate.trim(), document.baseURI);
        } catch (error) {
          problems.push(`an unreadable URL: ${describe(el, attr)}`);
          continue;
        }
        const link = ["a", "area"].includes(el.localName) && attr.name === "href";
        const allowed = url.origin === origin
          || (link && ["https:", "mailto:", "tel:"].includes(url.protocol));
        if (!allowed) problems.push(`a URL off the site: ${describe(el, attr)}`);
      }
    }

    function walk(root) {
      for (const el of root.querySelectorAll("*")) {
        for (const attr of el.attributes) {
          const name = attr.name.toLowerCase();
          if (name.startsWith("on") || name === "srcdoc" || name === "formaction") {
            problems.push(`an active attribute: ${describe(el, attr)}`);
          } else if (URL_ATTRIBUTES.has(name)) {
            scanUrl(el, attr);
          } else if (name === "style" && /url\(|expression|@import/i.test(attr.value)) {
            problems.push(`a style that fetches: ${describe(el, attr)}`);
          }
        }
        // Django's json_script: data, never run.
        if (el.localName === "script" && !(el.type === "application/json" && el.id)) {
          const src = el.src ? new URL(el.src) : null;
          if (!src || src.origin !== origin || !src.pathname.startsWith("/static/")) {
            problems.push(`a script that is not the site's: ${el.outerHTML.slice(0, 120)}`);
          }
        }
        if (el.localName === "link" && el.relList.contains("stylesheet")
            && !new URL(el.href).pathname.startsWith("/static/")) {
          problems.push(`a stylesheet that is not the site's: ${describe(el)}`);
        }
        if (el.localName === "template") walk(el.content);
      }
      for (const el of root.querySelectorAll(NEVER)) {
        problems.push(`an element the site never writes: ${el.outerHTML.slice(0, 120)}`);
      }
    }
    walk(document);

    const squeeze = (text) => text.replace(/\s+/g, "");
    const shown = squeeze(document.body.textContent);
    for (const text of texts) {
      if (!shown.includes(squeeze(text))) {
        problems.push(`not shown as written: ${text.slice(0, 80)}`);
      }
    }
    for (const [selector, expected] of values) {
      const fields = document.querySelectorAll(selector);
      if (fields.length === 0) problems.push(`no field ${selector}`);
      for (const input of fields) {
        if (input.value !== expected) {
          problems.push(`${selector} holds ${JSON.stringify(input.value.slice(0, 80))}`);
        }
      }
    }
    return problems;
  }

  window.__xssScan = ([texts, values]) => scan(texts, values);
})();
"""


@dataclass
class Visit:
    url: str
    texts: list[str] = field(default_factory=list)  # shown on the page, exactly
    values: list[tuple[str, str]] = field(default_factory=list)  # (selector, each field's value)
    payload: Payload | None = None
    # The journal's search is a POST (its words stay out of URLs): fields typed into the
    # search form at *url* and sent; a refused search (400) still shows them back.
    search: dict[str, str] | None = None

    def where(self) -> str:
        return f"{self.url[:90]} ({self.payload})" if self.payload else self.url


def one_line(text: str) -> str:
    """What a single-line input holds: browsers drop the line breaks of its value."""
    return text.replace("\r", "").replace("\n", "")


def _query(**params: str) -> str:
    return urlencode(params)


# --- The data: one payload per object, in every field --------------------------------------
#
# Every payload is shown on its entry's page, its plan's page, its conversation plan (the
# form or the printable page, by turns) and its self-check. The pages that show the same
# text again another way (the entry form restoring a draft, the plan builder, the journal's
# search and tag filter, the guides' search) take the payloads by turns, so each payload
# appears on one of them and each of them gets a quarter of the corpus. Lists show all.


def make_objects(user, *, every_page: bool = True) -> list[Visit]:
    """The objects, and the pages to visit. Without *every_page*, each payload is visited
    on one of its five pages, by turns (the lists still show them all)."""
    today = timezone.localdate()
    now = timezone.now()
    rows = [
        ImportRow(
            id=uuid.uuid4(),
            content=EntryContent(
                title=payload.text,
                body=payload.text,
                entry_date=today - datetime.timedelta(days=index),
                mood=index % 5 + 1,
                tags=(payload.text,),  # the form refuses most of these: pages must not rely on it
                prompt="",
                step_key="",
            ),
            created_at=now,
            updated_at=now,
        )
        for index, payload in enumerate(PAYLOADS)
    ]
    # The import service renders each body with the code a save uses (core.markdown),
    # in one child process for all of them.
    assert entries_import(user=user, rows=rows)[:2] == (len(rows), 0)

    answers = {question.id: 3 for question in site_content().questions}
    yesterday = today - datetime.timedelta(days=1)
    visits = []
    for index, (payload, row) in enumerate(zip(PAYLOADS, rows, strict=True)):
        text = payload.text
        boundary = BoundaryContent(**dict.fromkeys(BOUNDARY_FIELDS, text), review_on=yesterday)
        plan = plan_create(user=user, content=PlanContent(text, text, (boundary,)))
        changed = BoundaryContent.of(boundary, status="holding")  # version 2, to compare
        plan_update(plan=plan, content=PlanContent(text, text, (changed,)))
        planner = ConversationPlanFactory(user=user, **dict.fromkeys(PLANNER_FIELDS, text))
        check = SelfCheckFactory(user=user, answers=answers, note=text)
        fields = {"title": text, "body": text, "tags": text, "entry_date": today.isoformat(),
                  "mood": "", "prompt": "", "step": ""}  # fmt: skip
        draft = draft_save(user=user, draft_id=None, entry_id=row.id, base_version=1, fields=fields)

        visits += [
            Visit(f"/journal/{row.id}/", texts=[text]),
            Visit(f"/plans/{plan.pk}/", texts=[text]),
            Visit(f"/self-check/{check.pk}/", texts=[text]),
            [
                Visit(
                    f"/conversation-planner/{planner.pk}/",
                    values=[(f"[name={name}]", text) for name in PLANNER_FIELDS],
                ),
                Visit(
                    f"/conversation-planner/{planner.pk}/print/",
                    texts=[text.strip().rstrip(".")],
                ),
            ][index % 2],
            [
                Visit(
                    f"/journal/{row.id}/edit/?draft={draft}",
                    values=[
                        ("[name=title]", one_line(text)),
                        ("[name=body]", text),
                        ("[name=tags]", one_line(text)),
                    ],
                ),
                Visit(
                    f"/plans/{plan.pk}/edit/",
                    values=[
                        ("[name=title]", one_line(text).strip()),
                        ("[name=why]", text),
                        *((f"[name$='-{name}']", text) for name in BOUNDARY_FIELDS),
                    ],
                ),
                Visit(
                    "/journal/",
                    values=[("[name=q]", one_line(text[:200]))],
                    search={"q": text[:200], "tag": text},
                ),
                Visit(
                    "/guides/search/?" + _query(q=text[:200]),
                    values=[("[name=q]", one_line(text[:200]))],
                ),
            ][index % 4],
        ]
        for visit in visits[-5:]:
            visit.payload = payload
        if not every_page:  # this payload's turn: one of its five pages
            kept = visits[-5 + index % 5]
            del visits[-5:]
            visits.append(kept)

    pages = -(-len(PAYLOADS) // JOURNAL_PAGE_SIZE)
    for number in range(1, pages + 1):  # newest first: the payloads in corpus order
        shown = PAYLOADS[(number - 1) * JOURNAL_PAGE_SIZE : number * JOURNAL_PAGE_SIZE]
        visits.append(Visit(f"/journal/?page={number}", texts=[p.text for p in shown]))
    last = plan.pk  # the last payload's
    visits += [
        Visit("/"),  # the boundaries due for review
        Visit("/journal/new/"),
        Visit("/journal/export/"),
        Visit("/journal/moods/"),
        Visit("/plans/", texts=[p.text for p in PAYLOADS]),
        Visit(f"/plans/{last}/compare/?a=1&b=2", texts=[PAYLOADS[-1].text]),
        Visit(f"/plans/{last}/history/"),
        Visit("/conversation-planner/"),
        Visit("/self-check/"),
    ]
    return visits


# --- The passes -------------------------------------------------------------------------------


@pytest.fixture(params=["with the CSP", "without the CSP"])
def csp(request, settings):
    if request.param == "without the CSP":
        settings.SECURE_CSP = {}
    return request.param == "with the CSP"


@pytest.fixture
def detectors(context, page, live_server):
    """What ran or reached out, from the page: window.__xss calls, dialogs, console errors
    (a CSP violation is one) and requests to another host."""
    found: list[str] = []
    context.expose_function("__xss", lambda number: found.append(f"window.__xss({number}) ran"))
    context.add_init_script(DETECT)

    def on_dialog(dialog):
        if dialog.type == "beforeunload":  # the site's own warning: a restored draft is unsaved
            dialog.accept()
            return
        found.append(f"a {dialog.type} dialog opened")
        with contextlib.suppress(Exception):
            dialog.dismiss()

    def on_request(request):
        if not request.url.startswith((live_server.url, "about:", "blob:")):
            found.append(f"a request to {request.url[:100]}")

    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.on("console", lambda m: m.type == "error" and found.append(f"console: {m.text[:150]}"))
    return found


SEARCH = """fields => {
    const form = document.querySelector("form.journal-search");
    for (const [name, value] of Object.entries(fields)) form.elements[name].value = value;
    form.submit();
}"""


def walk(page, visits: list[Visit], found: list[str]) -> list[str]:
    problems = []
    for visit in visits:
        response = page.goto(visit.url)
        if visit.search:
            with page.expect_navigation() as navigation:
                page.evaluate(SEARCH, visit.search)
            response = navigation.value
        if visit.search and response is not None and response.status == 400:
            # The refused search's own page: Chromium logs its status as a console error.
            found[:] = [f for f in found if "responded with a status of 400" not in f]
        if response is None or response.status not in ((200, 400) if visit.search else (200,)):
            found.append(f"answered {response.status if response else 'nothing'}")
        found += page.evaluate("spec => window.__xssScan(spec)", [visit.texts, visit.values])
        problems += [f"{visit.where()}: {problem}" for problem in found]
        found.clear()
    return problems


def test_every_payload_in_every_field_runs_nothing(csp, detectors, page, sign_in, user):
    # Without the CSP, every payload on each of its pages: the escaping is shown to hold
    # alone. With it, each payload on one of its pages by turns, and on every list: the two
    # layers together, in real pages (the CSP alone is test_the_csp_alone_stops_raw_payloads).
    visits = make_objects(user, every_page=not csp)
    sign_in(user)
    page.goto("/conversation-planner/")  # the check, once in the sitting, before the planner
    answer_safety_check(page)
    response = page.goto(visits[0].url)
    assert ("content-security-policy" in response.headers) is csp

    problems = walk(page, visits, detectors)

    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])


# --- The CSP alone ----------------------------------------------------------------------------


def run_raw(
    browser, origin: str, csp_header: str | None, payloads: list[Payload]
) -> tuple[set[int], list[str], set[str]]:
    """Serve each payload, unescaped, as a page of the site's origin, with *csp_header* or
    none. Return the numbers n of the window.__xss(n) calls that ran, what else the
    payloads did (dialogs, requests to other hosts), and the addresses the tab was taken to."""
    context = browser.new_context(base_url=origin)
    ran: set[int] = set()
    other: list[str] = []
    navigated: set[str] = set()
    serving: dict = {}
    context.expose_function("__xss", lambda number: ran.add(number))

    def serve(route):
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if csp_header:
            headers["Content-Security-Policy"] = csp_header
        body = f"<!DOCTYPE html><html lang=en><title>Raw</title><body>{serving['payload'].text}"
        route.fulfill(status=200, headers=headers, body=body)

    def on_dialog(dialog):
        other.append(f"{serving['payload']}: a {dialog.type} dialog")
        dialog.dismiss()

    def on_request(request):
        # Chromium reports a request the CSP blocked too, failed with the reason "csp".
        failure = request.failure or ""
        if request.url.startswith(origin) or failure == "csp":
            return
        if request.is_navigation_request() and request.frame.parent_frame is None:
            navigated.add(request.url)
        else:
            other.append(f"{serving['payload']}: a request to {request.url[:80]} ({failure})")

    context.route(f"{origin}/raw/", serve)
    page = context.new_page()
    page.on("dialog", on_dialog)
    page.on("requestfinished", on_request)
    page.on("requestfailed", on_request)
    for payload in payloads:
        serving["payload"] = payload
        with contextlib.suppress(PlaywrightError):  # a meta refresh interrupts the load
            page.goto("/raw/")
            page.wait_for_timeout(20)  # a turn for timers and animations
    context.close()
    return ran, other, navigated


def test_the_csp_alone_stops_raw_payloads(browser, live_server, page):
    """The payloads, not escaped at all, served with the site's own CSP header: nothing
    runs, no dialog opens, nothing is fetched from another host. Without the header the
    same pages run scripts and reach out: the payloads and the detectors are live."""
    site_csp = page.goto("/safety/").headers["content-security-policy"]

    # Script tags, event handlers, SVG, a srcdoc frame, mutation XSS: these run when nothing
    # stops them (36 to 39 of the corpus do; the rest need a click, are Markdown, or aim at
    # the escaping), and these reach another host.
    runs = {1, 2, 4, 5, 11, 13, 33, 51, 93}  # window.__xss(n)
    live = [p for p in PAYLOADS if any(f"__xss({n})" in p.text for n in runs)]
    live += [p for p in PAYLOADS if p.text.startswith(("<img srcset", "<body background"))]
    ran, other, _ = run_raw(browser, live_server.url, None, live)
    assert ran == runs, f"window.__xss ran for {sorted(ran)}"
    assert len([line for line in other if "example.invalid" in line]) == 2, other

    ran, other, navigated = run_raw(browser, live_server.url, site_csp, PAYLOADS)
    assert ran == set(), f"scripts ran despite the CSP: {sorted(ran)}"
    assert other == [], "\n".join(other)
    # What a CSP does not govern: a <meta http-equiv=refresh> still takes the whole tab to
    # another address. Only the escaping stops it (the passes without the CSP show it does).
    assert navigated == {"https://example.invalid/"}
