"""The keyed search index: what an entry can be found by, without storing any of its words.

Each entry's words (title, body, tags) are normalised, then replaced by a keyed
token (accounts.crypto.UserKeys.index_token: an HMAC with the owner's own key).
Tags, the mood and the guide get tokens of their own, in their own namespaces,
so every filter but the date is the same exact match on an indexed integer.

Normalising: Unicode compatibility form, accents dropped, case folded, curly
apostrophes straightened, a trailing possessive 's dropped, and plurals folded
by the first step of Porter's stemmer ("feelings" finds "feeling"). Search is by
whole words; prefixes are not indexed (that would multiply the index by five).

What a stolen database still shows (docs/privacy.md): which of one person's
entries share a word, a tag or a mood, and how often; not which words they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from accounts.crypto import UserKeys
from core.text import normalise

MAX_WORD = 40
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def _fold(word: str) -> str:
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    # Porter step 1a: plurals to singular, and nothing cleverer.
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The searchable words of *text*, normalised, in order, with repeats."""
    found = []
    for raw in _WORD.findall(normalise(text)):
        word = _fold(raw)
        if 2 <= len(word) <= MAX_WORD or (word.isdigit() and len(word) <= MAX_WORD):
            found.append(word)
    return found


def normalise_tag(tag: str) -> str:
    return " ".join(normalise(tag).split())


def word_term(word: str) -> str:
    return f"w:{word}"


def tag_term(tag: str) -> str:
    return f"t:{normalise_tag(tag)}"


def mood_term(mood: int) -> str:
    return f"m:{mood}"


def guide_term(guide_slug: str) -> str:
    return f"g:{guide_slug}"


def entry_terms(
    *, title: str, body: str, tags: Iterable[str], mood: int | None, step_key: str
) -> set[str]:
    """Every term an entry can be found by: its words, tags, mood and guide."""
    terms = {word_term(word) for word in words(f"{title}\n{body}\n{' '.join(tags)}")}
    terms.update(tag_term(tag) for tag in tags)
    if mood:
        terms.add(mood_term(mood))
    if step_key:
        terms.add(guide_term(step_key.split("/", 1)[0]))
    return terms


def tokens(keys: UserKeys, terms: Iterable[str]) -> list[int]:
    return sorted({keys.index_token(term) for term in terms})


def query_terms(query: str) -> list[str]:
    """The word terms of a search query, without repeats, in the order typed."""
    seen: list[str] = []
    for word in words(query):
        term = word_term(word)
        if term not in seen:
            seen.append(term)
    return seen
