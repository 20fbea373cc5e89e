"""Everything the site tidies on a schedule, in one command for one cron line.

    */10 * * * *  cd /srv/common-ground && .venv/bin/python manage.py housekeeping

Why cron and not a task that queues itself again: its first duty is to notice that
workers were lost (recover_stalled), so it must not depend on a worker being alive
to run it, and a chain of self-queued tasks breaks silently when the worker running
a link is killed. Each step is cheap when there is nothing to do, and safe to run on
several machines at once (every delete and every re-queue is conditional).

It lives in config/ because it composes several apps (jobs, journal, sessions, the
task queue), which only the wiring may import together (tests/test_layers.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.sandbox import sweep_stale_scratch
from jobs.services import jobs_prune, recover_stalled
from journal.services import drafts_purge_stale, trash_purge_expired
from reminders.services import reminders_send_missed

logger = logging.getLogger("housekeeping")

# Finished rows of the task queue (ids, task names, timings: no user text) are kept this
# long for an operator to look at, then deleted. The job a person sees is a Job row,
# pruned after JOB_RESULT_HOURS by jobs_prune.
TASK_ROWS_KEPT = timedelta(days=1)


def task_rows_prune() -> int:
    """Delete the queue's rows of tasks finished over TASK_ROWS_KEPT ago; return how many.

    The same rows as django_tasks_db's prune_db_task_results (finished, by finish time),
    every queue and failed ones included, after a day rather than its default 14.
    """
    cutoff = timezone.now() - TASK_ROWS_KEPT
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted


def sessions_clear_expired() -> int:
    """Delete expired sessions, as `manage.py clearsessions` does; return how many."""
    from django.contrib.sessions.models import Session

    before = Session.objects.count()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return before - Session.objects.count()


# (what it did, the step). Lost jobs first: a person may be waiting for one.
STEPS: list[tuple[str, Callable[[], int]]] = [
    ("lost jobs queued again or failed", recover_stalled),
    # Each reminder email queues its own next send; one whose queued send was lost
    # (its worker killed mid-send) is sent here, once (reminders.services).
    ("reminder emails sent that were missed", reminders_send_missed),
    ("finished jobs and their results deleted", jobs_prune),
    ("finished task rows deleted", task_rows_prune),
    ("journal entries deleted from the trash", trash_purge_expired),
    ("stale journal drafts deleted", drafts_purge_stale),
    ("expired sessions deleted", sessions_clear_expired),
    ("temporary render folders removed", sweep_stale_scratch),
]


class Command(BaseCommand):
    help = (
        "Recover jobs whose worker was lost, delete finished jobs, finished task rows and "
        "expired sessions, empty the journal's 30-day trash and stale drafts, remove render "
        "folders left by killed workers. Run it every 10 minutes from cron: "
        "*/10 * * * *  cd /srv/common-ground && .venv/bin/python manage.py housekeeping"
    )

    # The system checks (3 s, the guide content included) run at every deploy and server
    # start; here they would cost that every 10 minutes, and a failing one would stop
    # lost jobs from being recovered.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        failed = []
        for what, step in STEPS:
            try:
                count = step()
            except Exception as error:  # the other steps still run; cron hears of it
                # The class only: a message could quote a row.
                logger.error("Housekeeping step %r failed with %s.", what, type(error).__name__)
                failed.append(what)
                continue
            if options["verbosity"] >= 1:
                self.stdout.write(f"{count} {what}")
        if failed:
            raise CommandError(f"Housekeeping steps failed: {', '.join(failed)}.")
