"""Read guides/content/ once into memory: the guides, their steps, the sources and pages.

The Markdown files are the only source of truth (docs/content-format.md). They are
parsed and rendered once per process, on first use (gunicorn's --preload and
`manage.py load_content` do it at start-up), never per request. Every problem in
them is collected, with the file it is in, and reported by `manage.py check`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

import yaml
from django.urls import Resolver404, resolve, reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from core.frontmatter import split_front_matter
from core.markdown import render_site_markdown
from core.text import normalise

CONTENT_DIR = Path(__file__).resolve().parent / "content"
WORDS_PER_MINUTE = 200
STEP_WORDS = (400, 1100)
STEPS_PER_GUIDE = (3, 8)  # issue 16: a guide may gain steps, up to 8
TOOLS = {"conversation-planner", "boundary-plan", "self-check"}
EXERCISES = ("do", "write")

_NUMBERED = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)*")
_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten"
# A figure that needs an entry in claims.yaml: a percentage ("90%", "70 to 73 per cent")
# or a ratio ("nine in ten", "2 out of 3"). Plain counts ("three steps") are not claims.
FIGURE = re.compile(
    rf"\b\d+(?:[.,]\d+)?(?:\s*(?:-|\u2013|to)\s*\d+(?:[.,]\d+)?)?\s*(?:%|percent\b|per cent\b)"
    rf"|\b(?:\d+|{_NUMBER_WORDS})\s+(?:in|out of)\s+(?:\d+|{_NUMBER_WORDS})\b",
    re.IGNORECASE,
)


class ContentError(Exception):
    """The content folder has problems; .problems lists them, one per file and fault."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    contributed: str
    contributed_html: str = ""  # the Markdown above (emphasis for book titles), as HTML
    url: str = ""  # the article's address, where it could be confirmed
    checked: str = ""  # the date (YYYY-MM-DD) the address was last confirmed
    cited_as: tuple[str, ...] = ()  # short names a step may credit it by, beside its title
    # How /for-your-partner/ names it where the title would tell the partner what the sender
    # has been reading ("... a partner who won't go to therapy"): "An article by ...".
    quiet_name: str = ""
    edition: int = 1  # 1: the five articles the guides were built on; 2: added in issue 16

    @property
    def names(self) -> tuple[str, ...]:
        """What a step's text must contain to credit this source: any one of these."""
        return (self.title, self.publisher, *self.cited_as)


SCALES = {
    "often": (_("Never"), _("Rarely"), _("Sometimes"), _("Often"), _("Almost always")),
    "agree": (_("Strongly disagree"), _("Disagree"), _("Unsure"), _("Agree"), _("Strongly agree")),
}


@dataclass(frozen=True)
class Question:
    """One question of the reevaluation self-check, answered on a five-point scale."""

    id: str
    question: str
    scale: str
    hint: str

    @property
    def choices(self) -> tuple[tuple[int, str], ...]:
        return tuple((n, str(label)) for n, label in enumerate(SCALES[self.scale], 1))


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    summary: str
    html: str


@dataclass(frozen=True)
class Step:
    guide_slug: str
    slug: str
    number: int
    title: str
    summary: str
    sources: tuple[Source, ...]
    key_ideas: tuple[str, ...]
    prompts: tuple[str, ...]
    tool: str
    html: str
    text: str  # plain text of title, summary, key ideas and body, for search
    body_text: str  # plain text of the body alone, for search snippets
    words: int
    # Partner-facing: opened only after the safety check in this sitting (guides.safety_check).
    # True when the step's own front matter says so or its guide's index.md does.
    safety_check: bool = False
    # "do": the exercise is something to do, alone or together, with a way to note how it
    # went (its Try this section links to the journal or the step has a tool); "write": not.
    exercise: str = "write"

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    @property
    def key(self) -> str:
        """Stable identity used for progress: 'guide-slug/step-slug'."""
        return f"{self.guide_slug}/{self.slug}"

    def get_absolute_url(self) -> str:
        return reverse("guides:step", args=[self.guide_slug, self.slug])


