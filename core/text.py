"""Text folding for the searches and checks, in one place: apostrophes, case, accents, endings.

The journal's keyed index (journal/index.py), the guide search (guides/search.py)
and the boundary wording check (boundaries/wording.py) all fold text through here,
and the two searches share one stemmer, so a word typed into either finds the same
forms ("talked" finds "talking", "boundaries" finds "boundary").

`stem` only ever cuts a word's end, so a stem is a prefix of the word it came
from: the guide search matches it as a prefix of the guides' words, which it
reads in clear; the journal stores it as a keyed token, so every form of a word
must give the same stem. Changing `stem` changes the journal's tokens: the
journal's data migrations re-index every entry (journal.index.reindex_all).
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Straight, curly right and left, and the modifier letter apostrophe.
APOSTROPHES = "'\u2019\u2018\u02bc"
_CURLY_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# A word: letters and digits, with apostrophes inside it ("won't"), after normalise().
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

# Cuts below these lengths would leave too little to match safely: a plural's
# stem keeps three letters ("cats" is "cat"), any other ending's four.
_MIN_PLURAL_STEM = 3
_MIN_STEM = 4
_NOT_PLURAL = ("ss", "us", "is")  # "class", "focus", "this" end in s but are not plurals
_ES_AFTER = ("s", "x", "z", "ch", "sh")  # "boxes", "wishes": the e is part of the plural
_KEEP_DOUBLE = "lsz"  # "calling" is "call", but "stopped" is "stop"


def straight_apostrophes(text: str) -> str:
    """Curly single quotes as straight ones: one character for one, so spans still match."""
    return text.translate(_CURLY_QUOTES)


def without_accents(text: str) -> str:
    """Compatibility form with the accents dropped ("café" is "cafe", "ﬁ" is "fi")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Accents dropped, case folded, apostrophes straight: for matching words exactly."""
    if text.isascii():  # the same result, without decomposing (a third of indexing an entry)
        return text.lower()
    return straight_apostrophes(without_accents(text).casefold())


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = normalise(char)
    if len(folded) == 1:
        return folded
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def fold_in_place(text: str) -> str:
    """*text* normalised one character for one (case, accents, apostrophes), so that a span
    found in the result is the same span of *text*. A character whose folded form is longer
    ("ß" is "ss", "ﬁ" is "fi") is only lowered, or kept as it is."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(char) for char in text)


@functools.lru_cache(maxsize=65536)  # pure, and people's words repeat: a few MB at most
def stem(word: str) -> str:
    """The stem of one normalised word: possessive, apostrophes, plural and ending cut.

    Plurals first ("feelings" is "feeling", "boxes" "box", "stories" "stor"), then
    "-ing" or "-ed" with a doubled consonant undone ("stopped" is "stop"), then a
    final "e" or "y" ("cause" is "caus", "boundary" "boundar"), so the forms of a word
    meet: "talk", "talks", "talked" and "talking" are all "talk". Deliberately light:
    never below four letters for an ending (three for a plural), so short words stay
    whole and a search finds more rather than nothing.
    """
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    word = _without_plural(word)
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            word = word[: -len(ending)]
            doubled = word[-1] == word[-2] and word[-1] not in _KEEP_DOUBLE + "aeiou"
            return word[:-1] if doubled and len(word) - 1 >= _MIN_STEM else word
    if word.endswith(("e", "y")) and len(word) - 1 >= _MIN_STEM:
        return word[:-1]
    return word


def _without_plural(word: str) -> str:
    if word.endswith("ies") and len(word) - 3 >= _MIN_STEM:
        return word[:-3]  # "boundaries": "boundar", as "boundary" becomes
    long_enough = len(word) - 2 >= _MIN_PLURAL_STEM
    if long_enough and word.endswith("es") and word[:-2].endswith(_ES_AFTER):
        return word[:-2]
    if len(word) - 1 >= _MIN_PLURAL_STEM and word.endswith("s"):
        return word if word.endswith(_NOT_PLURAL) else word[:-1]
    return word


def words(text: str) -> list[str]:
    """The stems of *text*'s words, in order, with repeats (normalised, apostrophes dropped)."""
    return [stemmed for raw in _WORD.findall(normalise(text)) if (stemmed := stem(raw))]
