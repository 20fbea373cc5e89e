"""The one place WeasyPrint is called, with the one URL fetcher it may use.

WeasyPrint's default fetcher follows any URL: file:, http(s) to any host,
redirects, <link rel=attachment> (measured: a hostile document embedded
/etc/passwd). Here the only thing a document can load is a file the site bundles
in static/, named by an absolute URL under ASSET_BASE, which is never fetched
from the network. Rendering happens in core.sandbox's forked child, with a time
limit and a memory limit (on the address space it adds and the memory it writes),
so a document that is too big or too deep costs the web worker nothing; the caller
gets PDFTooComplex with a reason to show. The sandbox gives each child a folder of
its own for temporary files (WeasyPrint unpacks the bundled fonts) and removes it
however the child ended. A batch of renders (the account
archive) shares a RenderBudget: how many, how long in all, how much memory each.

Templates reference assets as {{ pdf_asset_base }}css/pdf.css (see asset_url()).
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import weasyprint  # imported once per process: it costs ~0.7 s (gunicorn --preload)
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core import sandbox

logger = logging.getLogger(__name__)

ASSET_BASE = "https://pdf-assets.invalid/static/"
MAX_DEPTH = 40
DEFAULT_TIMEOUT = 20.0
DEFAULT_MEMORY_MB = 768


class PDFTooComplex(Exception):
    """The document could not be rendered within the limits; str() says why, for users."""


class PDFBudgetSpent(PDFTooComplex):
    """A batch of renders has used its allowance, so this one was not tried; str() says which."""


def asset_url(path: str) -> str:
    return ASSET_BASE + path.lstrip("/")


class BundledAssetFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
    """Serve bundled static files under ASSET_BASE; refuse every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"https"}, allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = self._local_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError("Only the site's bundled assets can be used in a PDF.")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url,
            body=path.read_bytes(),
            headers={"Content-Type": mime or "application/octet-stream"},
        )

    @staticmethod
    def _local_path(url: str) -> Path | None:
        if not url.startswith(ASSET_BASE):
            return None
        relative = url[len(ASSET_BASE) :].split("?", 1)[0].split("#", 1)[0]
        if not relative or ".." in relative.split("/") or relative.startswith("/"):
            return None
        found = finders.find(relative)
        return Path(found) if found else None


class _DepthGauge(HTMLParser):
    VOID = {"br", "hr", "img", "input", "link", "meta", "col", "wbr", "source", "area", "base"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.depth = max(0, self.depth - 1)


def nesting_depth(html: str) -> int:
    gauge = _DepthGauge()
    gauge.feed(html)
    return gauge.deepest


def render_pdf_in_process(html: str) -> bytes:
    """Render *html* here, in this process, with the safe fetcher (for benchmarks and the child)."""
    # The fetcher given to HTML() serves the document's stylesheets, fonts, images
    # and attachments alike (write_pdf() takes no fetcher of its own).
    document = weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=BundledAssetFetcher())
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf


@functools.cache
def warm_up() -> None:
    """Lay out one fixed, tiny document in this process, once.

    WeasyPrint (Pango, fontconfig, its own caches) is slow the first time it lays
    anything out in a process. Renders happen in children forked from here, so
    without this every child starts cold: measured, a 10-boundary plan took about
    0.76 s from a cold parent against 0.54 s from a warmed one. No user text is
    involved, so doing it in the web worker is safe.
    """
    render_pdf_in_process("<!DOCTYPE html><html lang=en><p>Warm-up</p></html>")


def _render_child(html: str, send: sandbox.Send) -> None:
    try:
        send(b"ok" + render_pdf_in_process(html))
    except MemoryError:
        send(b"memory")
    except RecursionError:
        send(b"depth")
    except BaseException:
        send(b"error")


def render_pdf(
    html: str, *, timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB
) -> bytes:
    """Return the PDF for *html*, rendered in a child process within time and memory limits."""
    if nesting_depth(html) > MAX_DEPTH:
        raise PDFTooComplex(
            "The text is nested too deeply (lists or quotes inside each other). "
            "Flatten some of the nesting and try again."
        )
    warm_up()
    work = functools.partial(_render_child, html)
    with sandbox.forked(work, memory_bytes=memory_mb * 1024 * 1024, prefix="pdf-render-") as child:
        try:
            payload = child.receive(timeout)
        except sandbox.OverMemory:
            payload = b"memory"
        except sandbox.ChildEnded:
            payload = b"error"
        if payload is None:
            raise PDFTooComplex(
                "This document took too long to lay out. Shorten it, or export fewer parts at once."
            )
    if payload.startswith(b"ok"):
        return payload[2:]
    reasons = {
        b"memory": "This document needs more memory to lay out than we allow. "
        "Shorten it, or export fewer parts at once.",
        b"depth": "The text is nested too deeply to lay out. Flatten some lists or quotes.",
    }
    logger.warning("PDF render failed in the child process (%s)", payload.decode()[:10])
    raise PDFTooComplex(
        reasons.get(payload, "This document could not be laid out. Try a shorter selection.")
    )


@dataclass
class RenderBudget:
    """An allowance shared by a batch of renders: how many, how long in all, how much memory each.

    The clock starts when the budget is made. Each render gets the time left (at
    most DEFAULT_TIMEOUT); once the count or the time is used up, render() refuses
    at once with PDFBudgetSpent, without starting a child. A render cut short
    because the batch's time ran out says so, rather than blaming the document.
    """

    renders: int
    seconds: float
    memory_mb: int = DEFAULT_MEMORY_MB
    # Starting a render with less time than this left would only waste it.
    least_seconds: float = 2.0
    used: int = 0
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def render(self, html: str) -> bytes:
        left = self.deadline - time.monotonic()
        if self.used >= self.renders:
            raise PDFBudgetSpent(
                f"A download makes at most {self.renders} PDFs at a time, "
                "and this one came after that."
            )
        if left < self.least_seconds:
            raise PDFBudgetSpent(self._out_of_time())
        self.used += 1
        timeout = min(DEFAULT_TIMEOUT, left)
        try:
            return render_pdf(html, timeout=timeout, memory_mb=self.memory_mb)
        except PDFTooComplex:
            if timeout < DEFAULT_TIMEOUT and time.monotonic() >= self.deadline:
                raise PDFBudgetSpent(self._out_of_time()) from None
            raise

    @staticmethod
    def _out_of_time() -> str:
        return "The time a download allows for making PDFs ran out before this one."


def pdf_filename(stem: str) -> str:
    """A safe, neutral file name: letters, digits and hyphens only."""
    cleaned = "".join(c if c.isalnum() else "-" for c in stem.lower()).strip("-")
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return (cleaned or "document")[:60] + ".pdf"
