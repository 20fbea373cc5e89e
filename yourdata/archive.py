"""Everything the site keeps about one person, in one zip: JSON, readable Markdown and PDFs.

Each app supplies its own files through its part (yourdata.parts), read through the
person's own querysets and the app's own readers, so an archive can only ever hold
its owner's rows. The JSON and Markdown files are always complete. The PDFs the
parts queue go through the same functions as the site's own PDF downloads
(boundaries.pdf.plan_pdf, journal.pdf.journal_pdf: size check first, then the
limited renderer) and share one budget: at most ARCHIVE_PDFS renders, ARCHIVE_SECONDS
in all, ARCHIVE_MEMORY_MB each, in the order the parts queued them. A PDF that is
refused or left over is replaced by a note saying why, and README.txt lists them.

The archive is made by the worker (yourdata.tasks), never inside a web request,
and says how far it has got through *report*: the parts gathered, the PDFs made,
the files packed.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from collections.abc import Callable

from django.utils import timezone

from core.pdf import PDFTooComplex, RenderBudget

from .parts import PDFQueue, parts

ROOT = "account-data"
# The archive's allowance for PDFs, in the worker. Measured on this 2-core machine
# with other work running, an account with 40 plans and a journal (41 PDFs, 1.2-1.4 s
# each, a child process per render): the 45 s a web request could spare left 2 of
# them "not made" (48 s, load 5); the worker, with this allowance, made all 41 in
# 58 s (load 8.5). It has no proxy waiting on it, so it allows ten minutes: eight
# times a busy machine's pace for 50 plans and a journal. The bound remains, so an
# archive still ends: at most 100 PDFs, ten minutes of rendering, 384 MB each (a
# plan at every size limit needs about 150 MB, a long journal 360 MB). The work
# reports before each PDF (one render is at most core.pdf.DEFAULT_TIMEOUT), well
# within JOB_STALL_SECONDS, so a long archive is never taken for a lost worker.
ARCHIVE_PDFS = 100
ARCHIVE_SECONDS = 600.0
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


Report = Callable[[int, int, str], None]


def _quietly(done: int, total: int, stage: str) -> None:
    pass


def account_archive(user, *, report: Report = _quietly) -> bytes:
    """Return the zip of everything kept for *user*.

    *report*(done, total, stage) hears how far it has got, in the stages of
    jobs.stages: "gathering" (parts of the site read), "making-pdf" (PDFs made
    or left out), "packing" (files packed). It may raise to stop the work (a job
    whose account was deleted meanwhile: jobs.services.JobGone).
    """
    now = timezone.now()
    files: dict[str, bytes] = {"README.txt": b""}  # first in the zip, written last
    pdfs = PDFQueue()
    contents = []
    every_part = parts()
    for done, part in enumerate(every_part):
        report(done, len(every_part), "gathering")
        for name, data in part.export(user, pdfs).items():
            if name in files:
                raise ValueError(f"Two parts of the archive are both called {name}.")
            files[name] = data
        contents.append(getattr(part.module, "README", ""))  # none: nothing in the zip
    not_made = []
    # The data files are complete by now; PDFs come last, within the budget.
    budget = RenderBudget(
        renders=ARCHIVE_PDFS, seconds=ARCHIVE_SECONDS, memory_mb=ARCHIVE_MEMORY_MB
    )
    for done, pending in enumerate(pdfs.pending):
        report(done, len(pdfs.pending), "making-pdf")
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
        for done, (name, data) in enumerate(files.items()):
            report(done, len(files), "packing")
            archive.writestr(f"{ROOT}/{name}", data)
    return buffer.getvalue()
