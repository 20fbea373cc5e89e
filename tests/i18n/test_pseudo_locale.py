"""Every page under a pseudo-locale: interface text left unmarked for translation fails.

The catalogue is generated here, from the code as it is: `makemessages` extracts the
site's strings for a locale "xx", Django's and allauth's own English catalogues are
added (their strings are translatable already), every message becomes itself wrapped
in ⟦…⟧ (around each run of text between HTML tags), and msgfmt compiles it (what
`compilemessages` runs, on this one file).
Then every page reachable by links, signed out and signed in, the error pages and the
main forms sent empty are rendered with "xx" active. Each visible text node (and each
title, alt, placeholder, aria-label and button value) must be marked, except:

- what the person wrote: the test writes only words starting with "zq" (the canaries);
- guide content, rendered from guides/content (Markdown and YAML): it is content to be
  translated as content files, not interface strings;
- email addresses, numbers, dates and times (month and day names come from Django's
  date formats, which follow the active locale by themselves);
- the site's name, "Common Ground", a proper noun kept in every language;
- the crisis lines on /safety/ (settings.SAFETY_LINES): configuration each deployment
  replaces with its own region's services, in its own language (SAFETY_LINES_FILE).
"""

import dataclasses
import datetime
import os
import re
import shutil
import subprocess
from collections import deque
from contextlib import chdir
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import allauth
import django
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from boundaries.models import BoundaryContent, PlanContent
from boundaries.services import plan_create, plan_update
from guides.content import site_content
from journal.models import EntryContent
from journal.services import draft_save, entry_create, entry_trash
from reminders.schedule import zone_names
from tests.conftest import answer_safety_check

GETTEXT = all(map(shutil.which, ("msgcat", "msgen", "msgfilter", "msgfmt", "xgettext")))
if not GETTEXT and os.environ.get("CI"):  # CI installs it (.ci/run): missing there is a failure
    raise RuntimeError("GNU gettext is not installed (apt-get install gettext)")
# Which interface text is marked for translation, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = [
    pytest.mark.skipif(not GETTEXT, reason="GNU gettext is not installed (apt-get gettext)"),
    pytest.mark.any_engine,
]

OPEN, CLOSE = "⟦", "⟧"
CAP = 400
QUERIES_PER_PATH = 2
SKIP = re.compile(r"^/(?:exit/|admin/|accounts/logout/|static/)|[?&](?:download|format)=")
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")  # innermost first: Django's month
# names are marked inside the site's own marked sentences
CANARY = re.compile(r"\bzq\w*", re.IGNORECASE)
EMAIL = re.compile(r"\S+@\S+")
DOMAIN = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s]*)?")  # a link's host shown as its text
MONTHS = "January February March April May June July August September October November December"
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
DATE_WORDS = re.compile(
    r"\b(?:"
    + "|".join([*MONTHS.split(), *(m[:3] for m in MONTHS.split()), "Sept"])
    + "|"
    + "|".join([*DAYS.split(), *(d[:3] for d in DAYS.split())])
    + r")\b\.?|\b[ap]\.m\.|\b(?:AM|PM)\b"
)
SAFETY_LINES = sorted(
    {str(v) for line in settings.SAFETY_LINES for v in line.values() if v}, key=len, reverse=True
)
# The time zone list on the reminders page: IANA names, the same in every language.
ZONES = sorted({name.replace("_", " ") for name in zone_names()}, key=len, reverse=True)
EXCEPT = (
    EMAIL, DOMAIN, re.compile(r"^\s*(?:" + "|".join(map(re.escape, ZONES)) + r")\s*$"),
    re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, SAFETY_LINES)) + r")(?!\w)"),
    CANARY, DATE_WORDS, re.compile(re.escape(settings.SITE_NAME)),
)  # fmt: skip
LETTER = re.compile(r"[^\W\d_]")
ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}


