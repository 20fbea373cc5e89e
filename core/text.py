"""Text normalisation shared by the searches and checks: apostrophes, accents, case.

The journal's keyed index (journal/index.py), the guide search (guides/search.py)
and the boundary wording check (boundaries/wording.py) all fold text through here.
Each keeps its own word endings on top, for reasons of its own: the journal folds
plurals only (Porter's step 1a), because its words are stored as keyed tokens that
must stay equal to the ones already written; the guide search cuts longer endings
and matches the rest as a prefix of the guides' words, which it reads in clear.
"""

from __future__ import annotations

import unicodedata

# Straight, curly right and left, and the modifier letter apostrophe.
APOSTROPHES = "'\u2019\u2018\u02bc"
_CURLY_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def straight_apostrophes(text: str) -> str:
    """Curly single quotes as straight ones: one character for one, so spans still match."""
    return text.translate(_CURLY_QUOTES)


def without_accents(text: str) -> str:
    """Compatibility form with the accents dropped ("café" is "cafe", "ﬁ" is "fi")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Accents dropped, case folded, apostrophes straight: for matching words exactly."""
    return straight_apostrophes(without_accents(text).casefold())
