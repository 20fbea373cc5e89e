"""The gentle check: notice wording that tries to control the partner.

A boundary describes what the user will do; "you must", "you need to", "he has
to" describe what someone else must do. The check only advises: views show what
it finds next to the boundary and save the plan anyway. The same rules serve the
page (after a save, and on the plan's page) and the live check in plans.js, which
asks the server (boundaries:check) so there is one set of rules.

A boundary that mentions being followed, blocked in, watched, kept short of money,
threatened or hurt (signs.py) gets one gentle note about safety first, instead of
any rewrite: that is not a wording problem, and a limit alone may not keep anyone safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from core.text import fold_in_place

from . import signs
from .labels import FIELD_LABELS

# Fields that say what the user will do or say; the need and the support are theirs alone.
CHECKED_FIELDS = {name: FIELD_LABELS[name] for name in ("action", "say", "if_crossed")}
# Every text field is read for signs of control or danger, the need and the support too.
SCANNED_FIELDS = ("need", "action", "say", "if_crossed", "support")

# Words that turn "you will" into a condition or a question rather than an order:
# "when you need to talk, I'll listen", "I'll ask what you will need".
_CONDITION = {
    "if", "when", "whenever", "whether", "what", "how", "where", "why", "who", "until",
    "unless", "once", "while", "before", "after", "as", "because",
}  # fmt: skip

# What makes "you …" an order: the list in the guide ("you must", "you need to",
# "you will …") and its relatives.
_MODAL_ORDER = (
    r"(?:really\s+|just\s+|simply\s+)?"
    r"(?:must(?:n't|\s+not)?|needs?\s+to|ha(?:ve|s)\s+to|(?:have|has|'ve|'s)\s+got\s+to"
    r"|got\s+to|gotta|should(?:n't|\s+not)?|ought\s+to|had\s+better|'d\s+better"
    r"|(?:are|is|'re|'s)\s+not\s+allowed\s+to|(?:aren't|isn't)\s+allowed\s+to|may\s+not)"
)
# Only for "you": "you will stop" is an order, "he won't listen" a description.
_MODAL_FUTURE = (
    r"(?:will(?:\s+not)?|won't|'ll|(?:are|'re)\s+(?:not\s+)?going\s+to|can't|cannot|can\s+not)"
)
_SUBJECT_YOU = r"you"
_SUBJECT_OTHER = (
    r"(?:he|she|they|my\s+(?:partner|husband|wife|boyfriend|girlfriend|spouse|fiancee?"
    r"|other\s+half))"
)

_RULES = (
    ("demand", _SUBJECT_YOU + r"\s*(?:" + _MODAL_ORDER + "|" + _MODAL_FUTURE + ")"),
    ("other", _SUBJECT_OTHER + r"\s*" + _MODAL_ORDER),
    (
        "force",
        r"(?:force\s+you|(?:won't|will\s+not|not\s+going\s+to|never)\s+let\s+you"
        r"|make\s+you\s+(?:stop|go|change|see|listen|understand|come|do|realise|realize))",
    ),
)
# The word before the phrase (group 1) decides whether it is a condition, not an order.
_PATTERNS = tuple(
    (kind, re.compile(r"(?:\b([a-z]+)\s+)?\b(?P<hit>" + body + r")(?![a-z])"))
    for kind, body in _RULES
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i'll|i've|i'd|me|my|myself|mine)\b")
_QUOTE_WORDS = 6


# What a finding means, by kind ("other" reads as a demand too), and what to try
# instead, by field (the action's suggestion serves any other field).
_EXPLANATIONS = {
    "no-i": gettext_noop(
        "This boundary doesn't say yet what you will do. "
        "A boundary is your own action, the part that stays in your hands."
    ),
    "force": gettext_noop(
        "“%(phrase)s” tries to decide what your partner does. "
        "A boundary can't make anyone act; it says what you will do."
    ),
    "demand": gettext_noop(
        "“%(phrase)s” tells your partner what they have to do. "
        "A boundary describes your own action, so it holds whatever they choose."
    ),
}
_SUGGESTIONS = {
    "say": gettext_noop(
        "Try an I-statement: “I feel …, I need …, so I will …”. "
        "Say what you will do, not what they must."
    ),
    "if_crossed": gettext_noop(
        "Try: “If it happens again, I will …”, naming a step you can take yourself, "
        "such as leaving the room, ending the call or calling a friend."
    ),
    "action": gettext_noop(
        "Try starting with “I will …”. For example: “When that happens, I will say I'm "
        "stepping out of the conversation, and come back to it later.”"
    ),
}


# The safety note: what each sign may be, then what can help (the same for every sign).
SAFETY_TITLE = gettext_noop("A note about safety")
_SIGN_NOTES = {
    signs.FOLLOWED: gettext_noop(
        "Being followed from room to room, or to the places you go, can be a way to control you."
    ),
    signs.BLOCKED: gettext_noop(
        "Being stopped from leaving a room or the house, or from going out on your own, is a "
        "serious warning sign."
    ),
    signs.MONITORED: gettext_noop(
        "Having your phone, messages, accounts or location checked, or being recorded or "
        "tracked, is a form of control, even when it is called worry or love."
    ),
    signs.MONEY: gettext_noop(
        "Having money or work kept from you, or watched over, is a form of control. It is "
        "called financial or economic abuse."
    ),
    signs.THREATENED: gettext_noop(
        "Threats are a form of abuse, and so are threats to hurt themselves, the children or "
        "pets. So is a knife or other weapon used to scare you. Living in fear of a partner is "
        "a sign too."
    ),
    signs.ISOLATED: gettext_noop(
        "Being kept from friends or family, or having your phone, passport or papers kept from "
        "you, is a form of control. It can leave you with no one to turn to."
    ),
    signs.INTIMIDATED: gettext_noop(
        "Breaking your things, shouting in your face, standing over you or driving fast to "
        "scare you is intimidation. It is a form of abuse, even if you are never hit."
    ),
    signs.IMAGES: gettext_noop(
        "Sharing intimate photos or videos of you without your consent, or threatening to, "
        "is abuse. In many places it is also a crime."
    ),
    signs.HURT: gettext_noop(
        "Being hurt, grabbed, spat on or forced is abuse, whatever led up to it. So is being "
        "pressured into sex, or having your birth control interfered with."
    ),
}
_SAFETY_HELP = gettext_noop(
    "If this is happening, it is not your fault. A limit on its own may not keep you safe, "
    "and setting one can make things worse. A domestic abuse service can help you work out "
    "what is safe. A safety plan can help too."
)
# The safety plan's address (the safety app) and the safety page's.
SAFETY_LINKS = (
    ("/safety/plan/", gettext_noop("Make a safety plan")),
    ("/safety/", gettext_noop("Safety and crisis lines")),
)


@dataclass(frozen=True)
class WordingFlag:
    field: str
    kind: str  # "safety", "demand", "other", "force" or "no-i"
    phrase: str  # the user's own words, a few of them, for the quote ("" for safety)
    signs: tuple[str, ...] = ()  # for "safety": what the boundary mentions, in signs.SIGNS order

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS[self.field])

    @property
    def title(self) -> str:
        return (
            gettext(SAFETY_TITLE) if self.kind == "safety" else gettext("A thought on the wording")
        )

    @property
    def links(self) -> list[dict[str, str]]:
        if self.kind != "safety":
            return []
        return [{"url": url, "text": gettext(text)} for url, text in SAFETY_LINKS]

    @property
    def explanation(self) -> str:
        if self.kind == "safety":
            return " ".join(gettext(_SIGN_NOTES[sign]) for sign in self.signs)
        # A message without %(phrase)s comes back unchanged from the % with a mapping.
        return gettext(_EXPLANATIONS.get(self.kind, _EXPLANATIONS["demand"])) % {
            "phrase": self.phrase
        }

    @property
    def suggestion(self) -> str:
        if self.kind == "safety":
            return gettext(_SAFETY_HELP)
        return gettext(_SUGGESTIONS.get(self.field, _SUGGESTIONS["action"]))

    def as_dict(self) -> dict:
        return {
            "field": self.field,
            "field_label": self.field_label,
            "kind": self.kind,
            "phrase": self.phrase,
            "explanation": self.explanation,
            "suggestion": self.suggestion,
            "title": self.title,
            "links": self.links,
        }


def _quote(text: str, start: int, end: int) -> str:
    """The matched words and a few after them, up to the end of the clause."""
    clause = re.split(r"[.,;:!?\n]", text[start:], maxsplit=1)[0].split()
    shown = max(_QUOTE_WORDS, len(text[start:end].split()))
    return " ".join(clause[:shown]) + ("…" if len(clause) > shown else "")


def _safety_flag(field: str, found: list[str]) -> WordingFlag:
    return WordingFlag(field=field, kind="safety", phrase="", signs=tuple(found))


def check_text(field: str, text: str) -> list[WordingFlag]:
    """Return what the check notices in one field (empty when it reads as the user's own).

    A sign of control or danger comes back alone, as one "safety" flag: no rewrite.
    """
    if field not in SCANNED_FIELDS or not text or not text.strip():
        return []
    if found := signs.safety_signs(text):
        return [_safety_flag(field, found)]
    if field not in CHECKED_FIELDS:
        return []
    lowered = fold_in_place(text)  # one character for one: its spans are text's spans
    flags: list[WordingFlag] = []
    seen: set[str] = set()
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(lowered):
            if match.group(1) in _CONDITION:
                continue
            phrase = _quote(text, *match.span("hit"))
            if phrase.lower() not in seen:
                seen.add(phrase.lower())
                flags.append(WordingFlag(field=field, kind=kind, phrase=phrase))
    if field == "action" and not flags and not _FIRST_PERSON.search(lowered):
        flags.append(WordingFlag(field=field, kind="no-i", phrase=""))
    return flags


def check_boundary(values: dict[str, str]) -> list[WordingFlag]:
    """Check one boundary, given as {field name: text}.

    If any field mentions a sign of control or danger, the answer is one safety flag
    (naming every sign found, at the first field that shows one) and nothing else.
    """
    found = {field: signs.safety_signs(values.get(field, "")) for field in SCANNED_FIELDS}
    if any(found.values()):
        first = next(field for field in SCANNED_FIELDS if found[field])
        every = {sign for field_signs in found.values() for sign in field_signs}
        return [_safety_flag(first, [sign for sign in signs.SIGNS if sign in every])]
    return [flag for field in CHECKED_FIELDS for flag in check_text(field, values.get(field, ""))]


def is_safety_note(flags: Iterable[WordingFlag]) -> bool:
    """Whether a boundary's flags are the safety note rather than wording advice."""
    return any(flag.kind == "safety" for flag in flags)


def check_boundaries(boundaries: Iterable) -> dict[int, list[WordingFlag]]:
    """Map each boundary's number (1-based) to its flags, for boundaries that have any."""
    found = {}
    for number, boundary in enumerate(boundaries, start=1):
        flags = check_boundary({field: getattr(boundary, field, "") for field in SCANNED_FIELDS})
        if flags:
            found[number] = flags
    return found
