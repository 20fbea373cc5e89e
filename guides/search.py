"""Search the guides in memory: every step's text is already loaded, so no index is needed.

People type the way they talk: "he wont go to therapy" without its apostrophe, "stonewalling"
where the guides say "withdrawal". So a query is cut into words with apostrophes dropped
(and matched with or without them), each word is shortened to a stem that matches its other
forms (core.text's, the journal search's too), and words or phrases found in
guides/content/synonyms.yaml also match the words the guides use for the same thing. A step
matches when every part of the query does. The guides' text is matched folded like the query
(case, accents, apostrophes), one character for one, so a match is a span of the text shown.

Snippets come from one block of the step (a paragraph, a list item, a quote), cut at word
boundaries, so a heading never runs into the text under it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import yaml
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from core.text import APOSTROPHES, fold_in_place, stem
from core.text import words as stems_of

from .content import CONTENT_DIR, Guide, SiteContent, Step

MAX_QUERY = 200
SNIPPET_RADIUS = 110  # characters either side of the first match, in a long block
SYNONYMS_FILE = CONTENT_DIR / "synonyms.yaml"
MAX_SYNONYM_ENTRIES = 200
MAX_SYNONYM_WORDS = 6  # words in one phrase

# Between two letters of a term the text may have an apostrophe or a hyphen: "wont" finds
# "won't" and its curly form, "selfcare" finds "self-care".
_INSIDE = f"[{APOSTROPHES}\\-\u2010\u2011]?"
# Between two words of a phrase: spaces, hyphens or dashes.
_BETWEEN = "[\\s\\-\u2010\u2011\u2013\u2014]+"
_WORD_REST = rf"[\w{APOSTROPHES}]*"
_BLOCK_TAGS = "p|li|h[1-6]|blockquote|dt|dd|td|th|pre|figcaption|summary"
_BLOCK = re.compile(rf"<({_BLOCK_TAGS})\b[^>]*>(.*?)</\1>", re.IGNORECASE | re.DOTALL)
_HEADING = re.compile(r"h[1-6]", re.IGNORECASE)


# Little words that carry no topic: "he won't go to therapy" is about "won't go" and
# "therapy", and steps written to "you" about "your partner" rarely say "he". They are
# left out of a query that has other words (and kept in one made of nothing else).
_STOP_TEXT = (
    "a an and are as at be but by do does for from he her him his how i if in is it its me my "
    "of on or our she so than that the their them they this to us was we what when why will "
    "with you your"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class Hit:
    guide: Guide
    step: Step
    snippet: SafeString
    score: int


# The guides' texts, folded as the query is (a few hundred blocks and steps in all).
_folded = functools.lru_cache(maxsize=4096)(fold_in_place)


def terms_of(query: str) -> list[str]:
    """Stems of the query's words of two or more letters, without repeats, in order."""
    seen: list[str] = []
    for term in stems_of(query):
        if len(term) >= 2 and term not in seen:
            seen.append(term)
    return seen


def _pattern(phrase: tuple[str, ...]) -> str:
    """A regex for a phrase of stems, apostrophes and hyphens optional inside each word.

    A stem of four letters or more matches as a word prefix ("boundar" in "boundaries");
    a shorter word matches itself with a plain ending only, so "he" finds "he's" but not
    "heard", and "go" finds "goes" but not "good".
    """
    pieces = []
    for word in phrase:
        letters = _INSIDE.join(re.escape(letter) for letter in word)
        if len(word) >= 4:
            pieces.append(letters + _WORD_REST)
        else:
            pieces.append(letters + rf"(?:[{APOSTROPHES}]?s|es|ed|ing)?\b")
    return r"\b" + _BETWEEN.join(pieces)


# --- Synonyms -------------------------------------------------------------------------


