"""Everything the site keeps about one person, in one zip: JSON, readable Markdown and PDFs.

Each app supplies its own files through its part (yourdata.parts), read through the
person's own querysets and the app's own readers, so an archive can only ever hold
its owner's rows. The JSON and Markdown files are always complete. The PDFs the
parts queue go through the same functions as the site's own PDF downloads
(boundaries.pdf.plan_pdf, journal.pdf.journal_pdf: size check first, then the
limited renderer) and share one budget: at most ARCHIVE_PDFS renders, ARCHIVE_SECONDS
in all, ARCHIVE_MEMORY_MB each, in the order the parts queued them. A PDF that is
refused or left over is replaced by a note saying why, and README.txt lists them.
"""

import io
import textwrap
import zipfile
from contextlib import contextmanager

from django.core.cache import cache
from django.utils import timezone

from core.pdf import PDFTooComplex, RenderBudget

from .parts import PDFQueue, parts

ROOT = "account-data"
# The archive's allowance for PDFs. Measured under load on this 2-core machine,
# 50 ordinary plans took 73 s and three oversized ones 69 s before this budget.
# 45 s keeps the whole download inside a proxy's usual 60 s read timeout (nginx's
# default); a plan at every size limit needs about 150 MB, a long journal 360 MB.
ARCHIVE_PDFS = 100
ARCHIVE_SECONDS = 45.0
ARCHIVE_MEMORY_MB = 384
README = """\
Your data
=========

Everything this site keeps about your account, as of {when} (UTC).

{contents}
Keep this file somewhere private: it holds everything you wrote.
"""
NOT_MADE = """
Not made this time
==================

These PDFs could not be made. Everything in them is in the JSON and Markdown
files; a note beside each one (ending in -not-made.txt) says why.

{lines}
"""


class ArchiveBusy(Exception):
    """This person's archive is being made already (another tab or window)."""


def lock_key(user) -> str:
    return f"accounts:archive:{user.pk}"


@contextmanager
def _one_at_a_time(user):
    """One archive per person at a time: more tabs would only multiply the budget."""
    key = lock_key(user)
    if not cache.add(key, True, timeout=int(ARCHIVE_SECONDS) + 60):
        raise ArchiveBusy
    try:
        yield
    finally:
        cache.delete(key)


def account_archive(user) -> bytes:
    """Return the zip of everything kept for *user*; raise ArchiveBusy if one is being made."""
    with _one_at_a_time(user):
        return _archive(user)


def _archive(user) -> bytes:
    now = timezone.now()
    budget = RenderBudget(
        renders=ARCHIVE_PDFS, seconds=ARCHIVE_SECONDS, memory_mb=ARCHIVE_MEMORY_MB
    )
    files: dict[str, bytes] = {"README.txt": b""}  # first in the zip, written last
    pdfs = PDFQueue()
    contents = []
    for part in parts():
        for name, data in part.export(user, pdfs).items():
            if name in files:
                raise ValueError(f"Two parts of the archive are both called {name}.")
            files[name] = data
        contents.append(part.module.README)
    not_made = []
    # The data files are complete by now; PDFs come last, within the budget.
    for pending in pdfs.pending:
        try:
            files[pending.name] = pending.make(budget.render)
        except PDFTooComplex as error:
            note = (
                f"{pending.name} could not be made. {error}\n"
                f"Everything in it is in the JSON and Markdown files. {pending.hint}\n"
            )
            files[pending.name.removesuffix(".pdf") + "-not-made.txt"] = note.encode("utf-8")
            not_made.append(textwrap.fill(f"{pending.name}: {error}", 78, subsequent_indent="  "))
    readme = README.format(when=f"{now:%Y-%m-%d %H:%M}", contents="".join(contents))
    if not_made:
        readme += NOT_MADE.format(lines="\n\n".join(not_made))
    files["README.txt"] = readme.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{ROOT}/{name}", data)
    return buffer.getvalue()
