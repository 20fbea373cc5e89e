"""What "the site's own voice" means for account pages and emails, as checks a test can run.

- Headings, titles, buttons, labels and table headers are in sentence case: after
  the first word, only names (Common Ground, Android, ...) start with a capital.
- No "Please" (we say what to do), no host names in place of the site's name
  ("Hello from 127.0.0.1:8000!"), no placeholder domains.
"""

import re
from html.parser import HTMLParser

# Words that keep their capital in the middle of a sentence-case phrase.
NAMES = {
    "Common",
    "Ground",
    "I",
    "I'm",
    "I've",
    "QR",
    "PIN",
    "JavaScript",
    "Google",
    "Microsoft",
    "Authenticator",
    "Android",
    "iPhone",
    "iPad",
    "Windows",
    "Mac",
    "Linux",
    "ChromeOS",
    "Chrome",
    "Chromium",
    "Firefox",
    "Safari",
    "Edge",
    "Opera",
    "Samsung",
    "Internet",
}

# Elements whose text is a heading, a control or a label: sentence case only.
SHORT_TEXT_TAGS = {"title", "h1", "h2", "h3", "h4", "button", "label", "legend", "th", "summary"}

FORBIDDEN = [
    (re.compile(r"\bplease\b", re.IGNORECASE), '"Please"'),
    (
        re.compile(r"127\.0\.0\.1|localhost:\d+|testserver"),
        "a host name instead of the site's name",
    ),
    (re.compile(r"example\.com"), "a placeholder domain"),
    (re.compile(r"Hello from", re.IGNORECASE), "allauth's greeting"),
    (re.compile(r"reply to this email", re.IGNORECASE), "a reply nobody reads"),
    (re.compile(r"contact us", re.IGNORECASE), '"contact us" with no way to'),
]

URL = re.compile(r"https?://\S+")


def title_case_words(text: str) -> list[str]:
    """The capitalised words after the first that are not names: [] for sentence case."""
    words = re.findall(r"[A-Za-z][A-Za-z'\u2019]*", text)
    return [word for word in words[1:] if word[0].isupper() and word not in NAMES]


def forbidden_phrases(text: str) -> list[str]:
    text = URL.sub("", text)
    return [what for pattern, what in FORBIDDEN if pattern.search(text)]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.short: list[tuple[str, list[str]]] = []
        self.visible: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if tag in SHORT_TEXT_TAGS:
            self.short.append((tag, []))
            self.stack.append(tag)
        attributes = dict(attrs)
        for name in ("alt", "placeholder", "aria-label", "title"):
            if attributes.get(name):
                self.visible.append(attributes[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self._skip:
            return
        self.visible.append(data)
        if self.stack:
            self.short[-1][1].append(data)


def page_problems(html: str) -> list[str]:
    """Every way *html* falls short of the voice, as readable strings."""
    parser = _Page()
    parser.feed(html)
    problems = []
    for tag, parts in parser.short:
        text = " ".join(" ".join(parts).split())
        if tag == "title":
            text = text.split(" · ")[0]
        if title_case_words(text):
            problems.append(f"Title Case in <{tag}>: {text!r}")
    text = " ".join(" ".join(parser.visible).split())
    problems += [f"{what} in the page" for what in forbidden_phrases(text)]
    return problems


# Words that say what the site is about: never in a subject, a discreet title or file name.
REVEALING = re.compile(
    r"common ground|therap|partner|relationship|abuse|couple|journal|boundar|safety", re.I
)


def email_problems(subject: str, body: str, *, site_name: str = "Common Ground") -> list[str]:
    """*site_name* is the name the body should use: "Notes" in discreet mode."""
    problems = []
    if REVEALING.search(subject):
        problems.append(f"a subject that names the site or its subject: {subject!r}")
    if title_case_words(subject):
        problems.append(f"Title Case subject: {subject!r}")
    if site_name not in body:
        problems.append(f"the body does not call the site {site_name!r}")
    if site_name != "Common Ground" and REVEALING.search(body):
        problems.append(f"a discreet body that names the site or its subject: {body!r}")
    problems += [f"{what} in the email" for what in forbidden_phrases(subject + "\n" + body)]
    for line in body.splitlines():
        if URL.search(line) and URL.fullmatch(line.strip()) is None:
            problems.append(f"a link that is not alone on its line: {line!r}")
    return problems
