"""The journal as a PDF: the HTML, a size check, and the one way to render it.

WeasyPrint itself is only ever called through core.pdf (safe fetcher, child
process, limits). journal_pdf() is the one way to get a PDF of entries, for the
journal's export and the account archive alike: it always runs check_size()
first, so no caller can skip it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from core.pdf import DEFAULT_TIMEOUT, PDFTooComplex, asset_url, render_pdf

from .charts import mood_chart
from .models import OpenedEntry

# Roughly what one line of body text holds on an A4 page of the journal PDF.
CHARS_PER_LINE = 80
# Laying out an entry costs about as much as 150 lines of its text, whatever its
# length (its heading, facts and page breaks): measured on this kind of machine
# under load, 100 entries of 2,000 characters (61 pages) took 27 s and 40 entries
# of 50,000 characters (472 pages) took 40 s, against 20 s for a boundary plan at
# every limit, which renders in 3-5 s on an idle machine. A selection within
# MAX_WEIGHT lays out in about 10-15 s on an idle machine; one far beyond it would
# only use up the time limit before failing, so it is refused before any layout.
ENTRY_WEIGHT = 150
MAX_WEIGHT = 40_000
# In the worker (journal.tasks), a PDF is given time that fits its work: a line took up
# to about 1.5 ms under load (above), so twice that on top of a short document's
# DEFAULT_TIMEOUT: 140 s for the largest selection MAX_WEIGHT lets through.
WORKER_SECONDS_PER_LINE = 0.003


def journal_pdf_html(title: str, entries: Sequence[OpenedEntry], first: date, last: date) -> str:
    """The print document WeasyPrint lays out. Entries are opened with body and HTML."""
    points = [(entry.entry_date, entry.mood) for entry in entries if entry.mood]
    return render_to_string(
        "journal/export_pdf.html",
        {
            "title": title,
            "entries": entries,
            "first": first,
            "last": last,
            "made": timezone.localdate(),
            "chart": mood_chart(points),
            "mood_count": len(points),
            "stylesheet_url": asset_url("css/journal-pdf.css"),
        },
    )


def _lines(text: str) -> int:
    return sum(max(1, math.ceil(len(line) / CHARS_PER_LINE)) for line in text.split("\n"))


def weight(entries: Sequence[OpenedEntry]) -> int:
    """What laying out *entries* costs, in lines of text (an entry's own parts count as
    ENTRY_WEIGHT lines)."""
    return sum(ENTRY_WEIGHT + _lines(entry.body) for entry in entries)


def check_size(entries: Sequence[OpenedEntry]) -> None:
    """Refuse, before any layout, a selection of entries far too long for one PDF."""
    if weight(entries) <= MAX_WEIGHT:
        return
    count = len(entries)
    raise PDFTooComplex(
        f"These {count:,} entries are more than we can lay out in one PDF. "
        "Choose a shorter period or leave some entries out, or export them as "
        "Markdown or JSON, which have no such limit."
    )


def worker_seconds(entries: Sequence[OpenedEntry]) -> float:
    """The time the worker gives the layout of *entries*: more for more text."""
    return DEFAULT_TIMEOUT + WORKER_SECONDS_PER_LINE * weight(entries)


def journal_pdf(
    title: str,
    entries: Sequence[OpenedEntry],
    *,
    render: Callable[[str], bytes] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> bytes:
    """Return the PDF of *entries* (oldest first), or raise PDFTooComplex saying why not.

    *render* is core.pdf.render_pdf by default (with *timeout*), or a batch's
    RenderBudget.render.
    """
    check_size(entries)
    html = journal_pdf_html(title, entries, entries[0].entry_date, entries[-1].entry_date)
    if render is None:
        return render_pdf(html, timeout=timeout)
    return render(html)
