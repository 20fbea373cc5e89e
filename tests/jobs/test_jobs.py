"""The job machinery itself (jobs.services), with small tasks of its own."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.tasks import task
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import services
from jobs.models import Job, Kind, State
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)

CANARY = "canary-words-that-must-stay-private"
RUNS: list[str] = []


def _echo(run: services.Run) -> None:
    data = run.input_json()
    RUNS.append(str(run.job.pk))
    for done in range(1, 4):
        run.report(done, total=3, stage="packing")
    run.finish_file(data["text"].encode(), name="echo.txt", content_type="text/plain")


@task()
def echo(job_id: str) -> None:
    services.run_job(job_id, _echo)


def _explode(run: services.Run) -> None:
    raise ValueError(f"a message quoting {CANARY}")


@task()
def explode(job_id: str) -> None:
    services.run_job(job_id, _explode)


@task()
def say_nothing(job_id: str) -> None:
    services.run_job(job_id, lambda run: None)


def start(user, task_, text=CANARY) -> Job:
    # A kind whose download needs no fresh password check (see tests/accounts for those).
    return services.job_start(user=user, kind=Kind.PLAN_PDF, task=task_, data={"text": text})


def test_a_job_runs_and_its_file_is_sealed_then_downloaded_once(user):
    job = start(user, echo)
    row = DBTaskResult.objects.get()
    assert row.args_kwargs == {"args": [str(job.pk)], "kwargs": {}}
    assert CANARY.encode() not in bytes(Job.objects.get().sealed_input)
    assert run_tasks() == 1
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.stage) == (State.DONE, 3, 3, "done")
    assert CANARY.encode() not in bytes(job.sealed_result)
    assert bytes(job.sealed_input) == b""
    taken = services.result_take(job)
    assert (taken.data, taken.name) == (CANARY.encode(), "echo.txt")
    assert services.result_take(job) is None  # once only
    assert bytes(Job.objects.get().sealed_result) == b""


def test_a_job_runs_once_however_often_its_task_is_queued(user):
    RUNS.clear()
    job = start(user, echo)
    echo.enqueue(str(job.pk))
    echo.enqueue(str(job.pk))
    run_tasks()
    assert [str(job.pk)] == RUNS


def test_a_failing_job_says_so_plainly_and_no_record_quotes_its_error(user, caplog):
    job = start(user, explode)
    with caplog.at_level(logging.DEBUG):
        run_tasks()
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert services.outcome(job)["problems"] == [services.BROKEN]
    row = DBTaskResult.objects.get()
    assert row.status == "FAILED"
    assert CANARY not in row.traceback
    assert CANARY not in caplog.text
    assert CANARY not in json.dumps(list(DBTaskResult.objects.values()), default=str)


def test_work_that_ends_without_a_result_is_failed(user):
    job = start(user, say_nothing)
    run_tasks()
    job.refresh_from_db()
    assert job.state == State.FAILED


def test_a_job_deleted_with_its_account_stops_and_leaves_nothing(user):
    job = start(user, echo)
    user.delete()
    run_tasks()
    assert not Job.objects.exists()
    assert not Job.objects.filter(pk=job.pk).exists()


def test_a_job_whose_worker_died_runs_again_once_then_fails(user, settings):
    job = start(user, echo)
    # A worker claimed it, then died: its process is gone.
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, attempts=1, runner="localhost-x:1:1")
    settings.JOB_STALL_SECONDS = 0
    assert services.recover_stalled() == 1
    job.refresh_from_db()
    assert (job.state, job.stage) == (State.QUEUED, "retrying")
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, attempts=2, runner="localhost-x:1:2")
    assert services.recover_stalled() == 1
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert services.outcome(job)["problems"] == [services.LOST]


def test_a_job_that_never_reached_the_queue_is_queued_by_recovery(user, settings):
    job = start(user, echo)
    DBTaskResult.objects.all().delete()
    Job.objects.filter(pk=job.pk).update(task_id="")
    settings.JOB_STALL_SECONDS = 0
    assert services.recover_stalled() == 1
    run_tasks()
    job.refresh_from_db()
    assert job.state == State.DONE


def test_the_progress_page_says_when_a_job_is_slow_to_start(client, user):
    job = start(user, echo)
    client.force_login(user)
    assert "taking longer than usual" not in client.get(f"/jobs/{job.pk}/").text
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    page = client.get(f"/jobs/{job.pk}/").text
    assert "taking longer than usual" in page
    assert CANARY not in page


def test_the_progress_page_counts_in_words_and_figures(client, user):
    job = start(user, echo)
    Job.objects.filter(pk=job.pk).update(
        state=State.RUNNING, done=470, total=8000, stage="formatting", heartbeat_at=timezone.now()
    )
    client.force_login(user)
    page = client.get(f"/jobs/{job.pk}/").text
    assert "Formatting the entries." in page
    assert "470 of 8,000 done (6%)" in page
    assert '<progress id="job-progress" max="8000" value="470">' in page


def test_a_second_download_click_goes_back_to_the_page_that_says_it_was_downloaded(client, user):
    job = start(user, echo)
    run_tasks()
    client.force_login(user)
    assert client.post(f"/jobs/{job.pk}/download/").status_code == 200
    again = client.post(f"/jobs/{job.pk}/download/")
    assert (again.status_code, again["Location"]) == (302, f"/jobs/{job.pk}/")
    assert "This file was downloaded" in client.get(again["Location"]).text


def test_a_file_past_its_24_hours_is_gone_even_before_housekeeping(client, user):
    job = start(user, echo)
    run_tasks()
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    client.force_login(user)
    assert client.post(f"/jobs/{job.pk}/download/").status_code == 302
    page = client.get(f"/jobs/{job.pk}/").text
    assert "no longer kept on our server" in page and "Download</button>" not in page
    job.refresh_from_db()
    assert (bytes(job.sealed_result), job.expired) == (b"", True)


def test_only_the_newest_files_are_kept_for_each_person(user):
    jobs = [start(user, echo, text=f"file {n}") for n in range(services.MAX_KEPT_FILES + 2)]
    for job in jobs:  # one at a time, oldest first
        echo.call(str(job.pk))
    kept = Job.objects.exclude(sealed_result=b"")
    assert set(kept.values_list("pk", flat=True)) == {job.pk for job in jobs[2:]}
    assert set(Job.objects.filter(expired=True).values_list("pk", flat=True)) == {
        jobs[0].pk,
        jobs[1].pk,
    }


def test_one_person_cannot_hold_every_worker_or_start_jobs_without_end(user, settings):
    for _ in range(services.MAX_UNFINISHED):
        start(user, echo)
    assert "things being made already" in services.start_refused(user)
    Job.objects.update(state=State.DONE)
    settings.WRITE_RATE_LIMITS = {"job": [(2, 60)]}
    assert services.start_refused(user) is None
    assert services.start_refused(user) is None
    assert "so this one was paused" in services.start_refused(user)


def test_a_poll_of_the_progress_page_reads_neither_the_upload_nor_the_file(client, user):
    job = start(user, echo)
    Job.objects.filter(pk=job.pk).update(sealed_input=b"x" * 100_000)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/jobs/{job.pk}/").status_code == 200
    job_reads = [q["sql"] for q in queries if 'FROM "jobs_job"' in q["sql"]]
    assert job_reads and not any('."sealed_input"' in sql for sql in job_reads)
    assert not any('"sealed_result",' in sql.split("FROM")[0] for sql in job_reads)
