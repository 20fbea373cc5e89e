"""Real worker processes (`manage.py db_worker`) against a database of their own.

pytest's test database lives in its own process (in memory, for SQLite), so a worker
started as a subprocess cannot see it. Tests of the worker therefore get a fresh
database per module (scenario_database): a SQLite file in a temporary folder, with
the production SQLite options, or, when DATABASE_URL names PostgreSQL, a new database
made with the same credentials and dropped afterwards; it is migrated once. Each
scenario then runs its steps as separate processes against it:

- Scenario.step(NAME, ...): a Python process that sets Django up (config.settings.test)
  and runs one of the step functions below, which prints its answer as JSON;
- Scenario.worker(...): `manage.py db_worker`, its stdout and stderr kept in files;
- Scenario.manage(...): any management command (housekeeping, say).

The tasks the workers run are defined here too (the worker imports them by path):
each appends a line to a file in the scenario's folder with O_APPEND, so what ran,
where and how often is read back without the database.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.tasks import task

ROOT = Path(settings.BASE_DIR)
FOLDER_VARIABLE = "WORKER_SCENARIO_DIR"
WAIT = 60.0  # seconds any one wait may last before the test fails (never reached when all is well)


# --- The pytest side ---------------------------------------------------------------------


def wait_until(condition: Callable[[], Any], *, what: str, timeout: float = WAIT) -> Any:
    """Poll *condition* until it returns something true; fail after *timeout* seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}.")
        time.sleep(0.05)


@dataclass
class Worker:
    """One `manage.py db_worker` process, its output in <folder>/<name>.out and .err."""

    name: str
    process: subprocess.Popen[bytes]
    folder: Path

    def output(self) -> str:
        return "".join(
            (self.folder / f"{self.name}.{kind}").read_text(errors="replace")
            for kind in ("out", "err")
        )

    def wait_started(self) -> None:
        wait_until(lambda: "Starting worker" in self.output(), what=f"{self.name} to start")

    def kill(self) -> None:
        """SIGKILL, as the out-of-memory killer would; reaped, so its pid is gone."""
        self.process.kill()
        self.process.wait(timeout=WAIT)

    def stop(self) -> None:
        """SIGTERM, as systemd sends: the worker finishes its task and exits, with 0."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=WAIT)
        assert code == 0, f"{self.name} exited with {code}:\n{self.output()[-3000:]}"


@dataclass
class Scenario:
    url: str
    folder: Path
    workers: list[Worker] = field(default_factory=list)

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": self.url,
            "PYTHONPATH": str(ROOT),
            FOLDER_VARIABLE: str(self.folder),
        }

    def step(self, name: str, *args: Any) -> Any:
        """Run the step *name* (a function below) in its own process; return its JSON answer."""
        script = (
            "import django, json, sys; django.setup(); "
            "from tests.worker_scenarios import STEPS; "
            "print(json.dumps(STEPS[sys.argv[1]](*json.loads(sys.argv[2]))))"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, name, json.dumps(args)],
            cwd=ROOT, env=self.environment(), capture_output=True, text=True, timeout=WAIT,
            check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.splitlines()[-1])

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.environment(), capture_output=True, text=True, timeout=WAIT,
            check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done

    def worker(self, *args: str, batch: bool = False, hold_in: str = "") -> Worker:
        """Start `manage.py db_worker` on every queue; *batch*: until the queue is empty.

        *hold_in*: the dotted path of a function of the site's code; the worker marks
        "inside <path>" when it is called, then holds there until killed (held_worker).
        """
        name = f"worker-{len(self.workers) + 1}"
        options = ["db_worker", "--queue-name", "*", "--no-startup-delay", "--skip-checks",
                   "--interval", "0.05", *args]  # fmt: skip
        if batch:
            options.append("--batch")
        if hold_in:
            script = "from tests.worker_scenarios import held_worker; held_worker()"
            command = [sys.executable, "-c", script, hold_in, *options]
        else:
            command = [sys.executable, "manage.py", *options]
        with (
            open(self.folder / f"{name}.out", "wb") as out,
            open(self.folder / f"{name}.err", "wb") as err,
        ):
            process = subprocess.Popen(
                command, cwd=ROOT, env=self.environment(), stdout=out, stderr=err
            )
        started = Worker(name=name, process=process, folder=self.folder)
        self.workers.append(started)
        return started

    def marks(self) -> list[str]:
        """The lines the tasks appended to <folder>/marks, in order."""
        path = self.folder / "marks"
        return path.read_text().splitlines() if path.exists() else []

    def mark(self, line: str) -> None:
        mark(line, self.folder)

    def wait_for_mark(self, line: str) -> None:
        wait_until(lambda: line in self.marks(), what=f"the mark {line!r}")

    def end(self) -> None:
        for running in self.workers:
            if running.process.poll() is None:
                running.process.kill()
                running.process.wait(timeout=WAIT)
        self.workers.clear()
        for name in os.listdir(self.folder):
            if name.startswith(("worker-", "marks")):
                os.remove(self.folder / name)
        self._forget_unfinished()

    def _forget_unfinished(self) -> None:
        """Delete the jobs and task rows a scenario left waiting or running (the job a
        drained worker left for the next one, say), so the next scenario's workers start
        on an empty queue. Plain SQL from this process: no Django process to start."""
        statements = [  # DBTaskResult's and Job's tables
            "DELETE FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')",
            "DELETE FROM jobs_job WHERE state IN ('queued', 'running')",
        ]
        if self.url.startswith("sqlite:"):
            with contextlib.closing(sqlite3.connect(self.folder / "scenario.sqlite3")) as db:
                for statement in statements:
                    db.execute(statement)
                db.commit()
            return
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            for statement in statements:
                db.execute(statement)


def _sqlite_url(path: Path) -> str:
    """A URL for *path* with the production SQLite options (WAL, IMMEDIATE, a busy timeout)."""
    from config.settings.base import SQLITE_OPTIONS

    return f"sqlite:///{path}?{urlencode(SQLITE_OPTIONS, quote_via=quote)}"


@contextlib.contextmanager
def scenario_database(folder: Path) -> Iterator[Scenario]:
    """A migrated database for worker scenarios, of the engine DATABASE_URL names (SQLite
    when unset); a PostgreSQL one is made with DATABASE_URL's credentials and dropped after."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url.startswith(("postgres://", "postgresql://")):
        scenario = Scenario(url=_sqlite_url(folder / "scenario.sqlite3"), folder=folder)
        scenario.manage("migrate", "--noinput", "--skip-checks", "-v0")
        yield scenario
        return

    import psycopg

    name = f"cg_worker_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        scenario = Scenario(url=urlsplit(url)._replace(path=f"/{name}").geturl(), folder=folder)
        scenario.manage("migrate", "--noinput", "--skip-checks", "-v0")
        yield scenario
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- The scenario side: tasks and their work --------------------------------------------


