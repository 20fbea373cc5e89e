"""The one place Markdown becomes HTML: Python-Markdown, then nh3 with a strict allowlist.

Python-Markdown does not sanitise. nh3 removes every tag and attribute not listed
here, every link that is not https: or mailto: (user text may not even link
inside the site), and all images, so nothing a person writes can run script or
fetch from another host. The CSP is the second layer.

Python-Markdown also has inputs that take super-linear time ("[a" * 8000 takes
about 19 s; "<![", "![a" and "[a](" repeated behave alike). Text from users is
therefore capped at MAX_LENGTH characters and rendered in a forked child process
that is killed after TIME_LIMIT seconds; text that hits the limit is shown as
plain paragraphs instead, so a save never fails and nothing is lost.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass

import markdown
import nh3
from django.utils.html import linebreaks

logger = logging.getLogger(__name__)

MAX_LENGTH = 50_000
TIME_LIMIT = 2.0  # seconds for one text; a long ordinary entry takes about 0.2 s

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


def render_markdown(text: str, *, trusted: bool = False) -> str:
    """Return safe HTML for Markdown *text*.

    *trusted* is for the site's own content files: they are rendered in this
    process, and links may also be paths inside the site. Text from users gets
    https: and mailto: links only, and the size and time bounds of render_bounded().
    """
    if trusted:
        return _to_safe_html(text, trusted=True)
    return render_bounded([text])[0].html


def render_bounded(texts: Sequence[str], *, time_limit: float | None = None) -> list[Rendered]:
    """Render users' *texts* in a child process, each within *time_limit* (TIME_LIMIT) seconds.

    One child renders the whole batch (an import costs one fork, not one per
    entry). When a text runs out of time, the child is killed, that text falls
    back to plain paragraphs, and a fresh child carries on with the rest.
    """
    for text in texts:
        if len(text) > MAX_LENGTH:
            raise TextTooLong(f"Text longer than {MAX_LENGTH} characters")
    results: list[Rendered] = []
    while len(results) < len(texts):
        results.extend(_render_in_child(texts[len(results) :], time_limit or TIME_LIMIT))
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


def _child(texts: Sequence[str], sender) -> None:
    try:
        for text in texts:
            sender.send_bytes(_to_safe_html(text, trusted=False).encode("utf-8"))
    finally:
        sender.close()


def _render_in_child(texts: Sequence[str], time_limit: float) -> list[Rendered]:
    """Render from the start of *texts* until one runs out of time; return what was done.

    The list returned is never empty: a text that timed out (or killed the child)
    is in it, as plain paragraphs.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(texts, sender), daemon=True)
    process.start()
    sender.close()
    done: list[Rendered] = []
    try:
        for text in texts:
            if not receiver.poll(time_limit):
                logger.warning("Markdown render ran out of time; shown as plain text")
                done.append(Rendered(plain_html(text), formatted=False))
                break
            done.append(Rendered(receiver.recv_bytes().decode("utf-8"), formatted=True))
    except EOFError:  # the child died (memory, a crash): that text is shown plain
        logger.warning("Markdown render failed in the child process; shown as plain text")
        done.append(Rendered(plain_html(texts[len(done)]), formatted=False))
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    return done


# Build one converter now so the extensions are imported before any fork: a child
# forked while another thread holds the import lock could otherwise wait forever.
markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