@dataclass(frozen=True)
class Synonyms:
    # phrase typed (as stems) -> phrases the guides use (as stems), longest phrases first
    entries: tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...]
    # each phrase's stems -> the phrase as the list spells it, for messages about it
    spelled: dict[tuple[str, ...], str] = field(default_factory=dict)

    def alternatives(self, phrase: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        for words, means in self.entries:
            if words == phrase:
                return means
        return ()

    @functools.cached_property
    def longest(self) -> int:
        return max((len(words) for words, _ in self.entries), default=0)


def parse_synonyms(text: str) -> tuple[Synonyms, list[str]]:
    """Read synonyms.yaml's *text*: the list, and the problems that make it unusable."""
    problems: list[str] = []
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return Synonyms(()), [f"synonyms.yaml is not valid YAML: {error}"]
    if data is None:
        return Synonyms(()), []
    if not isinstance(data, list) or len(data) > MAX_SYNONYM_ENTRIES:
        return Synonyms(()), [
            f"synonyms.yaml must be a list of at most {MAX_SYNONYM_ENTRIES} entries, "
            "each with 'words' and 'means'"
        ]
    entries: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    spelled: dict[tuple[str, ...], str] = {}
    for number, entry in enumerate(data, start=1):
        where = f"synonyms.yaml, entry {number}"
        if not isinstance(entry, dict) or set(entry) != {"words", "means"}:
            problems.append(f"{where}: needs exactly the keys 'words' and 'means'")
            continue
        phrases: dict[str, list[tuple[str, ...]]] = {}
        for key in ("words", "means"):
            values = entry[key]
            if not isinstance(values, list) or not values:
                problems.append(f"{where}: '{key}' must be a list of words or phrases")
                continue
            for value in values:
                stems = tuple(stems_of(value)) if isinstance(value, str) else ()
                if not stems or len(stems) > MAX_SYNONYM_WORDS:
                    problems.append(
                        f"{where}: {value!r} in '{key}' must be text of 1 to "
                        f"{MAX_SYNONYM_WORDS} words"
                    )
                    continue
                phrases.setdefault(key, []).append(stems)
                spelled.setdefault(stems, value)
        for words in phrases.get("words", []):
            means = entries.setdefault(words, [])
            means += [m for m in phrases.get("means", []) if m not in means and m != words]
    ordered = sorted(entries.items(), key=lambda item: -len(item[0]))
    return Synonyms(tuple((words, tuple(means)) for words, means in ordered), spelled), problems


@functools.cache
def _synonyms_from(path: Path, modified: float) -> Synonyms:
    return parse_synonyms(path.read_text(encoding="utf-8"))[0]


def site_synonyms(path: Path = SYNONYMS_FILE) -> Synonyms:
    """The synonym list kept with the content (read again only when the file changes)."""
    try:
        return _synonyms_from(path, path.stat().st_mtime)
    except OSError:
        return Synonyms(())


def synonym_problems(content: SiteContent, path: Path = SYNONYMS_FILE) -> list[str]:
    """Problems with synonyms.yaml, including meanings that no step uses (they find nothing)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        return [f"synonyms.yaml cannot be read: {error}"]
    synonyms, problems = parse_synonyms(text)
    texts = [_folded(step.text) for step in content.steps]
    for words, means in synonyms.entries:
        for phrase in means:
            pattern = re.compile(_pattern(phrase), re.IGNORECASE)
            if not any(pattern.search(text) for text in texts):
                problems.append(
                    f"synonyms.yaml: {synonyms.spelled[phrase]!r} "
                    f"(for {synonyms.spelled[words]!r}) "
                    "is in no step, so it would find nothing"
                )
    return problems


# --- Searching ------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One part of a query: a word or phrase, and the patterns any of which matches it."""

    phrase: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]