def words(text: str) -> str:
    """Lower-case words separated by single spaces (for matching guide content)."""
    return " ".join(re.findall(r"[^\W_]+", text.replace("\u2019", "").replace("'", "").lower()))


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory):
    """Build the "xx" catalogue from the code, as it is now, into a temporary folder."""
    root = tmp_path_factory.mktemp("locale")
    with override_settings(LOCALE_PATHS=[str(root)]), chdir(settings.BASE_DIR):
        ignore = ["tests/*", "benchmarks/*", "staticfiles/*", "node_modules/*", "docs/*"]
        call_command(
            "makemessages", locale=["xx"], ignore_patterns=ignore, verbosity=0,
            no_obsolete=True, no_location=True,
        )  # fmt: skip
    folder = root / "xx" / "LC_MESSAGES"
    ours = folder / "django.po"
    assert ours.exists(), "makemessages found no string marked for translation"
    django_dir = Path(django.__file__).parent
    theirs = [django_dir / "conf/locale/en/LC_MESSAGES/django.po"]
    theirs += sorted(django_dir.glob("contrib/*/locale/en/LC_MESSAGES/django.po"))
    theirs.append(Path(allauth.__file__).parent / "locale/en/LC_MESSAGES/django.po")
    work = tmp_path_factory.mktemp("po")
    merged, english, pseudo = work / "merged.po", work / "english.po", work / "pseudo.po"

    def run(*command: str) -> None:
        done = subprocess.run(command, capture_output=True, text=True, cwd=work)
        assert done.returncode == 0, f"{command[0]}: {done.stderr}"

    run("msgcat", "--use-first", "-o", str(merged), *map(str, theirs), str(ours))
    run("msgen", "-o", str(english), str(merged))
    # Wrap each run of text between tags: "a <b>c</b>" becomes "⟦a ⟧<b>⟦c⟧</b>⟦⟧" (a ">"
    # that ends no tag is text). Empty lines stay empty: msgfmt wants a message's leading
    # and trailing newlines kept.
    tag = r"<\([A-Za-z/][^<>]*\)>"
    script = rf"s/^\(.\)/{OPEN}\1/; s/\(.\)$/\1{CLOSE}/; s/{tag}/{CLOSE}<\1>{OPEN}/g"
    run("msgfilter", "--keep-header", "-i", str(english), "-o", str(pseudo), "sed", "-e", script)
    # What compilemessages runs, on this one file (it would walk the whole tree).
    run("msgfmt", "--check-format", "-o", str(folder / "django.mo"), str(pseudo))
    return root


@pytest.fixture
def pseudo(pseudo_locale, settings):
    settings.LOCALE_PATHS = [str(pseudo_locale)]
    settings.LANGUAGES = [("xx", "Pseudo")]
    settings.LANGUAGE_CODE = "xx"
    with translation.override("xx"):
        yield


class Texts(HTMLParser):
    """The visible text nodes of a page, and the texts of the attributes people see."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.forms: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append(attrs.get("action") or "")
        for name in ATTRIBUTES & attrs.keys():
            self.texts.append(f"[{name}] {attrs[name]}")
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(f"[value] {attrs['value']}")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data)


def content_strings(value) -> set[str]:
    """Every title, summary, prompt, question and source name of the guide content."""
    if isinstance(value, str):
        return {value} if LETTER.search(value) else set()
    if isinstance(value, dict):
        value = tuple(value.values())
    if isinstance(value, tuple):
        return set().union(*map(content_strings, value)) if value else set()
    if not dataclasses.is_dataclass(value):
        return set()
    found = set()
    for field in dataclasses.fields(value):
        if not field.name.endswith(("html", "text", "slug", "id", "url", "scale")):
            found |= content_strings(getattr(value, field.name))
    return found


@pytest.fixture(scope="module")
def guide_content() -> tuple[re.Pattern, str]:
    """The guide content's short strings (to cut out of text nodes), and all its words
    (a text node of a step's body is a run of them)."""
    content = site_content()
    strings = sorted(content_strings(content), key=len, reverse=True)
    folder = Path(settings.BASE_DIR) / "guides" / "content"
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file())
    # Whole words only: a short front-matter value such as "do" must not eat the middle of
    # "Kingdom" in a crisis line's region.
    pattern = "|".join(map(re.escape, strings))
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)"), f" {words(text)} "


def unmarked(texts: list[str], guide_content: tuple[re.Pattern, str]) -> list[str]:
    strings, guide_words = guide_content
    found = []
    for text in texts:
        value = text.split("] ", 1)[1] if text.startswith("[") else text
        rest = value
        while MARKED.search(rest):
            rest = MARKED.sub(" ", rest)
        # Each pattern reads the same text (one cutting first must not break another's match:
        # a crisis line's "Australia" inside a source's publisher), then all their spans go.
        cut = [False] * len(rest)
        for pattern in (strings, *EXCEPT):
            for match in pattern.finditer(rest):
                cut[match.start() : match.end()] = [True] * (match.end() - match.start())
        rest = "".join(" " if gone else char for char, gone in zip(rest, cut, strict=True))
        if not LETTER.search(rest):
            continue
        if f" {words(value)} " in guide_words:
            continue
        found.append(" ".join(text.split()))
    return found


def crawl(client) -> tuple[dict[str, list[str]], set[str], set[str]]:
    """GET every page reachable from "/" by links: problems by page, paths and form actions."""
    queue, seen = deque(["/"]), {"/"}
    problems: dict[str, list[str]] = {}
    forms: set[str] = set()
    per_path: dict[str, int] = {}
    visited: set[str] = set()
    while queue:
        assert len(visited) < CAP, f"Crawled {CAP} pages without finishing: {sorted(visited)[:20]}"
        path = queue.popleft()
        response = client.get(path, follow=True)
        visited.add(path)
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        parser = Texts()
        parser.feed(response.content.decode())
        problems[path] = parser.texts
        forms.update(urljoin(path, action or path) for action in parser.forms)
        for href in parser.links:
            parts = urlsplit(urljoin("http://testserver" + path, href))
            if parts.netloc != "testserver":
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link in seen or SKIP.search(link):
                continue
            seen.add(link)
            if parts.query:
                per_path[parts.path] = per_path.get(parts.path, 0) + 1
                if per_path[parts.path] > QUERIES_PER_PATH:
                    continue
            queue.append(link)
    return problems, visited, forms


