"""Running queued django.tasks inside a test: the real worker's loop, in this process.

run_tasks() is django_tasks_db's own Worker (the code behind `manage.py db_worker`)
in batch mode: it claims each ready task row as a worker would and runs it, until
none is left. Tests of a worker in its own process are in tests/jobs/test_worker.py.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from django_tasks_db.management.commands import db_worker as queue
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def worker(worker_class: type[Worker] = Worker, **options: Any) -> Worker:
    """A worker on every queue, as `db_worker --queue-name '*'` makes one; *options* change it."""
    defaults: dict[str, Any] = {
        "queue_names": ["*"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
    }
    return worker_class(**{**defaults, **options})


def run_tasks(*, max_tasks: int | None = None) -> int:
    """Run every ready task (at most *max_tasks*); return how many ran."""
    before = DBTaskResult.objects.finished().count()
    # The worker closes connections it finds outside autocommit, as a request does; here
    # that is the test's own transaction (fatal on PostgreSQL), so the loop keeps it.
    with mock.patch.object(queue, "close_old_connections"):
        worker(max_tasks=max_tasks).run()
    return DBTaskResult.objects.finished().count() - before


def do_job(response) -> str:
    """Do the job *response* (a 303 to its progress page) started, as the worker would,
    inside the test's own transaction (where nothing is queued, since the queue is
    written when a transaction commits); return the progress page's address.

    For tests about what a job makes rather than about the queue: tests of the queue
    itself use run_tasks() with transaction=True.
    """
    from django.utils.module_loading import import_string

    from jobs.models import Job

    assert response.status_code == 303, response.status_code
    location = response["Location"]
    job = Job.objects.get(pk=location.removeprefix("/jobs/").strip("/"))
    import_string(job.task_path).call(str(job.pk))
    return location


def finish_job(client, response):
    """do_job(), then take the job's file through the page's Download button; return that
    download (or, for a job that did not make a file, its progress page saying why)."""
    from jobs.models import Job

    location = do_job(response)
    job = Job.objects.get(pk=location.removeprefix("/jobs/").strip("/"))
    if job.state != "done" or not job.sealed_result:
        return client.get(location)
    return client.post(f"{location}download/")
