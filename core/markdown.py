"""The one place Markdown becomes HTML: Python-Markdown, then nh3 with a strict allowlist.

Python-Markdown does not sanitise. nh3 removes every tag and attribute not listed
here, every link that is not https: or mailto: (user text may not even link
inside the site), and all images, so nothing a person writes can run script or
fetch from another host. The CSP is the second layer.

Python-Markdown also has inputs that take super-linear time ("[a" * 8000 takes
about 19 s; "<![", "![a" and "[a](" repeated behave alike). Text from users is
therefore capped at MAX_LENGTH characters and rendered in a forked child process
(core.sandbox) that is killed after TIME_LIMIT seconds; text that hits the limit is shown as
plain paragraphs instead, so a save never fails and nothing is lost. A batch (an
import of thousands of entries) is bounded as a whole too: BATCH_SECONDS in all,
and after BATCH_TIMEOUTS texts that ran out of time, plain paragraphs for the rest.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import markdown
import nh3
from django.utils.html import linebreaks

from core import sandbox

logger = logging.getLogger(__name__)

MAX_LENGTH = 50_000
TIME_LIMIT = 2.0  # seconds for one text; a long ordinary entry takes about 0.2 s
# A batch (an import) renders for at most BATCH_SECONDS, and at most BATCH_TIMEOUTS of
# its texts may run out of time; after either, the rest is shown as plain paragraphs.
BATCH_SECONDS = 30.0
BATCH_TIMEOUTS = 3

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


def render_bounded(
    texts: Sequence[str],
    *,
    time_limit: float | None = None,
    budget: float | None = None,
    max_timeouts: int | None = None,
) -> list[Rendered]:
    """Render users' *texts* in a child process, each within *time_limit* (TIME_LIMIT) seconds.

    One child renders the whole batch (an import costs one fork, not one per
    entry). When a text runs out of time, the child is killed, that text falls
    back to plain paragraphs, and a fresh child carries on with the rest. A batch
    has bounds of its own: once *max_timeouts* (BATCH_TIMEOUTS) texts have run
    out of time, or the batch has taken *budget* (BATCH_SECONDS) seconds, every
    text left is shown as plain paragraphs at once, with no further child.
    """
    for text in texts:
        if len(text) > MAX_LENGTH:
            raise TextTooLong(f"Text longer than {MAX_LENGTH} characters")
    limit = time_limit or TIME_LIMIT
    deadline = time.monotonic() + (BATCH_SECONDS if budget is None else budget)
    allowed = BATCH_TIMEOUTS if max_timeouts is None else max_timeouts
    results: list[Rendered] = []
    timeouts = 0
    while len(results) < len(texts):
        if timeouts >= allowed or time.monotonic() >= deadline:
            rest = texts[len(results) :]
            logger.warning(
                "Markdown batch out of %s; %d texts shown as plain text",
                "time" if timeouts < allowed else "tries",
                len(rest),
            )
            results.extend(Rendered(plain_html(text), formatted=False) for text in rest)
            break
        done, ran_out = _render_in_child(texts[len(results) :], limit, deadline)
        results.extend(done)
        timeouts += ran_out
    return results


def plain_html(text: str) -> str:
    """Escaped paragraphs and line breaks: how text shows when its formatting is too costly."""
    return linebreaks(text.strip(), autoescape=True)


def _to_safe_html(text: str, *, trusted: bool) -> str:
    html = markdown.markdown(
        text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
    )
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


def _render_child(texts: Sequence[str], send: sandbox.Send) -> None:
    for text in texts:
        send(_to_safe_html(text, trusted=False).encode("utf-8"))


def _render_in_child(
    texts: Sequence[str], time_limit: float, deadline: float
) -> tuple[list[Rendered], bool]:
    """Render from the start of *texts* until one runs out of time or *deadline* passes.

    Return what was done, and whether a text ran out of its own time (or killed
    the child): that text is in the list, as plain paragraphs. When the deadline
    passes first, the text being waited for is left out, for the caller to show plain.
    """
    done: list[Rendered] = []
    ran_out = False
    work = functools.partial(_render_child, texts)
    with sandbox.forked(work, prefix="markdown-render-") as child:
        try:
            for text in texts:
                wait = min(time_limit, deadline - time.monotonic())
                html = child.receive(wait)
                if html is None:
                    if wait >= time_limit:
                        logger.warning("Markdown render ran out of time; shown as plain text")
                        done.append(Rendered(plain_html(text), formatted=False))
                        ran_out = True
                    break
                done.append(Rendered(html.decode("utf-8"), formatted=True))
        except sandbox.ChildEnded:  # the child died (memory, a crash): that text is shown plain
            logger.warning("Markdown render failed in the child process; shown as plain text")
            done.append(Rendered(plain_html(texts[len(done)]), formatted=False))
            ran_out = True
    return done, ran_out


# Build one converter now so the extensions are imported before any fork: a child
# forked while another thread holds the import lock could otherwise wait forever.
markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
