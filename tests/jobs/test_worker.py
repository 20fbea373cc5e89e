"""The worker as it runs in production: `manage.py db_worker` processes, killed and raced.

Each test drives real worker processes against a database of their own
(tests/worker_scenarios.py, the `scenario` fixture in tests/jobs/conftest.py), SQLite
or PostgreSQL as DATABASE_URL says, so CI runs them on both. Nothing here measures
time: the waits are bounded polls for an event.
"""

from __future__ import annotations

import json
import signal
from collections import Counter

from jobs.services import LOST
from tests.worker_scenarios import wait_until

CANARY = "Quetzalcanary-worker"


def test_two_workers_run_each_of_300_jobs_exactly_once(scenario):
    first, second = scenario.worker(), scenario.worker()
    first.wait_started()
    second.wait_started()
    # Queued while both workers poll, so they race for every row.
    jobs = scenario.step("start_jobs", ["record", 300, {}])
    seen = scenario.step("look", jobs, "wait")
    first.stop()
    second.stop()

    marks = [line.split() for line in scenario.marks()]
    runs = [(job, pid) for what, job, pid in marks if what == "ran"]
    handed = [(job, pid) for what, job, pid in marks if what == "task"]
    # The queue handed each task row to one worker once (SKIP LOCKED on PostgreSQL, an
    # exclusive transaction on SQLite), and each job's work ran once.
    assert Counter(job for job, _ in handed) == Counter(jobs)
    assert Counter(job for job, _ in runs) == Counter(jobs)
    assert len(runs) == 300
    # Both workers took part: the test is a race, not one worker doing it all.
    assert len({pid for _, pid in runs}) == 2
    assert Counter(job["state"] for job in seen["jobs"].values()) == {"done": 300}
    assert seen["tasks"] == ["SUCCESSFUL"] * 300


def test_a_worker_told_to_stop_finishes_its_job_and_takes_no_other(scenario):
    data = {"rows": 40, "hold_on_attempts": [1], "released": True}
    job, waiting = scenario.step("start_jobs", ["write_rows", 1, data], ["record", 1, {}])
    worker = scenario.worker()
    scenario.wait_for_mark(f"halfway {job} 1")

    worker.process.send_signal(signal.SIGTERM)  # as systemd's stop, or a deploy
    wait_until(lambda: "shutting down gracefully" in worker.output(), what="the worker to drain")
    scenario.mark(f"release {job}")
    assert worker.process.wait(timeout=60) == 0

    seen = scenario.step("look", [job, waiting])
    assert seen["rows"][job] == 40
    assert (seen["jobs"][job]["state"], seen["jobs"][job]["attempts"]) == ("done", 1)
    assert seen["jobs"][waiting]["state"] == "queued"  # left for the next worker


def test_a_job_killed_twice_shows_as_failed_with_the_lost_message(scenario):
    data = {"rows": 40, "hold_on_attempts": [1, 2]}
    [job] = scenario.step("start_jobs", ["write_rows", 1, data])
    worker = scenario.worker()
    scenario.wait_for_mark(f"halfway {job} 1")
    worker.kill()
    scenario.manage("housekeeping")  # queued again
    worker = scenario.worker()
    scenario.wait_for_mark(f"halfway {job} 2")
    worker.kill()

    seen = scenario.step("look", [job], "housekeeping")
    assert seen["rows"][job] == 0
    assert seen["jobs"][job]["state"] == "failed"
    assert seen["jobs"][job]["outcome"] == {"problems": [LOST]}
    assert seen["tasks"] == ["FAILED", "FAILED"]


def test_a_job_whose_account_is_deleted_while_it_runs_stops_and_leaves_nothing(scenario):
    [job] = scenario.step("start_jobs", ["report_until_gone", 1, {"text": CANARY}])
    worker = scenario.worker()
    scenario.wait_for_mark(f"reporting {job}")

    scenario.step("delete_account_of", job)
    # The worker notices at its next progress report, and ends the task quietly.
    stopped = f"Job {job} stopped: it was deleted with its account."
    wait_until(lambda: stopped in worker.output(), what="the job to stop")
    worker.stop()

    seen = scenario.step("look", [job])
    assert job not in seen["jobs"]
    assert seen["tasks"] == ["SUCCESSFUL"]
    [row] = json.loads(seen["task_rows"])
    assert row["args_kwargs"] == {"args": [job], "kwargs": {}}
    assert row["return_value"] is None
    assert row["traceback"] in (None, "")
    assert CANARY not in seen["task_rows"]


def test_the_workers_log_says_what_ran_and_no_word_the_person_wrote(scenario):
    """The canary test (tests/test_no_private_text_in_logs.py) carried to the worker: its
    input, its file and an error quoting it go through a worker logging at debug level."""
    worker = scenario.worker("--verbosity", "3")
    text = {"text": CANARY}
    jobs = scenario.step("start_jobs", ["echo", 2, text], ["explode", 1, text])
    seen = scenario.step("look", jobs, "wait")
    worker.stop()

    logged = worker.output()
    for job in jobs:
        assert f"Job {job} (archive) started, attempt 1." in logged
    assert "failed with builtins.ValueError" in logged  # the class, not the message
    assert logged.count("state=SUCCESSFUL") == 2
    assert CANARY not in logged
    assert sorted(job["state"] for job in seen["jobs"].values()) == ["done", "done", "failed"]
    assert CANARY not in seen["task_rows"]
