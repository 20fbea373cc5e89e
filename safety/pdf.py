"""The safety plan as a PDF: print options, the document, and the file name.

WeasyPrint is only called through core.pdf (the safe fetcher, a forked child within
time and memory limits). Nothing is cached: the plan may come from a visitor who is
not signed in, and nothing of theirs may stay on the server, not even encrypted. The
size is bounded before any layout by the form (sections.TEXT_LIMIT and LINE_LIMIT on
every field), so a plan at every limit prints to about a dozen pages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from core import pdf as core_pdf
from core.forms import PAPER_SIZES
from core.pdf import asset_url, pdf_filename

from . import lines
from .models import PlanContent
from .sections import SECTIONS, Section

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STYLESHEET = "css/safety-pdf.css"
SECTION_SLUGS = frozenset(section.slug for section in SECTIONS)

TITLE = _("My safety plan")
NEUTRAL_TITLE = _("Notes")


@dataclass(frozen=True)
class PrintOptions:
    paper: str = "a4"
    neutral: bool = False
    sections: frozenset[str] = field(default=SECTION_SLUGS)
    # Discreet mode is on: the file's own title (its metadata, which a PDF viewer shows
    # as the tab's title and a file manager may list) is plain whatever the page says.
    discreet: bool = False


@dataclass(frozen=True)
class DocumentField:
    label: StrOrPromise
    text: str


@dataclass(frozen=True)
class DocumentSection:
    slug: str
    title: StrOrPromise
    fields: tuple[DocumentField, ...]
    region: str = ""


def document_title(options: PrintOptions) -> StrOrPromise:
    return NEUTRAL_TITLE if options.neutral else TITLE


def metadata_title(options: PrintOptions) -> StrOrPromise:
    """The PDF's Title (from the HTML <title>): plain when printing plain or discreet."""
    return NEUTRAL_TITLE if options.neutral or options.discreet else TITLE


def filename(options: PrintOptions, today: datetime.date) -> str:
    stem = NEUTRAL_TITLE if options.neutral else _("safety plan")
    return pdf_filename(f"{stem} {today.isoformat()}")


def _section(section: Section, content: PlanContent, neutral: bool) -> DocumentSection:
    return DocumentSection(
        slug=section.slug,
        title=section.neutral if neutral else section.title,
        fields=tuple(
            DocumentField(f.neutral if neutral else f.label, content.text(f.name))
            for f in section.fields
        ),
        region=content.region if section.slug == "services" else "",
    )


def document_context(
    content: PlanContent, options: PrintOptions, *, today: datetime.date
) -> dict[str, Any]:
    """What templates/safety/_plan_document.html needs: the version page and the PDF."""
    sections = [
        _section(section, content, options.neutral)
        for section in SECTIONS
        if section.slug in options.sections
    ]
    # A plan printed to carry has the crisis lines of its place (with no place, every
    # place's, each named, as on the page), unless it must look plain.
    crisis = lines.crisis_lines_for(content.region)
    return {
        "doc_title": document_title(options),
        "sections": sections,
        "neutral": options.neutral,
        "today": today,
        "region": content.region,
        "crisis_lines": crisis
        if "hard-moments" in options.sections and not options.neutral
        else [],
    }


def plan_html(content: PlanContent, options: PrintOptions, *, today: datetime.date) -> str:
    """The print document WeasyPrint lays out. Every value is escaped by the template."""
    context = document_context(content, options, today=today)
    context["stylesheet_url"] = asset_url(STYLESHEET)
    context["page_size"] = PAPER_SIZES[options.paper]
    context["meta_title"] = metadata_title(options)
    return render_to_string("safety/plan_pdf.html", context)


def plan_pdf(content: PlanContent, options: PrintOptions, *, today: datetime.date) -> bytes:
    """The PDF of *content*, or PDFTooComplex saying why it cannot be made."""
    return core_pdf.render_pdf(plan_html(content, options, today=today))
