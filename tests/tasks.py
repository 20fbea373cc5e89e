"""Running queued django.tasks inside a test: the real worker's loop, in this process.

run_tasks() is django_tasks_db's own Worker (the code behind `manage.py db_worker`)
in batch mode: it claims each ready task row as a worker would and runs it, until
none is left. Tests of a worker in its own process are in tests/jobs/test_worker.py.
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_tasks(*, max_tasks: int | None = None) -> int:
    """Run every ready task (at most *max_tasks*); return how many ran."""
    before = DBTaskResult.objects.finished().count()
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
    return DBTaskResult.objects.finished().count() - before
