"""Hostile structure POSTed to every route of the site, signed in as the owner of every object.

The routes come from the URLconf (as in test_access_matrix.py), so a new view is fuzzed
without anyone listing it. The field names of each route are read from the forms the
site itself shows (every GET page is crawled once and each form's fields are filed under
the route its action resolves to), plus the few names scripts send. Each route then gets
every payload below: huge fields, too many fields, one key repeated, NUL bytes, invalid
UTF-8 and lone surrogates, numbers of thousands of digits, negative and overflowing
integers, arrays where one value is expected, impossible dates, JSON and multipart bodies,
and nothing at all.

Every answer must be a 2xx, 3xx or 4xx (never a 5xx), within a bounded size and time; and
a refusal (4xx) must leave every table as it was.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from html import unescape
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.urls import Resolver404, resolve

from .test_access_matrix import OWNED, ROUTES, is_delegated, make_objects, snapshot, url_for

GUIDE = {"guide_slug": "reevaluate", "step_slug": "the-real-question"}
# Names that scripts send and no form shows (static/js/journal.js, static/js/plans.js).
SCRIPT_FIELDS = {
    "journal:autosave": {"title", "body", "entry_date", "mood", "tags", "prompt", "step",
                         "version", "draft", "entry"},
    "boundaries:check": {"need", "action", "say", "if_crossed", "support"},
}  # fmt: skip
SECONDS = 10.0  # the longest any one answer may take
SLACK = 1_000_000  # an answer may repeat what was sent (a form keeps what was typed), plus this
# Routes that end the session (sign-out, quick exit, deleting the account) or need a key
# sent by email: they are fuzzed with a fresh sign-in before each payload.
SIGN_IN_EACH_TIME = {"account_logout", "quick-exit", "accounts:delete"}


@dataclass(frozen=True)
class Payload:
    name: str
    body: bytes
    content_type: str = "application/x-www-form-urlencoded"


def _form(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs).encode()


def payloads(names: list[str]) -> list[Payload]:
    """Every hostile body for a form with fields *names*."""
    names = names or ["q"]
    each = 2_000_000 // len(names)  # just under Django's 2.5 MB limit in all
    raw_bad = b"%FF%FE%ED%A0%80%C0%AF"  # invalid UTF-8, a lone surrogate, an overlong slash
    boundary = "fuzzboundary"
    part = '--{}\r\nContent-Disposition: form-data; name="{}"\r\n\r\n\x00\ud800x\r\n'
    multipart = "".join(
        part.format(boundary, name).encode("utf-8", "surrogatepass").decode("latin-1")
        for name in names
    ) + (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="../../x\x00.zip"'
        f"\r\nContent-Type: application/zip\r\n\r\nPK\x03\x04\xff\xfe\r\n--{boundary}--\r\n"
    )
    return [
        Payload("nothing", b""),
        Payload("huge fields", _form([(n, "x" * each) for n in names])),
        Payload("over the upload limit", _form([(names[0], "x" * 3_000_000)])),
        Payload("too many fields", _form([(f"f{i}", "1") for i in range(1500)])),
        Payload("one key 900 times", _form([(names[0], str(i)) for i in range(900)])),
        Payload("NUL bytes", _form([(n, "a\x00b") for n in names])),
        Payload("invalid UTF-8", b"&".join(quote(n).encode() + b"=" + raw_bad for n in names)),
        Payload("a number of 5,000 digits", _form([(n, "9" * 5000) for n in names])),
        Payload("a number of 40 digits", _form([(n, "9" * 40) for n in names])),
        Payload("negative", _form([(n, "-9223372036854775809") for n in names])),
        Payload("just over 32 bits", _form([(n, "2147483648") for n in names])),
        Payload("floats", _form([(n, v) for n in names for v in ("1e309", "NaN")])),
        Payload("arrays", _form([(k, "a") for n in names for k in (n, n, f"{n}[]", f"{n}[0]")])),
        Payload("impossible dates", _form([(n, "2026-02-30") for n in names])),
        Payload("JSON with arrays", b'{"' + names[0].encode() + b'": [[[]]]}', "application/json"),
        Payload(
            "multipart with NULs, surrogates and a hostile file name",
            multipart.encode("latin-1"),
            f"multipart/form-data; boundary={boundary}",
        ),
        Payload("multipart without a boundary", b"--x\r\n\r\n", "multipart/form-data"),
    ]


# --- What the site's own forms send ------------------------------------------------------------

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_ACTION = re.compile(r'action="([^"]*)"')
_NAME = re.compile(r'<(?:input|textarea|select|button)\b[^>]*\bname="([^"]+)"', re.I)
_INPUT = re.compile(r"<input\b([^>]*)>", re.I)
_TEXTAREA = re.compile(r'<textarea\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>', re.S | re.I)
_SELECT = re.compile(r'<select\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', re.S | re.I)
_OPTION = re.compile(r'<option\b[^>]*\bvalue="([^"]*)"', re.I)


def _attribute(attributes: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', attributes)
    return unescape(found.group(1)) if found else None


def baseline(inner: str) -> dict[str, str]:
    """What the form sends as shown, with empty text boxes filled in: a valid submission."""
    values: dict[str, str] = {}
    for attributes in _INPUT.findall(inner):
        name, kind = _attribute(attributes, "name"), _attribute(attributes, "type") or "text"
        if not name or name == "csrfmiddlewaretoken" or kind in ("file", "submit"):
            continue
        value = _attribute(attributes, "value") or ""
        if kind in ("radio", "checkbox"):
            if " checked" in attributes or (name not in values and value):
                values[name] = value
            continue
        values[name] = value or ("" if kind in ("hidden", "date") else "Fuzz words")
    for name, text in _TEXTAREA.findall(inner):
        values[name] = unescape(text).strip() or "Fuzz words"
    for name, options in _SELECT.findall(inner):
        choices = [value for value in _OPTION.findall(options) if value]
        values.setdefault(name, choices[0] if choices else "")
    return values


def route_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name if match.url_name else match.route


def harvest(client, urls: dict[str, str]) -> tuple[dict[str, set[str]], dict[str, dict]]:
    """Field names of every form on every page, filed under the route each form posts to;
    and for each route, one form's values as shown (a valid submission to vary)."""
    fields: dict[str, set[str]] = {name: set(names) for name, names in SCRIPT_FIELDS.items()}
    valid: dict[str, dict] = {}
    for name, url in urls.items():
        if name in SIGN_IN_EACH_TIME:  # a GET of the quick exit signs out
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for attributes, inner in _FORM.findall(response.content.decode("utf-8", "replace")):
            action = _ACTION.search(attributes)
            target = route_of(action.group(1)) if action and action.group(1) else name
            if target:
                found = set(_NAME.findall(inner)) - {"csrfmiddlewaretoken"}
                fields.setdefault(target, set()).update(found)
                if len(found) > len(valid.get(target, {})):
                    valid[target] = baseline(inner)
    return fields, valid


