"""Search the guides in memory: every step's text is already loaded, so no index is needed."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .content import Guide, SiteContent, Step

MAX_QUERY = 200
SNIPPET_RADIUS = 110
CURLY = "\u2019"  # the right single quotation mark smartypants writes for apostrophes
_TERM = re.compile(r"[\w'\u2019]+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    guide: Guide
    step: Step
    snippet: SafeString
    score: int


def stem(term: str) -> str:
    """Cut a common English ending so that the rest matches every form as a prefix.

    "boundary" and "boundaries" both become "boundar"; "talking" and "talked",
    "talk". Deliberately light: it only ever shortens a word, and never below four
    letters, so a search finds more rather than nothing.
    """
    for ending, keep in (("ies", ""), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("y", "")):
        if term.endswith(ending) and len(term) - len(ending) >= 4:
            return term[: -len(ending)] + keep
    return term


def terms_of(query: str) -> list[str]:
    """Stems of the query's words of two or more letters, without repeats, in order."""
    seen = []
    for word in _TERM.findall(query.casefold()):
        term = stem(word.replace(CURLY, "'").strip("'"))
        if len(term) >= 2 and term not in seen:
            seen.append(term)
    return seen


def search(content: SiteContent, query: str) -> list[Hit]:
    """Return the steps that contain every term (as a word prefix), best first."""
    terms = terms_of(query)
    if not terms:
        return []
    patterns = [re.compile(r"\b" + re.escape(term), re.IGNORECASE) for term in terms]
    hits = []
    for guide in content.guides:
        for step in guide.steps:
            text = step.text.replace(CURLY, "'")
            counts = [len(pattern.findall(text)) for pattern in patterns]
            if not all(counts):
                continue
            title = step.title.casefold()
            score = sum(counts) + sum(10 for term in terms if term in title)
            snippet_source = (
                step.body_text
                if any(p.search(step.body_text) for p in patterns)
                else (step.summary)
            )
            hits.append(Hit(guide, step, _snippet(snippet_source, patterns), score))
    hits.sort(key=lambda hit: (-hit.score, hit.guide.number, hit.step.number))
    return hits


def _snippet(text: str, patterns: list[re.Pattern]) -> SafeString:
    """A window of text around the first match, escaped, with every term in <mark>."""
    plain = text.replace(CURLY, "'")
    first = min((m.start() for p in patterns if (m := p.search(plain)) is not None), default=0)
    start = max(0, first - SNIPPET_RADIUS)
    end = min(len(text), first + SNIPPET_RADIUS)
    if start > 0:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > first else end
    window = text[start:end]
    combined = re.compile("|".join(rf"(?:{p.pattern}[\w']*)" for p in patterns), re.IGNORECASE)
    out, last = [], 0
    for match in combined.finditer(window.replace(CURLY, "'")):
        out.append(escape(window[last : match.start()]))
        out.append(f"<mark>{escape(window[match.start() : match.end()])}</mark>")
        last = match.end()
    out.append(escape(window[last:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 (every piece is escaped)
