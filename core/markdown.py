"""The one place Markdown becomes HTML: Python-Markdown, then nh3 with a strict allowlist.

Python-Markdown does not sanitise. nh3 removes every tag and attribute not listed
here, every link that is not https: or mailto: (user text may not even link
inside the site), and all images, so nothing a person writes can run script or
fetch from another host. The CSP is the second layer.

Python-Markdown also has inputs that take super-linear time ("[a" * 8000 takes
about 19 s; "<![", "![a" and "[a](" repeated behave alike). Text from users is
therefore capped at MAX_LENGTH characters and rendered in a forked child process
(core.sandbox) that is killed after TIME_LIMIT seconds; text that hits the limit is shown as
plain paragraphs instead, so a save never fails and nothing is lost.

A batch (an import of thousands of entries) is rendered by up to *workers* children at
once, each taking its share of the texts with one converter reused from text to text.
It is bounded as a whole too: after BATCH_TIMEOUTS texts that ran out of time, and
once its time allowance is spent (batch_seconds(): BATCH_SECONDS, plus PER_TEXT_SECONDS
for each text, so a large batch is not cut short by a busy machine), every text left
shows as plain paragraphs. The worst a batch can cost is therefore that allowance:
230 s for an import of 10,000 entries whose every body is slow without quite running
out of its own time; about 6 s (three time limits) for bodies that each run out.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass

import markdown
import nh3
from django.utils.html import linebreaks

from core import sandbox

logger = logging.getLogger(__name__)

MAX_LENGTH = 50_000
TIME_LIMIT = 2.0  # seconds for one text; a long ordinary entry takes about 0.2 s
# A batch (an import) renders for at most batch_seconds(len(texts)), and at most
# BATCH_TIMEOUTS of its texts may run out of time; after either, the rest is shown as
# plain paragraphs. An ordinary entry renders in about 1 ms: PER_TEXT_SECONDS is twenty
# times that, for a machine under load.
BATCH_SECONDS = 30.0
PER_TEXT_SECONDS = 0.02
BATCH_TIMEOUTS = 3
# A child takes a share of a batch only if it has at least this many texts (forking
# costs a few milliseconds; a handful of texts render quicker in one child).
MIN_SHARE = 50
# How long the parent waits on one child before looking at the next, with several.
TURN_SECONDS = 0.005

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
EXTENSIONS = ["sane_lists", "smarty", "tables"]
# The tables extension writes style="text-align:…" unless told to use align=,
# which a strict style-src would block.
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}


class TextTooLong(ValueError):
    """Text from a user is longer than MAX_LENGTH; forms refuse it before it gets here."""


@dataclass(frozen=True)
class Rendered:
    html: str
    formatted: bool  # False when the time limit was hit and the text is shown as plain paragraphs


def render_site_markdown(text: str) -> str:
    """Return safe HTML for the site's own Markdown (its content files), rendered in this process.

    Links may also be paths inside the site. Text from users goes through
    render_bounded() instead: https: and mailto: links only, within size and time bounds.
    """
    return _to_safe_html(text, trusted=True)


def batch_seconds(count: int) -> float:
    """The time a batch of *count* texts may take: BATCH_SECONDS, plus PER_TEXT_SECONDS each."""
    return BATCH_SECONDS + PER_TEXT_SECONDS * count


def render_bounded(
    texts: Sequence[str],
    *,
    time_limit: float | None = None,
    budget: float | None = None,
    max_timeouts: int | None = None,
    workers: int = 1,
) -> list[Rendered]:
    """Render users' *texts* in child processes, each within *time_limit* (TIME_LIMIT) seconds.

    See render_batch(), which this is with the HTML itself as each text's result.
    """
    done = render_batch(
        texts,
        _html_bytes,
        time_limit=time_limit,
        budget=budget,
        max_timeouts=max_timeouts,
        workers=workers,
    )
    return [Rendered(data.decode("utf-8"), formatted) for data, formatted in done]


def _html_bytes(index: int, html: str, formatted: bool) -> bytes:
    return html.encode("utf-8")


# then(index, html, formatted) -> bytes: what the caller makes of each rendered text.
Then = Callable[[int, str, bool], bytes]


def render_batch(
    texts: Sequence[str],
    then: Then,
    *,
    time_limit: float | None = None,
    budget: float | None = None,
    max_timeouts: int | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[tuple[bytes, bool]]:
    """Render users' *texts* in child processes; return then(index, html, formatted) for each,
    with whether its formatting was kept.

    Up to *workers* children run at once, each rendering a share of the texts in
    order with one converter, and running *then* on each result in the same
    process (so work that follows a render, like sealing and indexing an entry, uses
    every core too). A text shown plain (out of time, a crashed child, the batch's
    bounds) gets *then* here, in the parent. Each text has *time_limit* seconds; when
    one runs out, its child is killed, that text is shown as plain paragraphs, and a
    fresh child carries on with the rest of its share. Once *max_timeouts*
    (BATCH_TIMEOUTS) texts have run out of time, or the batch has taken *budget*
    (batch_seconds(len(texts))) seconds, every text left is shown as plain
    paragraphs at once, with no further child. *progress* is called with the number
    of texts done so far, between waits (it may raise to stop the batch: the
    children are killed on the way out).
    """
    for text in texts:
        if len(text) > MAX_LENGTH:
            raise TextTooLong(f"Text longer than {MAX_LENGTH} characters")
    batch = _Batch(
        texts,
        then,
        time_limit=time_limit or TIME_LIMIT,
        deadline=time.monotonic() + (batch_seconds(len(texts)) if budget is None else budget),
        allowed=BATCH_TIMEOUTS if max_timeouts is None else max_timeouts,
    )
    lanes = max(1, min(workers, len(texts) // MIN_SHARE))
    share = -(-len(texts) // lanes) if texts else 0
    batch.run(
        [
            _Lane(start, min(start + share, len(texts)))
            for start in range(0, len(texts), share or 1)
        ],
        progress,
    )
    return batch.finished()


@dataclass
class _Lane:
    """One child's share of a batch: texts[position:end], and the child rendering them."""

    position: int
    end: int
    child: sandbox.Child | None = None
    stack: ExitStack | None = None
    since: float = 0.0  # when the text at *position* started to be waited for

    def stop(self) -> None:
        if self.stack is not None:
            self.stack.close()
        self.stack = self.child = None