def parts_of(query: str, synonyms: Synonyms | None = None) -> list[Part]:
    """Cut *query* into parts, joining the words that make up a phrase in the synonym list."""
    synonyms = site_synonyms() if synonyms is None else synonyms
    words = terms_of(query)
    parts: list[Part] = []
    index = 0
    while index < len(words):
        for size in range(min(synonyms.longest, len(words) - index), 0, -1):
            phrase = tuple(words[index : index + size])
            if means := synonyms.alternatives(phrase):
                break
        else:
            phrase, means = (words[index],), ()
        patterns = tuple(re.compile(_pattern(option), re.IGNORECASE) for option in (phrase, *means))
        parts.append(Part(phrase, patterns))
        index += len(phrase)
    topical = [part for part in parts if part.phrase not in _STOP_PHRASES]
    return topical or parts


_STOP_PHRASES = frozenset((stem(word),) for word in STOP_WORDS)


@functools.lru_cache(maxsize=256)
def blocks_of(html: str) -> tuple[tuple[bool, str], ...]:
    """The step's blocks of text in order, as (is_heading, plain text)."""
    blocks = []
    for match in _BLOCK.finditer(html):
        inner = match.group(2)
        if _BLOCK.search(inner):  # a list item holding paragraphs: take the paragraphs
            continue
        text = re.sub(r"\s+", " ", unescape(strip_tags(inner))).strip()
        if text:
            blocks.append((bool(_HEADING.fullmatch(match.group(1))), text))
    return tuple(blocks)


def search(content: SiteContent, query: str) -> list[Hit]:
    """Return the steps that match every part of *query*, best first."""
    parts = parts_of(query)
    if not parts:
        return []
    hits = []
    for guide in content.guides:
        for step in guide.steps:
            text = _folded(step.text)
            counts = [sum(len(p.findall(text)) for p in part.patterns) for part in parts]
            if not all(counts):
                continue
            title_bonus = sum(
                10 for part in parts if any(p.search(_folded(step.title)) for p in part.patterns)
            )
            hits.append(Hit(guide, step, _snippet(step, parts), sum(counts) + title_bonus))
    hits.sort(key=lambda hit: (-hit.score, hit.guide.number, hit.step.number))
    return hits


def _snippet(step: Step, parts: list[Part]) -> SafeString:
    """The block that matches most parts of the query (text before headings), cut around
    its first match at word boundaries, escaped, with every match in <mark>."""
    patterns = [pattern for part in parts for pattern in part.patterns]

    def rank(item):
        index, (heading, text) = item
        folded = _folded(text)
        matched = sum(any(p.search(folded) for p in part.patterns) for part in parts)
        return (-matched, heading, index)

    best = min(enumerate(blocks_of(step.html)), key=rank, default=None)
    # with no block matching, the words are in the title, summary or key ideas only
    text = step.summary if best is None or rank(best)[0] == 0 else best[1][1]
    return _window(text, patterns)


def _window(text: str, patterns: list[re.Pattern]) -> SafeString:
    folded = _folded(text)  # the same length as text: its spans are text's spans
    first = min((m.start() for p in patterns if (m := p.search(folded)) is not None), default=0)
    start, end = 0, len(text)
    if len(text) > 2 * SNIPPET_RADIUS:
        start = max(0, first - SNIPPET_RADIUS)
        end = min(len(text), max(first, start) + SNIPPET_RADIUS + SNIPPET_RADIUS // 2)
        if start > 0:
            # begin at a sentence if one starts shortly before the match, else at a word
            sentence = text.rfind(". ", start, first)
            start = sentence + 2 if sentence != -1 else (text.find(" ", start, first) + 1 or start)
        if end < len(text):
            space = text.rfind(" ", first, end)
            end = space if space != -1 else end
    window = text[start:end]
    combined = re.compile("|".join(f"(?:{p.pattern}{_WORD_REST})" for p in patterns), re.I)
    out: list[str] = []
    last = 0
    for match in combined.finditer(folded[start:end]):
        out.append(escape(window[last : match.start()]))
        out.append(f"<mark>{escape(window[match.start() : match.end()])}</mark>")
        last = match.end()
    out.append(escape(window[last:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 (every piece is escaped)
