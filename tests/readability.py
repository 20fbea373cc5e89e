"""Flesch-Kincaid grade level of a page's visible text, with no new dependency.

grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

What counts, and why:
- Text is read from the page's <main> (the header, menu and footer are the same on
  every page and are not what the page asks a reader to follow); <script>, <style> and
  anything hidden (``hidden``, ``aria-hidden="true"``) are left out.
- A sentence ends at ".", "!" or "?" followed by a space, and at the end of every block
  (a heading, list item, paragraph, table cell): a heading or a list item is read as one
  unit, punctuated or not. Colons and semicolons do not end a sentence.
- A word is a run of letters (with inner apostrophes or hyphens). Phone numbers, web
  addresses and email addresses are not words a reader has to decode, so they are
  skipped rather than counted as long words.
- Syllables: the larger of two counts, so the grade errs on the hard side. One is vowel
  groups (a, e, i, o, u, y) less a silent "e" ("make", "lines", "asked" are one
  syllable; "table" is two); the other is the hyphenation points of Pyphen's en_US
  dictionary plus one (Pyphen is already installed, with WeasyPrint). Vowel groups
  miss "be-ing" and "co-er-cion"; hyphenation misses "a-buse" and "e-mer-gen-cy".
"""

import re
from functools import cache
from html.parser import HTMLParser

import pyphen

BLOCKS = {
    "address", "article", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav",
    "ol", "p", "section", "summary", "table", "td", "th", "tr", "ul", "br",
}  # fmt: skip
SKIPPED = {"script", "style", "template", "svg"}
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col"}
BREAK = "\n\n"

WORD = re.compile(r"[A-Za-z]+(?:['\u2019-][A-Za-z]+)*")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|\b[\w-]+(?:\.[\w-]+)+\b")
VOWEL_GROUPS = re.compile(r"[aeiouy]+")
SOUNDED_ES = ("ses", "zes", "ches", "shes", "ges", "ces", "xes")  # "uses", "pages"
HYPHENATION = pyphen.Pyphen(lang="en_US")


class _MainText(HTMLParser):
    """The visible text inside <main>, with a blank line at every block boundary."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in_main = 0
        self._hidden: list[str] = []  # the open tags that hide what they hold

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self._in_main += 1
        hides = tag in SKIPPED or "hidden" in attrs or attrs.get("aria-hidden") == "true"
        if tag not in VOID and (self._hidden or hides):
            self._hidden.append(tag)
        if tag in BLOCKS:
            self.parts.append(BREAK)

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append(BREAK)

    def handle_endtag(self, tag):
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()
        if tag in BLOCKS:
            self.parts.append(BREAK)
        if tag == "main":
            self._in_main -= 1

    def handle_data(self, data):
        if self._in_main and not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _MainText()
    parser.feed(html)
    return "".join(parser.parts)


@cache
def syllables(word: str) -> int:
    word = word.lower().replace("\u2019", "'").split("'")[0]
    if not word:
        return 0
    return max(_vowel_groups(word), len(HYPHENATION.positions(word)) + 1)


def _vowel_groups(word: str) -> int:
    count = 0
    for part in word.split("-"):
        groups = VOWEL_GROUPS.findall(part)
        n = len(groups)
        if n > 1 and part.endswith("e") and not part.endswith(("le", "ee", "ye")):
            n -= 1  # silent final e: "make", "plane", "use"
        if n > 1 and part.endswith("es") and not part.endswith(SOUNDED_ES):
            n -= 1  # "makes", "lines"
        if n > 1 and part.endswith("ed") and not part.endswith(("ted", "ded")):
            n -= 1  # "asked", "called"
        count += max(n, 1)
    return count


def counts(text: str) -> tuple[int, int, int]:
    """Sentences, words and syllables of *text* (blocks separated by blank lines)."""
    sentences = words = sylls = 0
    for block in text.split(BREAK):
        block = NOT_WORDS.sub(" ", " ".join(block.split()))
        for sentence in SENTENCE_END.split(block):
            found = WORD.findall(sentence)
            if not found:
                continue
            sentences += 1
            words += len(found)
            sylls += sum(map(syllables, found))
    return sentences, words, sylls


def grade(text: str) -> float:
    sentences, words, sylls = counts(text)
    if not words:
        raise ValueError("no words to measure")
    return 0.39 * words / sentences + 11.8 * sylls / words - 15.59


def page_grade(html: str) -> float:
    return grade(visible_text(html))