def mark(line: str, folder: Path | None = None) -> None:
    """Append *line* to <folder>/marks in one write (O_APPEND: lines from processes never mix)."""
    folder = folder or Path(os.environ[FOLDER_VARIABLE])
    descriptor = os.open(folder / "marks", os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(descriptor, f"{line}\n".encode())
    finally:
        os.close(descriptor)


def _hold(release: str = "") -> None:
    """Keep the work where it is until the test kills the worker, or until the test marks
    *release* (bounded: never for ever)."""
    marks = Path(os.environ[FOLDER_VARIABLE]) / "marks"
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if release and release in marks.read_text().splitlines():
            return
        time.sleep(0.05)
    raise TimeoutError("held for too long: the test did not stop this worker")


def held_worker() -> None:
    """`manage.py db_worker` with one function of the site's code made to stop halfway:
    argv is [-c, PATH, db_worker options...]. The real work runs up to the call of PATH
    (inside its transaction, say), marks "inside PATH", and waits there to be killed."""
    import django
    from django.core.management import execute_from_command_line
    from django.utils.module_loading import import_string

    django.setup()
    path = sys.argv[1]
    module, _, name = path.rpartition(".")
    original = import_string(path)

    def stopped_inside(*args: Any, **kwargs: Any) -> Any:
        mark(f"inside {path}")
        _hold()
        return original(*args, **kwargs)

    setattr(import_module(module), name, stopped_inside)
    execute_from_command_line(["manage.py", *sys.argv[2:]])


def _record(run: Any) -> None:
    mark(f"ran {run.job.pk} {os.getpid()}")
    run.finish({"ran": 1})


@task()
def record(job_id: str) -> None:
    """Note that the queue handed it over, and that the job ran, with the worker's pid."""
    from jobs.services import run_job

    mark(f"task {job_id} {os.getpid()}")
    run_job(job_id, _record)


def _write_rows(run: Any) -> None:
    from django.contrib.auth.models import Group
    from django.db import transaction

    plan = run.input_json()
    rows = plan["rows"]
    run.report(0, total=rows, stage="saving")
    with transaction.atomic():  # as the real import: every row or none
        run.still_mine()
        for number in range(rows):
            Group.objects.create(name=f"{run.job.pk}-{number}")
            if number == rows // 2:
                mark(f"halfway {run.job.pk} {run.job.attempts}")
                if run.job.attempts in plan["hold_on_attempts"]:
                    _hold(release=f"release {run.job.pk}" if plan.get("released") else "")
    run.finish({"rows": rows})


@task()
def write_rows(job_id: str) -> None:
    """Insert rows in one transaction, holding halfway on the attempts the input names."""
    from jobs.services import run_job

    run_job(job_id, _write_rows)


def _report_until_gone(run: Any) -> None:
    text = run.input_json()["text"]  # the person's words: held, never logged
    mark(f"reporting {run.job.pk}")
    deadline = time.monotonic() + WAIT
    done = 0
    while time.monotonic() < deadline:
        done += 1
        run.report(done, total=done + 1, stage="reading")  # raises JobGone once the row is gone
        time.sleep(0.05)
    run.finish_file(text.encode(), name="never.txt", content_type="text/plain")


@task()
def report_until_gone(job_id: str) -> None:
    """Keep reporting progress until the job's row is gone (its account deleted)."""
    from jobs.services import run_job

    run_job(job_id, _report_until_gone)


def _echo(run: Any) -> None:
    text = run.input_json()["text"]
    run.report(1, total=2, stage="packing")
    run.finish_file(text.encode(), name="echo.txt", content_type="text/plain")


@task()
def echo(job_id: str) -> None:
    """Return the person's text as a file to download."""
    from jobs.services import run_job

    run_job(job_id, _echo)


def _explode(run: Any) -> None:
    raise ValueError(f"a message quoting {run.input_json()['text']}")


@task()
def explode(job_id: str) -> None:
    """Fail with an error whose message quotes the person's text."""
    from jobs.services import run_job

    run_job(job_id, _explode)


# --- The scenario side: steps, each run in its own process -------------------------------

STEPS: dict[str, Callable[..., Any]] = {}


def step(function: Callable[..., Any]) -> Callable[..., Any]:
    STEPS[function.__name__] = function
    return function


def _person(email: str) -> Any:
    from accounts.models import User

    return User.objects.create_user(email=email, password=secrets.token_urlsafe(16))


def _start(user: Any, task_path: str, data: dict[str, Any]) -> str:
    from django.utils.module_loading import import_string

    from jobs.models import Kind
    from jobs.services import job_start

    job = job_start(user=user, kind=Kind.ARCHIVE, task=import_string(task_path), data=data)
    return str(job.pk)


@step
def start_jobs(*batches: tuple[str, int, dict[str, Any]]) -> list[str]:
    """Queue, for a new person, each batch's *count* jobs of this module's task *task_name*
    with *data* as their input, in order; return their ids."""
    user = _person(f"{secrets.token_hex(6)}@example.org")
    return [
        _start(user, f"{__name__}.{task_name}", data)
        for task_name, count, data in batches
        for _ in range(count)
    ]


@step
def wait_finished(job_ids: list[str]) -> bool:
    """Return once no job of *job_ids* is waiting or running (bounded by WAIT)."""
    from jobs.models import Job

    wait_until(
        lambda: not Job.objects.filter(pk__in=job_ids).unfinished().exists(),
        what="the jobs to finish",
    )
    return True


@step
def look(job_ids: list[str], then: str = "") -> dict[str, Any]:
    """What the database holds for *job_ids*: each job, the rows they wrote, the task rows;
    *then* "wait": once they have finished; "housekeeping": after running that command."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from jobs.models import Job
    from jobs.services import outcome
    from journal.models import EntryToken, JournalEntry

    said = io.StringIO()
    if then == "wait":
        wait_finished(job_ids)
    elif then == "housekeeping":
        call_command("housekeeping", stdout=said)

    jobs = {
        str(job.pk): {
            "state": job.state,
            "stage": job.stage,
            "attempts": job.attempts,
            "outcome": outcome(job),
            "entries": JournalEntry.objects.filter(user=job.user).count(),
            "tokens": EntryToken.objects.filter(entry__user=job.user).count(),
        }
        for job in Job.objects.filter(pk__in=job_ids).select_related("user")
    }
    mine = [
        row for row in DBTaskResult.objects.values() if row["args_kwargs"]["args"][0] in job_ids
    ]
    return {
        "jobs": jobs,
        "rows": {
            job_id: Group.objects.filter(name__startswith=job_id).count() for job_id in job_ids
        },
        "tasks": sorted(row["status"] for row in mine),
        "task_rows": json.dumps(mine, default=str),
        "job_rows": Job.objects.count(),
        "housekeeping": said.getvalue(),
    }


@step
def delete_account_of(job_id: str) -> bool:
    """Delete the job's person and all they have, as "delete everything" does."""
    from django.db import transaction

    from jobs.models import Job
    from yourdata.parts import parts

    user = Job.objects.select_related("user").get(pk=job_id).user
    with transaction.atomic():
        for part in parts():
            part.erase(user)
        user.delete()
    return True


@step
def through_the_site(kinds: list[str], canary: str, wait: bool = True) -> dict[str, Any]:
    """Start a real job of each of *kinds* through its page, as a person signed in with
    their password just checked, with *canary* in what they wrote; wait for the worker;
    open each job's progress page and download what it made. Without *wait*: return
    each job's id once it is started. "queue_quotes": whether any task row holds *canary*."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from jobs.models import Job
    from journal.models import JournalEntry
    from tests.factories import PASSWORD, JournalEntryFactory, PlanFactory, UserFactory

    def new_person() -> Any:  # a fresh address: each step process counts from 0 again
        return UserFactory(email=f"{secrets.token_hex(6)}@example.org")

    def signed_in(person: Any) -> Client:
        client = Client()
        client.force_login(person)
        assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
        return client

    def start(kind: str, person: Any, client: Client) -> Any:
        if kind == "journal-import":
            # The file: another person's journal, exported as JSON through the export page.
            source = new_person()
            for number in range(3):
                JournalEntryFactory(user=source, title=f"{canary} {number}", body=canary)
            exported = signed_in(source).post(
                "/journal/export/", {"format": "json", "title": "Notes"}
            )
            assert exported.status_code == 200, exported.status_code
            upload = SimpleUploadedFile("notes.json", exported.content)
            return client.post("/journal/import/", {"file": upload})
        if kind == "journal-export":
            for number in range(6):  # more than a PDF made at once (journal.tasks.PDF_RIGHT_AWAY)
                JournalEntryFactory(user=person, title=f"{canary} {number}", body=canary)
            return client.post("/journal/export/", {"format": "pdf", "title": "Notes"})
        if kind == "archive":
            JournalEntryFactory(user=person, title=canary, body=canary)
            return client.post("/accounts/export/")
        if kind == "plan-pdf":
            plan: Any = PlanFactory(user=person, title=f"{canary} plan", why=canary, boundaries=1)
            return client.get(f"/plans/{plan.pk}/pdf/")
        raise ValueError(kind)

    answers = []
    for kind in kinds:
        person = new_person()
        client = signed_in(person)
        started = start(kind, person, client)
        assert started.status_code == 303, (kind, started.status_code)
        job_id = started["Location"].removeprefix("/jobs/").strip("/")
        if not wait:
            answers.append({"job": job_id})
            continue
        wait_finished([job_id])
        job = Job.objects.get(pk=job_id)
        answer: dict[str, Any] = {
            "kind": job.kind,
            "state": job.state,
            "page": client.get(f"/jobs/{job_id}/").status_code,
            "entries": JournalEntry.objects.filter(user=person).count(),
        }
        if job.sealed_result:
            download = client.post(f"/jobs/{job_id}/download/")
            answer["download"] = {
                "status": download.status_code,
                "type": download["Content-Type"],
                "head": download.content[:4].decode("latin-1"),
            }
        answers.append(answer)
    from django_tasks_db.models import DBTaskResult

    rows = json.dumps(list(DBTaskResult.objects.values()), default=str)
    return {"jobs": answers, "queue_quotes": canary in rows}