_FIELDS: dict[str, set[str]] = {}
_VALID: dict[str, dict] = {}
# Each of these in one field at a time, the others as the form shows them.
ONE_FIELD = {
    "a number of 5,000 digits": "9" * 5000,
    "a number of 40 digits": "9" * 40,
    "below -2**63": "-9223372036854775809",
    "a NUL byte": "a\x00b",
    "an impossible date": "2026-02-30",
}


def one_field_payloads(valid: dict[str, str]) -> list[Payload]:
    """Every field of a valid submission in turn made hostile, or sent as a list."""
    found = []
    for name in valid:
        for label, value in ONE_FIELD.items():
            pairs = [(key, value if key == name else kept) for key, kept in valid.items()]
            found.append(Payload(f"{name}: {label}", _form(pairs)))
        pairs = [*valid.items(), (name, "second"), (f"{name}[]", "third")]
        found.append(Payload(f"{name}: sent three times", _form(pairs)))
    return found


def kwargs_for(name: str, objects: dict) -> dict:
    return {"number": 1, "pk": 1, **GUIDE, **(objects[OWNED[name]] if name in OWNED else {})}


FUZZED = sorted(
    name
    for name, pattern in ROUTES.items()
    if "^" not in pattern  # allauth's regex routes need a key sent by email
    and not name.startswith(("admin:", "admin/"))
)


@pytest.fixture
def fuzz_client(safety_checked, user, settings):
    # The write limits would answer 429 before any parsing: lift them to fuzz the parsing.
    settings.WRITE_RATE_LIMITS = {"write": ((10**6, 60),), "autosave": ((10**6, 60),)}
    client = safety_checked  # the planner's own form, not the safety check in front of it
    client.force_login(user)
    client.raise_request_exception = False  # a server error is a 500 to report, as in production
    return client


