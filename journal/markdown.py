"""The one place Markdown becomes HTML: Python-Markdown, then nh3 with a strict allowlist.

Python-Markdown does not sanitise. nh3 removes every tag and attribute not listed
here, every link that is not https: or mailto: (user text may not even link
inside the site), and all images, so nothing a person writes can run script or
fetch from another host. The CSP is the second layer.
"""

import markdown
import nh3

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


def render_markdown(text: str, *, trusted: bool = False) -> str:
    """Return safe HTML for Markdown *text*.

    *trusted* is for the site's own content files: links may then also be paths
    inside the site. Text from users gets https: and mailto: links only.
    """
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
