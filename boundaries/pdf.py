"""A boundary plan as a PDF: print options, the HTML, a size check, and a cache.

WeasyPrint itself is only ever called through core.pdf (safe fetcher, child
process, limits). This module decides what goes on the page and keeps the last
PDF of each plan, so an unchanged plan exports again without a render. plan_pdf()
is the one way to make a plan's PDF, for the worker making it for the plan's page
(boundaries.tasks) and the account archive alike; cached_plan_pdf() is the plan
page's look into the cache, never rendering. Both run check_size() first, so no
caller can skip it.

The cache holds one entry per plan: the PDF, encrypted under the server keys (it
is as private as the plan, and production caches live on disk), with an HMAC of
the exact HTML it came from and of the bundled assets. A repeat export renders
the HTML (a few milliseconds), and if the digest matches, returns the cached PDF.
Deleting the plan, or the account, deletes the entry.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.fernet import InvalidToken
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

from accounts.crypto import server_cipher
from core.forms import PAPER_SIZES
from core.pdf import PDFTooComplex, asset_url, pdf_filename, render_pdf

from .labels import FIELD_LABELS, NEUTRAL_LABELS
from .models import BoundaryContent, Plan, PlanContent, Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STYLESHEET = "css/plan-pdf.css"
# Everything the print stylesheet loads: a change to any of them must miss the cache.
ASSETS = (
    STYLESHEET,
    "css/pdf-base.css",
    "fonts/atkinson-hyperlegible-next-latin-400-normal.woff2",
    "fonts/atkinson-hyperlegible-next-latin-400-italic.woff2",
    "fonts/atkinson-hyperlegible-next-latin-700-normal.woff2",
    "fonts/fraunces-latin-600-normal.woff2",
)
CACHE_SECONDS = 24 * 60 * 60

# Roughly what one line of body text holds on the narrower paper (US Letter).
CHARS_PER_LINE = 80
# Measured on this kind of machine: a plan at every limit (30 boundaries, every
# field 2,000 characters of prose) counts ~3,950 lines, prints to 83 pages and
# renders in 3-5 s at ~125 MB; 3,400 one-word lines take ~2.3 s. This lets the
# first through and refuses, before any layout, text made of thousands of short
# lines (up to 300,000 of them fit in the field limits).
MAX_LINES = 4_500
# A part longer than this may break across pages; shorter ones move to the next page whole.
LONG_PART_LINES = 12

PARTS = (
    ("why", gettext_lazy("Why this plan matters")),
    ("need", gettext_lazy("The need behind each boundary")),
    ("say", gettext_lazy("How I'll say it")),
    ("if_crossed", gettext_lazy("What I'll do if it's crossed")),
    ("support", gettext_lazy("Who supports me")),
    ("review", gettext_lazy("Status and review date")),
)
PART_NAMES = frozenset(name for name, _ in PARTS)

LABELS: dict[bool, dict[str, StrOrPromise]] = {
    False: {
        "kicker": gettext_lazy("Boundary plan"),
        "why": gettext_lazy("Why this matters to me"),
        "item": gettext_lazy("Boundary"),
        "need": FIELD_LABELS["need"],
        "action": FIELD_LABELS["action"],
        "say": FIELD_LABELS["say"],
        "if_crossed": FIELD_LABELS["if_crossed"],
        "support": FIELD_LABELS["support"],
        "status": FIELD_LABELS["status"],
        "review": FIELD_LABELS["review_on"],
        "printed": gettext_lazy("Printed"),
        "count": ngettext_lazy("%(count)d boundary", "%(count)d boundaries", "count"),
    },
    # Safe to print: nothing on the page or in the file says what it is about.
    True: {
        "kicker": "",
        "why": gettext_lazy("Background"),
        "item": gettext_lazy("Note"),
        "need": NEUTRAL_LABELS["need"],
        "action": NEUTRAL_LABELS["action"],
        "say": NEUTRAL_LABELS["say"],
        "if_crossed": NEUTRAL_LABELS["if_crossed"],
        "support": NEUTRAL_LABELS["support"],
        "status": NEUTRAL_LABELS["status"],
        "review": NEUTRAL_LABELS["review_on"],
        "printed": gettext_lazy("Printed"),
        "count": ngettext_lazy("%(count)d note", "%(count)d notes", "count"),
    },
}
NEUTRAL_TITLE = gettext_lazy("Notes")


@dataclass(frozen=True)
class PrintOptions:
    paper: str = "a4"
    neutral: bool = False
    parts: frozenset[str] = field(default=PART_NAMES)
    # Discreet mode is on: the file's own title (its metadata, which a PDF viewer shows
    # as the tab's title) is plain even when the page shows the plan's own title.
    discreet: bool = False

    def shows(self, part: str) -> bool:
        return part in self.parts

    def as_data(self) -> dict[str, Any]:
        """The options as plain JSON values (a PDF job's input: boundaries.tasks)."""
        return {
            "paper": self.paper,
            "neutral": self.neutral,
            "parts": sorted(self.parts),
            "discreet": self.discreet,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> PrintOptions:
        """The options as_data() gave; ValueError for anything it could not have given."""
        parts = frozenset(data["parts"])
        if data["paper"] not in PAPER_SIZES or not parts <= PART_NAMES:
            raise ValueError("Print options that no form offers.")
        return cls(
            paper=data["paper"],
            neutral=bool(data["neutral"]),
            parts=parts,
            discreet=bool(data["discreet"]),
        )


def document_title(content: PlanContent, options: PrintOptions) -> str:
    return str(NEUTRAL_TITLE) if options.neutral else content.title


def metadata_title(content: PlanContent, options: PrintOptions) -> str:
    """The PDF's Title (from the HTML <title>): plain when printing plain or discreet."""
    return str(NEUTRAL_TITLE) if options.neutral or options.discreet else content.title


def filename(content: PlanContent, options: PrintOptions, today: datetime.date) -> str:
    stem = f"{NEUTRAL_TITLE} {today.isoformat()}" if options.neutral else content.title
    return pdf_filename(stem)


@dataclass(frozen=True)
class DocumentItem:
    number: int
    boundary: BoundaryContent
    status_label: str
    outline: str  # the PDF bookmark: "Boundary 2: I will …"
    flags: tuple = ()  # the wording check's notes (on the page only)
    due: bool = False  # review date reached (on the page only)
    long: frozenset = frozenset()  # parts too long to keep whole on one page


def document_context(
    content: PlanContent,
    options: PrintOptions,
    *,
    today: datetime.date | None = None,
    advice: dict[int, list] | None = None,
    mark_due: bool = False,
    dated: tuple[StrOrPromise, datetime.date] | None = None,
) -> dict:
    """What templates/boundaries/_plan_document.html needs, for the page and the PDF alike.

    *advice* (the wording check's notes by boundary number) and *mark_due* are for
    the plan's page only; the PDF gets neither. *dated* replaces the line under the
    title ("Printed" and today's date) with another label and date.
    """
    labels = LABELS[options.neutral]
    today = today or timezone.localdate()
    advice = advice or {}
    statuses = dict(Status.choices)
    items = []
    for number, boundary in enumerate(content.boundaries, start=1):
        outline = f"{labels['item']} {number}"
        if boundary.action.strip():
            outline += f": {Truncator(' '.join(boundary.action.split())).chars(70)}"
        items.append(
            DocumentItem(
                number=number,
                boundary=boundary,
                status_label=str(statuses.get(boundary.status, boundary.status)),
                outline=outline,
                flags=tuple(advice.get(number, ())),
                due=mark_due and boundary.review_on is not None and boundary.review_on <= today,
                long=frozenset(
                    name
                    for name in BoundaryContent.TEXT_FIELDS
                    if _lines(getattr(boundary, name)) > LONG_PART_LINES
                ),
            )
        )
    count = len(items)
    return {
        "content": content,
        "items": items,
        "options": options,
        "labels": labels,
        "doc_title": document_title(content, options),
        "today": today,
        "dated_label": dated[0] if dated else labels["printed"],
        "dated": dated[1] if dated else today,
        "count_label": labels["count"] % {"count": count},
        "show": {name: options.shows(name) for name in PART_NAMES},
    }


def plan_html(content: PlanContent, options: PrintOptions, *, today=None) -> str:
    """The print document WeasyPrint lays out. Every user value is escaped by the template."""
    context = document_context(content, options, today=today)
    context["stylesheet_url"] = asset_url(STYLESHEET)
    context["page_size"] = PAPER_SIZES[options.paper]
    context["meta_title"] = metadata_title(content, options)
    return render_to_string("boundaries/plan_pdf.html", context)


def _lines(text: str) -> int:
    return sum(max(1, math.ceil(len(line) / CHARS_PER_LINE)) for line in text.split("\n"))


def _weights(content: PlanContent, options: PrintOptions) -> Iterable[tuple[str, int]]:
    labels = LABELS[False]
    if options.shows("why"):
        yield gettext("Why this plan matters"), _lines(content.why)
    for number, boundary in enumerate(content.boundaries, start=1):
        for part in ("action", "need", "say", "if_crossed", "support"):
            if part == "action" or options.shows(part):
                where = gettext("Boundary %(number)d, “%(part)s”")
                yield (
                    where % {"number": number, "part": labels[part]},
                    _lines(getattr(boundary, part)),
                )


def check_size(content: PlanContent, options: PrintOptions) -> None:
    """Refuse, before any layout, a plan that would print to far too many pages.

    The message names the longest parts, so the user knows what to shorten.
    """
    weights = list(_weights(content, options))
    total = sum(lines for _, lines in weights) + 6 * len(content.boundaries)
    if total <= MAX_LINES:
        return
    longest = sorted(weights, key=lambda item: item[1], reverse=True)[:3]
    named = "; ".join(f"{label} ({lines:,} lines)" for label, lines in longest)
    raise PDFTooComplex(
        f"This plan would print to about {total // 50:,} pages, more than we can lay out. "
        f"The longest parts are: {named}. Shorten those, or leave some parts out of the "
        "PDF, and try again."
    )


@functools.cache
def _assets_fingerprint() -> bytes:
    digest = hashlib.sha256()
    for name in ASSETS:
        found = finders.find(name)
        digest.update(name.encode())
        digest.update(Path(found).read_bytes() if found else b"missing")
    return digest.digest()


def _digest(plan_pk, html: str) -> str:
    value = str(plan_pk).encode() + _assets_fingerprint() + html.encode("utf-8")
    return salted_hmac("boundaries.pdf", value, algorithm="sha256").hexdigest()


def _cache_key(plan_pk) -> str:
    return f"boundaries:pdf:{plan_pk}"


def _from_cache(plan_pk, digest: str) -> bytes | None:
    cached = cache.get(_cache_key(plan_pk))
    if cached is not None and constant_time_compare(cached[0], digest):
        try:
            return server_cipher().decrypt(cached[1])
        except InvalidToken:
            pass  # Keys rotated since: render again.
    return None


def cached_plan_pdf(
    plan_pk, content: PlanContent, options: PrintOptions, *, today: datetime.date | None = None
) -> bytes | None:
    """Return the plan's PDF if the cache holds it for exactly this HTML, or None.

    Nothing is rendered: the plan page answers with this at once, and hands a miss
    to the worker (boundaries.tasks). Like plan_pdf(), it raises PDFTooComplex for
    a plan too long to print, so the person hears that before any waiting.
    """
    check_size(content, options)
    html = plan_html(content, options, today=today)
    return _from_cache(plan_pk, _digest(plan_pk, html))


def plan_pdf(
    plan_pk,
    content: PlanContent,
    options: PrintOptions,
    *,
    today: datetime.date | None = None,
    render: Callable[[str], bytes] | None = None,
) -> bytes:
    """Return the PDF of a plan, or raise PDFTooComplex saying why it cannot be made.

    check_size() refuses an oversized plan before anything is laid out; then the
    plan's cache entry is used if the HTML is unchanged; otherwise *render* (by
    default core.pdf.render_pdf, or a batch's RenderBudget.render) makes it.
    """
    check_size(content, options)
    html = plan_html(content, options, today=today)
    digest = _digest(plan_pk, html)
    cached = _from_cache(plan_pk, digest)
    if cached is not None:
        return cached
    pdf = (render or render_pdf)(html)
    cache.set(_cache_key(plan_pk), (digest, server_cipher().encrypt(pdf)), CACHE_SECONDS)
    return pdf


def forget(plan) -> None:
    cache.delete(_cache_key(plan.pk))


def forget_all(user) -> None:
    """Drop the cached PDF of every plan of *user* (account deletion, before the plans go)."""
    pks = Plan.objects.for_user(user).values_list("pk", flat=True)
    cache.delete_many([_cache_key(pk) for pk in pks])