@pytest.mark.parametrize("name", FUZZED)
def test_hostile_posts_get_a_4xx_or_a_normal_answer_and_refusals_change_nothing(
    fuzz_client, user, name
):
    client = fuzz_client
    objects = make_objects(user)
    urls = {route: url_for(ROUTES[route], kwargs_for(route, objects)) for route in FUZZED}
    if not _FIELDS:  # once per run: field names depend on the route, not on the objects
        fields, valid = harvest(client, urls)
        _FIELDS.update(fields)
        _VALID.update(valid)
        client.force_login(user)
    names = sorted(_FIELDS.get(name, set()))
    url = urls[name]
    problems = []
    before = None  # the rows as they stand; a refusal that changed nothing leaves it true
    for payload in payloads(names) + one_field_payloads(_VALID.get(name, {})):
        if name in SIGN_IN_EACH_TIME or is_delegated(name):
            client.force_login(user)  # a sign-in writes (last_login): look again
            before = None
        if before is None:
            before = snapshot()
        started = time.perf_counter()
        with transaction.atomic():  # a server error rolls back to here, not the whole test
            response = client.generic("POST", url, payload.body, content_type=payload.content_type)
        seconds = time.perf_counter() - started
        content = b"".join(response) if response.streaming else response.content
        where = f"{name} {url} [{payload.name}]"
        if response.status_code >= 500 or response.status_code < 200:
            problems.append(f"{where}: answered {response.status_code}")
        if len(content) > 2 * len(payload.body) + SLACK:
            problems.append(f"{where}: {len(content):,} bytes back for {len(payload.body):,}")
        if seconds > SECONDS:
            problems.append(f"{where}: took {seconds:.1f} s")
        if 400 <= response.status_code < 500:
            after = snapshot()
            if after != before:
                problems.append(f"{where}: refused with {response.status_code} but changed rows")
            before = after
        else:  # an answer that may have saved something: look again before the next one
            before = None
    assert problems == [], "\n".join(problems)


def test_the_fuzz_reaches_the_forms_that_matter(safety_checked, user):
    """Guard against a fuzz that sends nothing: the main forms' fields are found."""
    client = safety_checked
    client.force_login(user)
    objects = make_objects(user)
    urls = {route: url_for(ROUTES[route], kwargs_for(route, objects)) for route in FUZZED}
    fields, valid = harvest(client, urls)
    assert {"title", "body", "entry_date", "mood", "tags", "version"} <= fields["journal:edit"]
    assert valid["journal:edit"]["body"] == "Private words." and valid["journal:edit"]["version"]
    assert {"q", "tag", "mood", "guide", "start", "end"} <= fields["journal:search"]
    assert {"title", "why", "builder"} <= fields["boundaries:edit"]
    assert {"feeling", "what_next"} <= fields["guides:planner-new"]
    assert "note" in fields["guides:self-check"]
    assert "file" in fields["journal:import"]
    assert Session.objects.exists()
    # The values read from the forms make valid submissions, which the payloads then vary.
    saved = client.post(urls["journal:edit"], valid["journal:edit"])
    assert saved.status_code == 302, saved.status_code
    assert client.post(urls["guides:planner-new"], valid["guides:planner-new"]).status_code == 302


# --- Writes faster than anyone writes, in every app ----------------------------------------------


def test_every_view_that_adds_rows_refuses_writes_beyond_the_budget(client, user, settings):
    from boundaries.forms import BOUNDARY_PREFIX as P
    from guides.content import site_content

    settings.WRITE_RATE_LIMITS = {"write": ((0, 60),), "autosave": ((0, 60),)}
    client.force_login(user)
    objects = make_objects(user)
    questions = site_content().questions
    posts = {
        "/journal/new/": {"body": "Words", "entry_date": "2026-03-14"},
        f"/journal/{objects['entry']['pk']}/edit/": {"body": "New", "entry_date": "2026-03-14",
                                                      "version": "1"},
        "/journal/autosave/": {"body": "Draft"},
        "/plans/new/": {"title": "Plan", "why": "", "builder": "save",
                        f"{P}-TOTAL_FORMS": "1", f"{P}-INITIAL_FORMS": "0",
                        f"{P}-MIN_NUM_FORMS": "0", f"{P}-MAX_NUM_FORMS": "30",
                        f"{P}-0-action": "I will leave the room", f"{P}-0-ORDER": "1",
                        f"{P}-0-status": "drafting", f"{P}-0-review_on": ""},
        f"/plans/{objects['plan']['pk']}/duplicate/": {},
        f"/plans/{objects['plan']['pk']}/versions/1/restore/": {},
        "/conversation-planner/new/": {"feeling": "worried"},
        f"/conversation-planner/{objects['conversation_plan']['pk']}/to-journal/": {},
        "/self-check/": {f"q_{q.id}": str(q.choices[0][0]) for q in questions},
    }  # fmt: skip
    for url, data in posts.items():
        before = snapshot()
        response = client.post(url, data)
        assert response.status_code == 429, (url, response.status_code)
        assert "than a person does" in response.content.decode(), url
        assert snapshot() == before, url
    # The forms people type into most come back with what was typed.
    assert "I will leave the room" in client.post("/plans/new/", posts["/plans/new/"]).text
    assert "Words" in client.post("/journal/new/", posts["/journal/new/"]).text
