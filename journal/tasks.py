"""The journal's long work, done by the worker: importing a file, and a PDF of many entries.

Import: the job's input is the uploaded file itself, sealed under the person's key
(jobs.services.job_start); the task gets only the job's id. The worker opens it,
checks every entry (journal.exports.read_import: a file with any problem is refused
whole, and the progress page lists what is wrong), formats, seals and indexes the
entries in child processes, then writes them all in one transaction that also ends
the job: a worker killed on the way leaves no entry, and a job queued again after a
lost worker can never import twice (it commits with its "done", or not at all).

Export: a PDF of more than PDF_RIGHT_AWAY entries is made here. The input is what
was chosen on the export page (the filters, the entries left out, the title); the
worker reads the entries again through the owner's selectors and lays them out with
a time allowance that grows with the work (journal.pdf.worker_seconds()), so a busy machine does not
fail an export that a quiet one would make.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.tasks import task
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.pdf import PDFTooComplex
from jobs.models import Job, Kind
from jobs.services import Run, job_start, run_job, start_refused

from . import pdf, selectors, services
from .exports import ImportProblems, export_stem, read_import
from .selectors import EntryFilters

StrOrPromise = str | Promise

# A PDF of more entries than this is made by the worker; up to this many, at once.
PDF_RIGHT_AWAY = 5
# A person's jobs of one kind waiting or running at once: an import holds its whole file
# (up to 25 MB) until it is done, so one at a time; a few PDFs, for trying titles or dates.
AT_ONCE = {Kind.JOURNAL_IMPORT: 1, Kind.JOURNAL_EXPORT: 3}
BUSY = {
    Kind.JOURNAL_IMPORT: _(
        "An import of yours is still going on. Wait until its page says it has finished, "
        "then import this file."
    ),
    Kind.JOURNAL_EXPORT: _(
        "Some of your PDFs are still being made. Wait until one is ready, then ask for this one."
    ),
}


def busy(user: User, kind: Kind) -> StrOrPromise | None:
    """Why *user* cannot start another job of *kind* now, or None when they can."""
    running = Job.objects.for_user(user).unfinished().filter(kind=kind).count()
    if running >= AT_ONCE[kind]:
        return BUSY[kind]
    return start_refused(user)  # across every kind, and the hourly budget (counts this one)


NONE_LEFT = (
    "None of the chosen entries is in your journal any more (deleted or moved to the trash "
    "meanwhile), so no PDF was made."
)


# --- Import ------------------------------------------------------------------------------


@task()
def import_entries(job_id: str) -> None:
    run_job(job_id, import_work)


def import_start(*, user: User, data: bytes, total: int = 0) -> Job:
    """Start importing the export file *data* (*total* entries, when already counted)."""
    return job_start(
        user=user, kind=Kind.JOURNAL_IMPORT, task=import_entries, data=data, total=total
    )


def import_work(run: Run) -> None:
    run.report(0, stage="reading")
    data = run.input()
    run.report(0, stage="checking")
    try:
        rows = read_import(data)
    except ImportProblems as error:
        run.refuse(error.problems)
        return
    del data
    total = len(rows)
    run.report(0, total, stage="formatting")

    def progress(done: int, stage: str) -> None:
        run.report(done, total, stage=stage)

    def finish(done: services.Imported) -> None:
        run.still_mine()  # inside the import's transaction: the job's row is locked
        run.finish({"imported": done.imported, "skipped": done.skipped, "plain": done.plain})

    services.entries_import(user=run.user, rows=rows, progress=progress, before_commit=finish)


# --- PDF export --------------------------------------------------------------------------


@task()
def export_pdf(job_id: str) -> None:
    run_job(job_id, export_pdf_work)


def export_choices(
    filters: EntryFilters, left_out: set[uuid.UUID | None], title: str
) -> dict[str, Any]:
    """What an export job is given: the choices made on the export page, never an entry."""
    return {
        "filters": {
            "query": filters.query,
            "tag": filters.tag,
            "mood": filters.mood,
            "guide": filters.guide,
            "start": filters.start.isoformat() if filters.start else None,
            "end": filters.end.isoformat() if filters.end else None,
            "unsearchable": filters.unsearchable,
        },
        "left_out": sorted(str(pk) for pk in left_out if pk is not None),
        "title": title,
        "format": "pdf",
    }


def export_start(*, user: User, choices: dict[str, Any], total: int) -> Job:
    return job_start(
        user=user, kind=Kind.JOURNAL_EXPORT, task=export_pdf, data=choices, total=total
    )


def _filters(data: dict[str, Any]) -> EntryFilters:
    return EntryFilters(
        query=data["query"],
        tag=data["tag"],
        mood=data["mood"],
        guide=data["guide"],
        start=date.fromisoformat(data["start"]) if data["start"] else None,
        end=date.fromisoformat(data["end"]) if data["end"] else None,
        unsearchable=data["unsearchable"],
    )


def export_pdf_work(run: Run) -> None:
    choices = run.input_json()
    run.report(0, stage="gathering")
    left_out = {uuid.UUID(value) for value in choices["left_out"]}
    entries = selectors.entries_for_export(
        run.user, _filters(choices["filters"]), left_out=left_out
    )
    if not entries:
        run.refuse([NONE_LEFT])
        return
    run.report(0, len(entries), stage="making-pdf")
    try:
        data = pdf.journal_pdf(choices["title"], entries, timeout=pdf.worker_seconds(entries))
    except PDFTooComplex as error:
        run.refuse([f"{error} (The PDF was not made: too complex to export.)"])
        return
    name = f"{export_stem(choices['title'], entries)}.pdf"
    run.finish_file(data, name=name, content_type="application/pdf")
