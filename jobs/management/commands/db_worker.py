"""`manage.py db_worker`: django_tasks_db's worker, leaving cleanly when told to stop.

Its own worker, sent SIGTERM (systemd's stop, a deploy, make run's Ctrl+C) while no
task runs, calls sys.exit() from the signal handler at once, wherever its loop is. In
the middle of its look at the queue (a transaction) that leaves the database
connection half-way, and the exit fails with an error, status 1: a clean stop shows as
a failed unit, and once in a while a test of a stopped worker fails (seen on
PostgreSQL). Here the first signal only asks the loop to stop: a task under way still
finishes, as before; an idle worker leaves after its current look at the queue or its
pause (--interval, 1 s by default). A second signal still ends it at once.

This app comes before django_tasks_db in INSTALLED_APPS, so this command is the one
`manage.py db_worker` runs; its options are django_tasks_db's.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django_tasks_db.management.commands import db_worker as queue


class Worker(queue.Worker):
    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running:  # told twice: stop now, as django_tasks_db does
            super().shutdown(signum, frame)
            return
        queue.logger.warning(
            "Received %s - shutting down gracefully... (press Ctrl+C again to force)",
            signal.strsignal(signum),
        )
        self.running = False


class Command(queue.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        # django_tasks_db's handle() builds its worker from its module's Worker: the
        # same options, the same loop, this shutdown.
        original = queue.Worker
        queue.Worker = Worker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            queue.Worker = original  # type: ignore[misc]