@dataclass(frozen=True)
class Guide:
    slug: str
    number: int
    title: str
    summary: str
    intro_html: str
    safety_check: bool
    steps: tuple[Step, ...]

    @property
    def reading_minutes(self) -> int:
        return sum(step.reading_minutes for step in self.steps)

    def get_absolute_url(self) -> str:
        return reverse("guides:guide", args=[self.slug])

    def step(self, slug: str) -> Step | None:
        return next((step for step in self.steps if step.slug == slug), None)

    @property
    def has_checked_steps(self) -> bool:
        """Whether any step is partner-facing, so the printed guide needs the check too."""
        return any(step.safety_check for step in self.steps)

    def neighbours(self, step: Step) -> tuple[Step | None, Step | None]:
        index = self.steps.index(step)
        previous = self.steps[index - 1] if index > 0 else None
        following = self.steps[index + 1] if index + 1 < len(self.steps) else None
        return previous, following


@dataclass(frozen=True)
class Claim:
    """One figure or factual claim in a step or page, and where a reader can check it."""

    step: str  # a step's key ('guide-slug/step-slug') or 'pages/<slug>'
    claim: str
    source: str  # a source id from sources.yaml
    where: str  # where in the source the claim stands
    figure: str = ""  # the figure as the step writes it, if the claim has one


@dataclass
class SiteContent:
    guides: tuple[Guide, ...]
    sources: dict[str, Source]
    pages: dict[str, Page]
    questions: tuple[Question, ...]
    claims: tuple[Claim, ...] = ()
    moved: dict[str, str] = field(default_factory=dict)  # old step key -> new (moved.yaml)
    _guides_by_slug: dict[str, Guide] = field(init=False, repr=False)

    def __post_init__(self):
        self._guides_by_slug = {guide.slug: guide for guide in self.guides}

    def guide(self, slug: str) -> Guide | None:
        return self._guides_by_slug.get(slug)

    def step_by_key(self, key: str) -> Step | None:
        """The step a 'guide/step' key names, following moved.yaml for old keys; or None."""
        key = self.moved.get(key, key)
        guide_slug, _slash, step_slug = key.partition("/")
        guide = self.guide(guide_slug)
        return guide.step(step_slug) if guide else None

    @functools.cached_property
    def steps(self) -> tuple[Step, ...]:
        return tuple(step for guide in self.guides for step in guide.steps)

    @functools.cached_property
    def step_keys(self) -> frozenset[str]:
        return frozenset(step.key for step in self.steps)

    @functools.cached_property
    def prompts(self) -> tuple[tuple[Step, str], ...]:
        """Every reflection prompt with the step it belongs to, in reading order."""
        return tuple((step, prompt) for step in self.steps for prompt in step.prompts)


# --- Parsing -------------------------------------------------------------------


def count_words(markdown_text: str) -> int:
    return len(_WORD.findall(markdown_text))


def _text(meta: dict, key: str, where: str, problems: list[str], required=True) -> str:
    value = meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(f"{where}: missing {key}")
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: {key} must be text")
        return ""
    return value.strip()


def _text_list(meta: dict, key: str, where: str, problems: list[str], minimum: int) -> list[str]:
    value = meta.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{where}: {key} must be a list of text")
        return []
    if len(value) < minimum:
        problems.append(f"{where}: {key} needs at least {minimum} item(s)")
    return [v.strip() for v in value]


def _flag(meta: dict, key: str, where: str, problems: list[str]) -> bool:
    value = meta.get(key, False)
    if not isinstance(value, bool):
        problems.append(f"{where}: {key} must be true or false")
        return False
    return value


def _unknown_keys(meta: dict, allowed: set[str], where: str, problems: list[str]):
    for key in sorted(set(meta) - allowed):
        problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent.parent))
    except ValueError:
        return str(path)


