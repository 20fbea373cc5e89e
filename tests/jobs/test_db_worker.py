"""jobs' `manage.py db_worker`: django_tasks_db's worker with a stop that never exits mid-query."""

from __future__ import annotations

import signal
from typing import cast
from unittest import mock

import pytest
from django.core.management import get_commands

from jobs.management.commands.db_worker import Worker
from tests.tasks import worker


def idle_worker() -> Worker:
    return cast(Worker, worker(Worker, interval=1, batch=False, worker_id="test"))


def test_manage_py_db_worker_is_the_one_with_the_clean_stop():
    assert get_commands()["db_worker"] == "jobs"


def test_told_to_stop_while_idle_it_finishes_its_loop_instead_of_exiting_mid_query():
    worker = idle_worker()
    worker.shutdown(signal.SIGTERM, None)  # django_tasks_db's raised SystemExit here
    assert worker.running is False


def test_told_twice_it_stops_at_once():
    worker = idle_worker()
    worker.shutdown(signal.SIGTERM, None)
    with mock.patch.object(worker, "reset_signals"), pytest.raises(SystemExit) as stopped:
        worker.shutdown(signal.SIGINT, None)
    assert stopped.value.code == 1