def give_data(client, user) -> None:
    """Something on every private page, written only in canary words."""

    def write(title: str, day: int, tags=(), mood=None):
        content = EntryContent(
            title=title, body=f"{title} zqbody.", entry_date=datetime.date(2026, 1, day),
            mood=mood, tags=tags, prompt="", step_key="",
        )  # fmt: skip
        return entry_create(user=user, content=content).entry

    write("Zqkitchen zqtable", 2, ("zqtalks",), mood=2)
    write("Zqwalk", 5, ("zqcalm", "zqtalks"), mood=4)
    entry_trash(entry=write("Zqbinned", 1))
    draft_save(
        user=user, draft_id=None, entry_id=None, base_version=None, fields={"body": "Zqhalf"}
    )
    boundaries = (
        BoundaryContent(need="Zqrest", action="Zqbed zqten.", say="Zqsay", support="Zqsam"),
    )
    plan = plan_create(user=user, content=PlanContent(title="Zqevenings", boundaries=boundaries))
    with transaction.atomic():
        for title in ("Zqevenings", "Zqmy zqevenings"):
            plan_update(plan=plan, content=PlanContent(title, "Zqsleep", boundaries))
    # The planner and the self-check through their own forms, as a person saves them.
    client.force_login(user)
    # The signed-out crawl meets the safety check; signed in, the pages behind it are read.
    answer_safety_check(client)
    saved = client.post(
        "/conversation-planner/new/", {"feeling": "zqhopeful", "what_happened": "Zqtalked."}
    )
    assert saved.status_code == 302, saved.status_code
    for answer in (3, 4):
        answers = {f"q_{question.id}": answer for question in site_content().questions}
        saved = client.post("/self-check/", {**answers, "note": "Zqnote"})
        assert saved.status_code == 302, saved.status_code


def report(problems: dict[str, list[str]], guide_content) -> list[str]:
    lines = []
    for path, texts in sorted(problems.items()):
        lines += [f"{path}: {text!r}" for text in dict.fromkeys(unmarked(texts, guide_content))]
    return lines


# Forms sent empty, so their error messages are rendered too (URL, data).
EMPTY_FORMS: list[tuple[str, dict[str, str]]] = [
    ("/accounts/login/", {}),
    ("/accounts/signup/", {}),
    ("/accounts/password/reset/", {}),
]
EMPTY_FORMS_SIGNED_IN: list[tuple[str, dict[str, str]]] = [
    ("/journal/new/", {}),
    ("/plans/new/", {}),
    ("/guides/tools/conversation-planner/new/", {}),
    ("/accounts/password/change/", {}),
]


def test_every_page_signed_out_is_marked_for_translation(client, db, pseudo, guide_content):
    problems, visited, _ = crawl(client)
    assert {"/", "/safety/", "/privacy/", "/guides/", "/accounts/login/"} <= visited
    for path in ("/no-such-page/", "/guides/search/?" + "&".join(["q=x"] * 1001)):
        parser = Texts()
        parser.feed(client.get(path).content.decode())
        problems[path] = parser.texts
    for path, data in EMPTY_FORMS:
        parser = Texts()
        parser.feed(client.post(path, data).content.decode())
        problems[f"POST {path}"] = parser.texts
    found = report(problems, guide_content)
    print(f"\n{len(visited)} pages signed out, {len(found)} unmarked texts")
    assert found == [], "Unmarked interface text:\n" + "\n".join(found)


def test_every_page_signed_in_is_marked_for_translation(client, user, pseudo, guide_content):
    give_data(client, user)
    problems, visited, _ = crawl(client)
    assert any(path.startswith("/journal/") for path in visited)
    assert any(path.startswith("/plans/") for path in visited)
    for path, data in EMPTY_FORMS_SIGNED_IN:
        parser = Texts()
        parser.feed(client.post(path, data, follow=True).content.decode())
        problems[f"POST {path}"] = parser.texts
    found = report(problems, guide_content)
    print(f"\n{len(visited)} pages signed in, {len(found)} unmarked texts")
    assert found == [], "Unmarked interface text:\n" + "\n".join(found)


def test_the_check_sees_unmarked_text(pseudo, guide_content):
    """The check itself: a marked string passes, the same string unmarked fails."""
    from django.template import engines

    template = engines["django"].from_string(
        '{% load i18n %}<p>{% translate "Sign out" %}</p><p>Sign out</p>'
    )
    parser = Texts()
    parser.feed(template.render({}))
    assert unmarked(parser.texts, guide_content) == ["Sign out"]