def _yaml_items(path: Path, root: Path, problems: list[str], what: str):
    """Yield (where, mapping) for each item of the YAML list in *path*; report what's wrong."""
    where = _relative(path, root)
    if not path.exists():
        problems.append(f"{where}: missing")
        return
    try:
        items = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as error:
        problems.append(f"{where}: not valid YAML ({error.__class__.__name__})")
        return
    if not isinstance(items, list) or not items:
        problems.append(f"{where}: must be a list of {what}")
        return
    for index, item in enumerate(items, 1):
        item_where = f"{where} (item {index})"
        if isinstance(item, dict):
            yield item_where, item
        else:
            problems.append(f"{item_where}: must be a mapping")


def load_sources(root: Path, problems: list[str]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for where, item in _yaml_items(root / "sources.yaml", root, problems, "articles"):
        values: dict[str, Any] = {
            k: _text(item, k, where, problems) for k in ("id", "title", "publisher")
        }
        values["contributed"] = _text(item, "contributed", where, problems)
        values["contributed_html"] = render_site_markdown(values["contributed"])
        values["url"] = _text(item, "url", where, problems, required=False)
        values["quiet_name"] = _text(item, "quiet_name", where, problems, required=False)
        values["checked"] = str(item.get("checked") or "")
        cited_as = item.get("cited_as", [])
        if not isinstance(cited_as, list) or not all(
            isinstance(name, str) and name.strip() for name in cited_as
        ):
            problems.append(f"{where}: cited_as must be a list of names")
            cited_as = []
        values["cited_as"] = tuple(name.strip() for name in cited_as)
        values["edition"] = item.get("edition", 1)
        if values["edition"] not in (1, 2):
            problems.append(f"{where}: edition must be 1 or 2")
            values["edition"] = 1
        if values["url"] and not values["url"].startswith("https://"):
            problems.append(f"{where}: url must start with https://")
        if values["url"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", values["checked"]):
            problems.append(f"{where}: a url needs the date it was checked (YYYY-MM-DD)")
        if values["id"] in sources:
            problems.append(f"{where}: duplicate id {values['id']!r}")
        elif values["id"]:
            sources[values["id"]] = Source(**values)
    return sources


def load_questions(root: Path, problems: list[str]) -> tuple[Question, ...]:
    questions, seen = [], set()
    for where, item in _yaml_items(root / "self-check.yaml", root, problems, "questions"):
        values = {k: _text(item, k, where, problems) for k in ("id", "question", "scale")}
        values["hint"] = _text(item, "hint", where, problems, required=False)
        if values["scale"] and values["scale"] not in SCALES:
            problems.append(f"{where}: scale must be one of {', '.join(SCALES)}")
            continue
        if values["id"] in seen:
            problems.append(f"{where}: duplicate id {values['id']!r}")
            continue
        seen.add(values["id"])
        if all(values[k] for k in ("id", "question", "scale")):
            questions.append(Question(**values))
    return tuple(questions)


def load_pages(root: Path, problems: list[str]) -> dict[str, Page]:
    pages = {}
    for path in sorted((root / "pages").glob("*.md")):
        where = _relative(path, root)
        read = _read_markdown(path, root, problems)
        if read is None:
            continue
        meta, body = read
        _unknown_keys(meta, {"title", "summary"}, where, problems)
        pages[path.stem] = Page(
            slug=path.stem,
            title=_text(meta, "title", where, problems),
            summary=_text(meta, "summary", where, problems),
            html=render_site_markdown(body),
        )
    return pages


def _read_markdown(path: Path, root: Path, problems: list[str]) -> tuple[dict, str] | None:
    """The front matter and body of the Markdown file at *path*, or None with the problem."""
    meta, body, problem = split_front_matter(path.read_text("utf-8"))
    if problem or meta is None:
        problems.append(f"{_relative(path, root)}: {problem}")
        return None
    return meta, body


def _load_step(path, guide_slug, sources, problems, root) -> Step | None:
    where = _relative(path, root)
    match = _NUMBERED.match(path.stem)
    if not match:
        problems.append(f"{where}: file name must look like 01-some-slug.md")
        return None
    read = _read_markdown(path, root, problems)
    if read is None:
        return None
    meta, body = read
    _unknown_keys(
        meta,
        {"title", "summary", "sources", "key_ideas", "prompts", "tool", "exercise", "safety_check"},
        where,
        problems,
    )
    title = _text(meta, "title", where, problems)
    summary = _text(meta, "summary", where, problems)
    key_ideas = _text_list(meta, "key_ideas", where, problems, minimum=1)
    prompts = _text_list(meta, "prompts", where, problems, minimum=1)
    step_sources = _step_sources(meta, sources, where, problems)
    safety_check = _flag(meta, "safety_check", where, problems)
    tool = _text(meta, "tool", where, problems, required=False)
    exercise = _text(meta, "exercise", where, problems, required=False) or "write"
    problems += _exercise_problems(exercise, tool, body, where)
    words = count_words(body)
    if not STEP_WORDS[0] <= words <= STEP_WORDS[1]:
        problems.append(
            f"{where}: body has {words} words; a step needs {STEP_WORDS[0]} to {STEP_WORDS[1]}"
        )
    html = render_site_markdown(body)
    body_text = re.sub(r"\s+", " ", unescape(strip_tags(html))).strip()
    problems += _uncredited(step_sources, body_text, where)
    text = " ".join([title, summary, *key_ideas, body_text])
    return Step(
        guide_slug=guide_slug,
        slug=match["slug"],
        number=int(match["number"]),
        title=title,
        summary=summary,
        sources=tuple(step_sources),
        key_ideas=tuple(key_ideas),
        prompts=tuple(prompts),
        tool=tool,
        html=html,
        text=re.sub(r"\s+", " ", text),
        body_text=body_text,
        words=words,
        safety_check=safety_check,
        exercise=exercise,
    )


def _step_sources(meta: dict, sources: dict, where: str, problems: list[str]) -> list[Source]:
    """The sources a step's front matter lists, each known to sources.yaml."""
    source_ids = meta.get("sources", [])
    if not isinstance(source_ids, list) or not source_ids:
        problems.append(f"{where}: sources must list at least one article id")
        return []
    found = []
    for source_id in source_ids:
        source = sources.get(str(source_id))
        if source is None:
            problems.append(f"{where}: unknown source {source_id!r}")
        else:
            found.append(source)
    return found


def _exercise_problems(exercise: str, tool: str, body: str, where: str) -> list[str]:
    """What is wrong with a step's exercise and tool (a known kind, a way to note a 'do')."""
    problems = []
    if exercise not in EXERCISES:
        problems.append(f"{where}: exercise must be one of {', '.join(EXERCISES)}")
    elif exercise == "do" and not tool and "](/journal/" not in _try_this(body):
        problems.append(
            f"{where}: a 'do' exercise needs a way to note how it went: link the journal "
            "(/journal/ or /journal/tried/) in its Try this section, or give the step a tool"
        )
    if tool and tool not in TOOLS:
        problems.append(f"{where}: unknown tool {tool!r} (allowed: {', '.join(sorted(TOOLS))})")
    return problems


def _uncredited(step_sources: list[Source], body_text: str, where: str) -> list[str]:
    """A problem for each source the step's text never names (by its title or a short name)."""
    said = _comparable(body_text)
    return [
        f"{where}: the text never names source {source.id!r}: credit it by its title "
        f"or by one of: {', '.join(repr(n) for n in source.names[1:])}"
        for source in step_sources
        if not any(_comparable(name) in said for name in source.names)
    ]


def _load_guide(folder, sources, problems, root) -> Guide | None:
    where = _relative(folder, root)
    match = _NUMBERED.match(folder.name)
    if not match:
        problems.append(f"{where}: folder name must look like 01-some-slug")
        return None
    index = folder / "index.md"
    if not index.exists():
        problems.append(f"{where}: missing index.md")
        return None
    read = _read_markdown(index, root, problems)
    if read is None:
        return None
    meta, intro = read
    index_where = _relative(index, root)
    _unknown_keys(meta, {"title", "summary", "safety_check"}, index_where, problems)
    safety_check = _flag(meta, "safety_check", index_where, problems)
    steps = []
    seen: dict[str, str] = {}
    for path in sorted(p for p in folder.glob("*.md") if p.name != "index.md"):
        step = _load_step(path, match["slug"], sources, problems, root)
        if step is None:
            continue
        if step.slug in seen:
            problems.append(
                f"{_relative(path, root)}: duplicate slug {step.slug!r} (also {seen[step.slug]})"
            )
            continue
        seen[step.slug] = path.name
        if safety_check:  # the guide's flag covers every step, those added later too
            step = dataclasses.replace(step, safety_check=True)
        steps.append(step)
    if not STEPS_PER_GUIDE[0] <= len(steps) <= STEPS_PER_GUIDE[1]:
        problems.append(
            f"{where}: has {len(steps)} steps; a guide needs "
            f"{STEPS_PER_GUIDE[0]} to {STEPS_PER_GUIDE[1]}"
        )
    return Guide(
        slug=match["slug"],
        number=int(match["number"]),
        title=_text(meta, "title", index_where, problems),
        summary=_text(meta, "summary", index_where, problems),
        intro_html=render_site_markdown(intro),
        safety_check=safety_check,
        steps=tuple(steps),
    )


def _check_links(root: Path, content: SiteContent, problems: list[str]):
    """Every link must be https:, mailto:, or a path to a page that exists."""
    for path in sorted(root.rglob("*.md")):
        where = _relative(path, root)
        for target in _LINK.findall(path.read_text("utf-8")):
            problem = _link_problem(target, content)
            if problem:
                problems.append(f"{where}: broken link {target!r}: {problem}")


def _link_problem(target: str, content: SiteContent) -> str | None:
    if target.startswith(("https://", "mailto:")):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return "links must be https:// or a path starting with /"
    path = target.split("#", 1)[0].split("?", 1)[0]
    parts = [part for part in path.split("/") if part]
    if parts[:1] == ["guides"] and len(parts) in (2, 3):
        guide = content.guide(parts[1])
        if guide is None:
            return f"no guide {parts[1]!r}"
        if len(parts) == 3 and guide.step(parts[2]) is None:
            return f"guide {parts[1]!r} has no step {parts[2]!r}"
        return None
    try:
        resolve(path)
    except Resolver404:
        return "no page at that path"
    return None


def _try_this(body: str) -> str:
    """The step's closing exercise: its `## Try this` section, or "" when it has none."""
    _before, heading, after = body.partition("\n## Try this")
    return after.split("\n## ", 1)[0] if heading else ""


def _comparable(text: str) -> str:
    """*text* folded as the searches fold it (core.text: case, accents, apostrophes), with
    curly double quotes made straight and spaces collapsed."""
    return " ".join(normalise(text).translate(_DOUBLE_QUOTES).split())


_DOUBLE_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"'})


def _figures(text: str) -> set[str]:
    return {re.sub(r"\s+", " ", m.group(0)).lower() for m in FIGURE.finditer(text)}


def load_claims(root: Path, content: SiteContent, problems: list[str]) -> tuple[Claim, ...]:
    """Read claims.yaml; report unknown steps and sources, and figures without an entry."""
    texts: dict[str, tuple[str, set[str] | None]] = {
        step.key: (step.text, {s.id for s in step.sources}) for step in content.steps
    }
    for slug, page in content.pages.items():
        page_text = re.sub(r"\s+", " ", unescape(strip_tags(page.html)))
        texts[f"pages/{slug}"] = (f"{page.title} {page.summary} {page_text}", None)
    claims: list[Claim] = []
    for where, item in _yaml_items(root / "claims.yaml", root, problems, "claims"):
        values = {k: _text(item, k, where, problems) for k in ("step", "claim", "source", "where")}
        values["figure"] = _text(item, "figure", where, problems, required=False)
        _unknown_keys(item, set(values), where, problems)
        if values["step"] not in texts:
            problems.append(f"{where}: unknown step {values['step']!r}")
            continue
        text, step_sources = texts[values["step"]]
        if values["source"] not in content.sources:
            problems.append(f"{where}: unknown source {values['source']!r}")
        elif step_sources is not None and values["source"] not in step_sources:
            problems.append(
                f"{where}: source {values['source']!r} is not in {values['step']}'s sources"
            )
        if values["figure"] and values["figure"].lower() not in _figures(text):
            problems.append(f"{where}: figure {values['figure']!r} is not in {values['step']}")
        claims.append(Claim(**values))
    listed = {(c.step, c.figure.lower()) for c in claims if c.figure}
    for key, (text, _sources) in texts.items():
        for figure in sorted(_figures(text)):
            if (key, figure) not in listed:
                problems.append(f"{key}: figure {figure!r} has no entry in claims.yaml")
    return tuple(claims)


# A title that reads as "my partner won't ...". On the page a person may send to their
# partner it would tell the partner what the sender has been reading, and can read as an
# accusation: that page names such a source by its quiet_name and publisher instead.
_TELLING_TITLE = re.compile(r"\bpartner\b|refus|won't", re.IGNORECASE)


def _check_partner_page(content: SiteContent, problems: list[str]) -> None:
    page = content.pages.get("for-your-partner")
    if page is None:
        return
    cited = dict.fromkeys(c.source for c in content.claims if c.step == "pages/for-your-partner")
    for source_id in cited:
        source = content.sources.get(source_id)
        if source and _TELLING_TITLE.search(source.title) and not source.quiet_name:
            problems.append(
                f"sources.yaml: source {source_id!r} is listed on the partner page and its title "
                "tells the partner what the sender reads: give it a quiet_name"
            )
    text = unescape(strip_tags(f"{page.title} {page.summary} {page.html}")).replace("\u2019", "'")
    for source in content.sources.values():
        title = source.title.replace("\u2019", "'")
        if _TELLING_TITLE.search(title) and title.lower() in text.lower():
            problems.append(
                f"pages/for-your-partner: names the article {source.title!r}; name it by its "
                "author or publisher instead"
            )


def load_moved(root: Path, content: SiteContent, problems: list[str]) -> dict[str, str]:
    """Read moved.yaml (old step key -> the step it became); report keys that don't fit."""
    moved: dict[str, str] = {}
    if not (root / "moved.yaml").exists():
        return moved
    for where, item in _yaml_items(root / "moved.yaml", root, problems, "moved steps"):
        old, new = _text(item, "from", where, problems), _text(item, "to", where, problems)
        _text(item, "why", where, problems)
        _unknown_keys(item, {"from", "to", "why"}, where, problems)
        if old in content.step_keys:
            problems.append(f"{where}: {old!r} is still a step; only a step that is gone moves")
        elif new not in content.step_keys:
            problems.append(f"{where}: {new!r} is not a step")
        elif old in moved:
            problems.append(f"{where}: {old!r} is listed twice")
        elif old:
            moved[old] = new
    return moved


def load_content(root: Path = CONTENT_DIR) -> SiteContent:
    """Parse and render everything under *root*, or raise ContentError listing each problem."""
    problems: list[str] = []
    sources = load_sources(root, problems)
    pages = load_pages(root, problems)
    guides = []
    seen = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "pages"):
        guide = _load_guide(folder, sources, problems, root)
        if guide is None:
            continue
        if guide.slug in seen:
            problems.append(f"{_relative(folder, root)}: duplicate guide slug {guide.slug!r}")
            continue
        seen[guide.slug] = folder.name
        guides.append(guide)
    for required_page in ("safety", "for-your-partner"):  # the site links to both
        if required_page not in pages:
            problems.append(f"{_relative(root / 'pages', root)}: missing {required_page}.md")
    questions = load_questions(root, problems)
    content = SiteContent(guides=tuple(guides), sources=sources, pages=pages, questions=questions)
    _check_links(root, content, problems)
    content.claims = load_claims(root, content, problems)
    _check_partner_page(content, problems)
    content.moved = load_moved(root, content, problems)
    if problems:
        raise ContentError(problems)
    return content


@functools.cache
def site_content() -> SiteContent:
    """Return the site's content, loaded once per process."""
    return load_content()
