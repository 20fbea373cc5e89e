"""'Download everything' as a job, through the real queue and worker loop (tests.tasks.run_tasks).

The click answers at once with the job's page; the worker gathers each part, makes
the PDFs and packs the zip, saying how far it has got; the person downloads it once.
What the zip holds is tested in tests/accounts/test_export_everything.py.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import core.pdf
from jobs import services
from jobs.models import Job, Kind, State
from tests.factories import JournalEntryFactory, PlanFactory
from tests.tasks import run_tasks
from yourdata.parts import parts

pytestmark = pytest.mark.django_db(transaction=True)

CANARY = "CANARY-archive-words"


@pytest.fixture
def reauthenticated(client, user, password):
    client.post("/accounts/login/", {"login": user.email, "password": password})
    assert client.post("/accounts/reauthenticate/", {"password": password}).status_code == 302
    return client


@pytest.fixture(autouse=True)
def quick_pdfs(monkeypatch):
    """The archive's renderer (its budget calls core.pdf.render_pdf), without a child."""
    monkeypatch.setattr(core.pdf, "render_pdf", lambda html, **limits: b"%PDF-1.7 test\n")


@pytest.fixture
def reports(monkeypatch):
    """Every (stage, done, total) the work reports, whether or not it was written."""
    heard: list[tuple[str | None, int, int | None]] = []
    report = services.Run.report

    def recording(run, done, total=None, stage=None):
        heard.append((stage, done, total))
        report(run, done, total, stage)

    monkeypatch.setattr(services.Run, "report", recording)
    return heard


def nothing_holds_text(*texts: str) -> bool:
    rows = json.dumps(list(DBTaskResult.objects.values()), default=str)
    return not any(text in rows for text in texts)


def test_the_click_answers_at_once_and_the_worker_makes_the_zip_in_stages(
    reauthenticated, user, reports
):
    PlanFactory(user=user, title=f"{CANARY} plan")
    JournalEntryFactory(user=user, title=f"{CANARY} entry")
    response = reauthenticated.post("/accounts/export/")
    job = Job.objects.get()
    assert (response.status_code, response["Location"]) == (303, f"/jobs/{job.pk}/")
    assert (job.kind, job.state, bytes(job.sealed_input)) == (Kind.ARCHIVE, State.QUEUED, b"")
    assert DBTaskResult.objects.get().args_kwargs == {"args": [str(job.pk)], "kwargs": {}}

    assert run_tasks() == 1
    assert list(dict.fromkeys(stage for stage, _, _ in reports)) == [
        "gathering",
        "making-pdf",
        "packing",
    ]
    totals = {stage: {total for s, _, total in reports if s == stage} for stage, _, _ in reports}
    assert totals["gathering"] == {len(parts())}  # each app's part
    assert totals["making-pdf"] == {2}  # the journal's PDF and the plan's
    page = reauthenticated.get(response["Location"])
    assert "Your file is ready" in page.text
    download = reauthenticated.post(f"/jobs/{job.pk}/download/")
    name = f"account-data-{timezone.localdate():%Y-%m-%d}.zip"
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'
    with zipfile.ZipFile(io.BytesIO(download.content)) as zipped:
        files = {
            name.removeprefix("account-data/"): zipped.read(name) for name in zipped.namelist()
        }
    assert "journal/journal.pdf" in files
    assert [n for n in files if n.startswith("plans/") and n.endswith(".pdf")]
    assert b"Not made this time" not in files["README.txt"]
    assert f"{CANARY} plan".encode() in files["plans/plans.json"]
    assert nothing_holds_text(CANARY, user.email)


def test_a_second_click_joins_the_archive_being_made_and_the_page_says_where_it_is(
    reauthenticated,
):
    first = reauthenticated.post("/accounts/export/")["Location"]
    assert reauthenticated.post("/accounts/export/")["Location"] == first
    assert Job.objects.count() == 1
    page = reauthenticated.get("/accounts/export/").text
    assert "Your file is being made." in page and f'href="{first}"' in page

    run_tasks()
    page = reauthenticated.get("/accounts/export/").text
    assert "Your file is ready." in page and f'href="{first}"' in page
    reauthenticated.post(f"{first}download/")
    page = reauthenticated.get("/accounts/export/").text
    assert "Your file is" not in page and first not in page
    # Asked again once it is over: a new one, in place of the old.
    again = reauthenticated.post("/accounts/export/")["Location"]
    assert again != first and Job.objects.count() == 1


def delete_account(client) -> None:
    response = client.post("/accounts/delete/", {"confirm": "delete my account"})
    assert response.status_code == 302


def test_deleting_the_account_with_its_archive_waiting_leaves_nothing(reauthenticated, user):
    PlanFactory(user=user, title=f"{CANARY} plan")
    reauthenticated.post("/accounts/export/")
    delete_account(reauthenticated)
    assert not Job.objects.exists()
    run_tasks()  # the queued task finds no job, and does nothing
    assert not Job.objects.exists()
    assert nothing_holds_text(CANARY, user.email)


def test_an_archive_being_made_when_its_account_is_deleted_stops_and_leaves_nothing(
    reauthenticated, user, monkeypatch, caplog
):
    PlanFactory(user=user, title=f"{CANARY} plan")
    report = services.Run.report

    def delete_midway(run, done, total=None, stage=None):
        if stage == "making-pdf" and Job.objects.exists():
            delete_account(reauthenticated)  # the person, in another tab
        report(run, done, total, stage)

    monkeypatch.setattr(services.Run, "report", delete_midway)
    reauthenticated.post("/accounts/export/")
    with caplog.at_level("INFO", logger="jobs.services"):
        run_tasks()
    assert "stopped: it was deleted with its account" in caplog.text  # not finished
    assert not Job.objects.exists()
    assert not type(user).objects.filter(pk=user.pk).exists()
    assert [row.status for row in DBTaskResult.objects.all()] == ["SUCCESSFUL"]  # a quiet stop
    assert nothing_holds_text(CANARY, user.email)
