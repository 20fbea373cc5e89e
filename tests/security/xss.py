"""The XSS corpus and what the XSS suites share: the payloads, a server on 127.0.0.1 that
counts what reaches it, and the checks of a PDF.

Used by tests/browser/test_xss.py (pages in Chromium) and tests/security/test_xss_pdf.py.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

CORPUS = Path(__file__).with_name("xss_payloads.txt")


@dataclass(frozen=True)
class Payload:
    number: int  # its place in the corpus, from 1, comments left out
    text: str

    def __str__(self):
        return f"payload {self.number} {self.text[:70]!r}"


def load_payloads() -> list[Payload]:
    """One payload a line; "#" lines are comments; the two characters \\n are a newline."""
    lines = CORPUS.read_text("utf-8").splitlines()
    texts = [
        line.replace("\\n", "\n") for line in lines if line.strip() and not line.startswith("#")
    ]
    return [Payload(number, text) for number, text in enumerate(texts, start=1)]


PAYLOADS = load_payloads()


def squeezed(text: str) -> str:
    """Text without whitespace: layout decides where lines break and which spaces collapse."""
    return re.sub(r"\s+", "", text)


@contextlib.contextmanager
def counting_server():
    """Yield (base URL, hits): a web server on 127.0.0.1 and every path asked of it."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def aimed_at(base: str) -> list[Payload]:
    """The payloads that reach for another host, pointed at *base* instead, and a few more
    that a PDF renderer would follow (file: attachments, @import, url())."""
    aimed = [
        Payload(
            payload.number,
            payload.text.replace("https://example.invalid", base)
            .replace("//example.invalid", base)
            .replace("\\\\example.invalid\\", base + "/backslash"),
        )
        for payload in PAYLOADS
        if "example.invalid" in payload.text
    ]
    extra = [
        f'<link rel="attachment" href="{base}/attached.txt">',
        '<link rel="attachment" href="file:///etc/passwd">',
        f'<link rel="stylesheet" href="{base}/linked.css">',
        f'<style>@import url("{base}/import.css");'
        f' p {{ background: url("{base}/bg.png") }}</style>',
        f'<img src="{base}/img.png"> <object data="{base}/object"></object>',
        f'<svg><image href="{base}/svg.png"/></svg> <iframe src="file:///etc/passwd"></iframe>',
        f'url({base}/bare) @import "{base}/bare.css";',
        f"![image]({base}/md.png) [link]({base}/md-link)",
    ]
    return aimed + [Payload(1000 + n, text) for n, text in enumerate(extra, start=1)]


def pdf_text(data: bytes) -> str:
    """The PDF's text, by poppler's pdftotext (much quicker than pypdf on long files)."""
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def pdf_problems(data: bytes) -> list[str]:
    """What a PDF carries that it must not: embedded files, a local file's contents, script,
    or a link that is not https:, mailto: or inside the document."""
    problems = []
    if b"root:x:0:0" in data:
        problems.append("the PDF holds /etc/passwd")
    reader = PdfReader(io.BytesIO(data))
    if reader.attachments:
        problems.append(f"the PDF has attachments: {list(reader.attachments)}")
    root = reader.trailer["/Root"]
    assert isinstance(root, DictionaryObject), "the PDF has no document catalogue"
    names = root.get("/Names")
    if names is not None and ("/EmbeddedFiles" in names or "/JavaScript" in names):
        problems.append("the PDF's name tree holds files or script")
    if "/OpenAction" in root:
        problems.append("the PDF has an open action")
    for page in reader.pages:
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            if annotation.get("/Subtype") == "/FileAttachment":
                problems.append("the PDF has a file attachment annotation")
            action = annotation.get("/A")
            action = action.get_object() if action is not None else {}
            if action.get("/S") not in (None, "/URI", "/GoTo"):
                problems.append(f"the PDF has a {action.get('/S')} action")
            uri = str(action.get("/URI", ""))
            if uri and not uri.startswith(("https://", "mailto:")):
                problems.append(f"the PDF links to {uri[:80]}")
    return problems