class _Batch:
    def __init__(
        self, texts: Sequence[str], then: Then, *, time_limit: float, deadline: float, allowed: int
    ) -> None:
        self.texts = texts
        self.then = then
        self.time_limit = time_limit
        self.deadline = deadline
        self.allowed = allowed
        self.timeouts = 0
        self.results: list[tuple[bytes, bool] | None] = [None] * len(texts)
        self.count = 0
        self.cut_short = 0

    def run(self, lanes: list[_Lane], progress: Callable[[int], None] | None) -> None:
        try:
            while active := [lane for lane in lanes if lane.position < lane.end]:
                for lane in active:
                    self._step(lane, turn=TURN_SECONDS if len(active) > 1 else None)
                if progress is not None:
                    progress(self.count)
        finally:
            for lane in lanes:
                lane.stop()
        if self.cut_short:
            logger.warning(
                "Markdown batch out of %s; %d texts shown as plain text",
                "tries" if self.timeouts >= self.allowed else "time",
                self.cut_short,
            )

    def finished(self) -> list[tuple[bytes, bool]]:
        return [result for result in self.results if result is not None]

    def _plain(self, index: int) -> None:
        self.results[index] = (self.then(index, plain_html(self.texts[index]), False), False)
        self.count += 1

    def _step(self, lane: _Lane, *, turn: float | None) -> None:
        """Start *lane*'s child if needed, then take what it has sent within *turn* seconds."""
        now = time.monotonic()
        if lane.child is None:
            if self.timeouts >= self.allowed or now >= self.deadline:
                for index in range(lane.position, lane.end):
                    self._plain(index)
                self.cut_short += lane.end - lane.position
                lane.position = lane.end
                return
            work = functools.partial(
                _render_child, self.texts[lane.position : lane.end], self.then, lane.position
            )
            lane.stack = ExitStack()
            lane.child = lane.stack.enter_context(sandbox.forked(work, prefix="markdown-render-"))
            lane.since = now
        limit = min(lane.since + self.time_limit, self.deadline)
        wait = limit - now if turn is None else min(turn, limit - now)
        try:
            data = lane.child.receive(wait)
            while data is not None:
                self.results[lane.position] = (data, True)
                self.count += 1
                lane.position += 1
                lane.since = time.monotonic()
                if lane.position >= lane.end:
                    lane.stop()
                    return
                data = lane.child.receive(0)
        except sandbox.ChildEnded:  # the child died (memory, a crash): that text is shown plain
            logger.warning("Markdown render failed in the child process; shown as plain text")
            self._ran_out(lane)
            return
        now = time.monotonic()
        if now >= lane.since + self.time_limit:
            logger.warning("Markdown render ran out of time; shown as plain text")
            self._ran_out(lane)
        elif now >= self.deadline:
            lane.stop()  # the next _step shows the rest of this share plain

    def _ran_out(self, lane: _Lane) -> None:
        lane.stop()
        self._plain(lane.position)
        lane.position += 1
        self.timeouts += 1


def plain_html(text: str) -> str:
    """Escaped paragraphs and line breaks: how text shows when its formatting is too costly."""
    return linebreaks(text.strip(), autoescape=True)


def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
    )


def _to_safe_html(text: str, *, trusted: bool, converter: markdown.Markdown | None = None) -> str:
    # A converter reused from text to text is about a quarter quicker than a new one each.
    html = (converter.reset() if converter else _converter()).convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "mailto"},
        link_rel="noopener noreferrer" if trusted else "noopener noreferrer nofollow ugc",
        url_relative=_site_path if trusted else "deny",
    )


def _site_path(url: str) -> str | None:
    """Keep a path inside the site (/guides/...); drop protocol-relative //host links."""
    return url if url.startswith("/") and not url.startswith("//") else None


def _render_child(texts: Sequence[str], then: Then, first: int, send: sandbox.Send) -> None:
    """In the child: render *texts* (the batch's from index *first*) with one converter."""
    converter = _converter()
    for number, text in enumerate(texts, first):
        send(then(number, _to_safe_html(text, trusted=False, converter=converter), True))


# Build one converter now so the extensions are imported before any fork: a child
# forked while another thread holds the import lock could otherwise wait forever.
_converter()
