"""Import and the PDF export as jobs, through the real queue (run_tasks: the worker's loop).

What these check: the form answers at once with a 303 to the job's progress page;
the progress page shows the stages as the work goes; an import writes all of its
entries or none (a failure on one entry's tokens leaves no entry); a refused file
lists its problems on the progress page; the insert costs the same number of
queries for 5 entries as for 120; the words someone wrote appear in no log record,
no task row and no error.
"""

from __future__ import annotations

import io
import json
import logging
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from accounts.crypto import user_keys
from jobs import services as jobs_services
from jobs.models import Job, State
from journal import export_views, services
from journal import pdf as journal_pdf
from journal.exports import ImportRow
from journal.models import EntryToken, JournalEntry
from tests.journal.conftest import content, words_of
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)

CANARY = "plumquist-canary-7c1e"


def export_file(count: int, **overrides) -> bytes:
    entries = [
        {"date": f"2026-01-{number % 28 + 1:02d}", "title": f"Day {number}",
         "body": f"Entry {number} about {CANARY}, *kept*.", "tags": ["walks"]}
        for number in range(count)
    ]  # fmt: skip
    for number, fields in overrides.items():
        entries[int(number.removeprefix("entry_"))].update(fields)
    document = {"format": "common-ground-journal", "version": 1, "entries": entries}
    return json.dumps(document).encode()


def post_import(client, data: bytes):
    return client.post("/journal/import/", {"file": SimpleUploadedFile("journal.json", data)})


@pytest.fixture
def stages(monkeypatch):
    """Every progress report a job makes: (done, total, stage)."""
    seen: list[tuple[int, int | None, str | None]] = []
    original = jobs_services.Run.report

    def report(self, done, total=None, stage=None):
        seen.append((done, total, stage))
        return original(self, done, total, stage)

    monkeypatch.setattr(jobs_services.Run, "report", report)
    return seen


def test_an_import_is_a_job_whose_page_shows_each_stage_then_the_counts(signed_in, user, stages):
    response = post_import(signed_in, export_file(12))
    assert response.status_code == 303
    location = response["Location"]
    job = Job.objects.get(user=user)
    assert location == f"/jobs/{job.pk}/"
    waiting = words_of(signed_in.get(location))
    assert "Waiting to start" in waiting and "0 of 12 done (0%)" in waiting
    assert not JournalEntry.objects.exists()

    assert run_tasks() == 1
    said = [stage for _, _, stage in stages if stage]
    assert said[:3] == ["reading", "checking", "formatting"] and said[-1] == "saving"
    assert stages[-1][:2] == (12, 12)
    page = words_of(signed_in.get(location))
    assert "Imported 12 entries." in page and "Open your journal" in page
    assert JournalEntry.objects.filter(user=user).count() == 12


def test_a_failure_halfway_leaves_none_of_the_entries_and_no_record_quotes_them(
    signed_in, user, monkeypatch, caplog
):
    original = services._insert_tokens

    def fails_on_entry_30(entries, tokens):
        tokens = list(tokens)
        tokens[30] = tokens[30] + tokens[30][:1]  # the same token twice: the unique index refuses
        original(entries, tokens)

    monkeypatch.setattr(services, "_insert_tokens", fails_on_entry_30)
    response = post_import(signed_in, export_file(60))
    with caplog.at_level(logging.DEBUG):
        run_tasks()
    job = Job.objects.get(user=user)
    assert job.state == State.FAILED
    assert (JournalEntry.objects.count(), EntryToken.objects.count()) == (0, 0)
    page = words_of(signed_in.get(response["Location"]))
    assert "Nothing was imported" in page and "Nothing was changed. Please try again." in page
    assert CANARY not in caplog.text
    rows = json.dumps(list(DBTaskResult.objects.values()), default=str)
    assert CANARY not in rows and str(job.pk) in rows
    job_row = json.dumps(list(Job.objects.values()), default=str)
    assert CANARY not in job_row


def test_a_refused_file_lists_its_problems_on_the_progress_page(signed_in, user, monkeypatch):
    monkeypatch.setattr(export_views, "CHECKED_AT_ONCE", 0)  # as for a file of many MB
    bad = export_file(5, entry_2={"mood": 9}, entry_4={"date": "soon"})
    response = post_import(signed_in, bad)
    assert response.status_code == 303
    run_tasks()
    page = words_of(signed_in.get(response["Location"]))
    assert "Nothing was imported" in page
    assert "Entry 3: mood must be a whole number from 1 to 5" in page
    assert "Entry 5: the date &#x27;soon&#x27; is not a date" in page
    assert not JournalEntry.objects.exists()


def test_a_job_that_lost_its_claim_before_committing_imports_nothing(signed_in, user, monkeypatch):
    def taken_over(self):
        raise jobs_services.JobGone(self.job.pk)

    monkeypatch.setattr(jobs_services.Run, "still_mine", taken_over)
    post_import(signed_in, export_file(8))
    run_tasks()
    assert not JournalEntry.objects.exists() and not EntryToken.objects.exists()


def test_an_imports_writes_take_the_same_queries_for_5_entries_as_for_120(user):
    def rows(count: int) -> list[ImportRow]:
        now = timezone.now()
        words = " ".join(f"word{number}" for number in range(130))
        return [
            ImportRow(id=None, content=content(body=f"{words} {number}"), created_at=now,
                      updated_at=now)
            for number in range(count)
        ]  # fmt: skip

    user_keys(user), user_keys(user)  # made, then read and kept: not the import's cost
    counts = []
    for count in (5, 120):
        with CaptureQueriesContext(connection) as queries:
            services.entries_import(user=user, rows=rows(count))
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10, counts
    assert EntryToken.objects.filter(entry__user=user).count() > 125 * 5


def test_a_pdf_of_many_entries_is_made_by_the_worker_with_time_that_fits_it(
    reauthenticated, user, write, monkeypatch
):
    for day in range(1, 8):
        write(user, title=f"Day {day}", body=f"Walked by the river, {CANARY}.",
              entry_date=date(2026, 2, day))  # fmt: skip
    timeouts = []
    original = journal_pdf.render_pdf

    def render(html, **options):
        timeouts.append(options["timeout"])
        return original(html, **options)

    monkeypatch.setattr(journal_pdf, "render_pdf", render)
    response = reauthenticated.post(
        "/journal/export/", {"format": "pdf", "title": "Notes", "leave_out": []}
    )
    assert response.status_code == 303
    job = Job.objects.get(user=user)
    assert job.total == 7 and CANARY.encode() not in bytes(job.sealed_input)
    run_tasks()
    page = words_of(reauthenticated.get(response["Location"]))
    assert "Your file is ready" in page
    assert timeouts and timeouts[0] > 20.0  # more than a short document's DEFAULT_TIMEOUT
    download = reauthenticated.post(f"/jobs/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="notes-2026-02-01-to-2026-02-07.pdf"'
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(download.content)).pages)
    assert "Day 1" in text and "Day 7" in text


def test_a_pdf_of_a_few_entries_and_every_zip_or_json_stay_immediate(reauthenticated, user, write):
    for day in range(1, 8):
        write(user, title=f"Day {day}", entry_date=date(2026, 2, day))
    assert reauthenticated.post(
        "/journal/export/", {"format": "json", "title": "Notes"}
    ).status_code == 200  # fmt: skip
    few = {"format": "pdf", "title": "Notes", "start": "2026-02-01", "end": "2026-02-05"}
    response = reauthenticated.post("/journal/export/", few)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not Job.objects.exists()
