"""Starting, running, finishing and cleaning up jobs (jobs.models.Job).

A feature app starts a job with job_start(), naming its own django.tasks task; the
task's body calls run_job(job_id, work), and *work* gets a Run: the person, their
keys, the sealed input opened, and report()/finish_file()/finish()/refuse() to say
how far it got and how it ended.

What can go wrong, and what happens:
- Two workers never run one job: django_tasks_db claims each task row once, and
  run_job() moves the job from queued to running with a single conditional UPDATE,
  so a second run of the same job (a task row run twice by any means) does nothing.
- A worker killed mid-job leaves the job "running" with a runner that no longer
  reports. recover_stalled() (housekeeping, and the progress page for its own job)
  sees that the worker's process is gone (same machine) or silent for
  JOB_STALL_SECONDS, and queues the job again once; a second loss marks it failed
  with a message that says nothing was changed. The work itself commits in one
  transaction at its end, so a killed worker leaves no half of it.
- The person deletes their account: the job row goes with it (CASCADE), the next
  report() finds no row and raises JobGone, and run_job() ends quietly; whatever the
  work had open rolls back.
- The work raises: the job is marked failed with a plain message; the log and the
  task row get the job id and the exception's class, never its message (which could
  quote what the person wrote).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.crypto import UserKeys, user_keys
from accounts.models import User
from core import ratelimit

from .models import Job, Kind, State

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # a job whose worker is lost runs once more, then shows as failed
REPORT_EVERY = 0.5  # seconds between progress writes (a stage change is written at once)
LOST = (
    "The work was interrupted twice (the server restarted while it ran), so it was stopped. "
    "Nothing was changed. Please try again."
)
BROKEN = (
    "Something went wrong while doing this, so it was stopped. "
    "Nothing was changed. Please try again."
)


class JobGone(Exception):
    """The job's row is gone (its person deleted their account): stop, leave nothing."""


class JobFailed(Exception):
    """Recorded on the task row in place of the real error, whose message could quote user text."""


def runner_id() -> str:
    """This process, as "host:pid" (a run adds ":<start time>" to tell its runs apart)."""
    return f"{socket.gethostname()}:{os.getpid()}"


# --- Starting -------------------------------------------------------------------------

# Jobs of one person waiting or running at once, whatever their kinds: with a few
# workers in all, one person never holds every one of them.
MAX_UNFINISHED = 4
# Files made and not yet downloaded, kept per person: a newer one replaces the oldest.
MAX_KEPT_FILES = 5
TOO_MANY = (
    "You have %(count)d things being made already. Wait until one of them is ready, "
    "then ask for this one again."
)


TOO_OFTEN = (
    "That is more of these in a short time than a person asks for, so this one was paused. "
    "Nothing was changed. Wait %(wait)s and ask again."
)


def start_refused(user: User) -> str | None:
    """Why *user* may not start another job now, or None: too many of theirs unfinished,
    or their hourly budget of job starts used up (core.ratelimit, action "job").

    Views call it before job_start(), with their own per-kind checks; when it allows
    the start, it has counted it.
    """
    unfinished = Job.objects.for_user(user).unfinished().count()
    if unfinished >= MAX_UNFINISHED:
        return TOO_MANY % {"count": unfinished}
    if (wait := ratelimit.consume(user, "job")) is not None:
        return TOO_OFTEN % {"wait": ratelimit.wait_words(wait)}
    return None


def job_start(
    *,
    user: User,
    kind: Kind,
    task: Task[Any, Any],
    data: bytes | dict[str, Any] = b"",
    total: int = 0,
) -> Job:
    """Record a job for *user* with *data* sealed as its input, and queue *task* to run it.

    *data* is what the work needs from the person (a file's bytes, or a small dict of
    choices); the task gets only the job's id. The task is queued when the current
    transaction commits, so a worker never looks for a job that is not there yet.
    """
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    keys = user_keys(user)
    job = Job.objects.create(
        user=user,
        kind=kind,
        total=total,
        task_path=task.module_path,
        sealed_input=keys.cipher.encrypt(raw) if raw else b"",
    )
    transaction.on_commit(lambda: _enqueue(job.pk, task))
    return job


def _enqueue(job_id: Any, task: Task[Any, Any]) -> None:
    result = task.enqueue(str(job_id))
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))


# --- Running --------------------------------------------------------------------------


@dataclass
class Run:
    """What a job's work sees: the job, its person and their keys, and ways to report."""

    job: Job
    user: User
    keys: UserKeys
    runner: str
    _last_report: float = 0.0

    def _mine(self) -> Any:
        return Job.objects.filter(pk=self.job.pk, state=State.RUNNING, runner=self.runner)

    def still_mine(self) -> None:
        """Raise JobGone unless this run still owns the job (call inside the work's
        final transaction: the row is locked until it commits, so a job given up for
        lost and queued again cannot be written twice)."""
        if not self._mine().select_for_update().exists():
            raise JobGone(self.job.pk)

    def input(self) -> bytes:
        sealed = bytes(self.job.sealed_input)
        return self.keys.cipher.decrypt(sealed) if sealed else b""

    def input_json(self) -> Any:
        return json.loads(self.input() or b"{}")

    def report(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        """Say how far the work has got; raise JobGone if the job was deleted meanwhile.

        Written at most every REPORT_EVERY seconds unless the stage changes, and
        outside any transaction the work holds open (call it between steps).
        """
        now = time.monotonic()
        changed = stage is not None and stage != self.job.stage
        if not changed and now - self._last_report < REPORT_EVERY:
            return
        self._last_report = now
        fields: dict[str, Any] = {"done": done, "heartbeat_at": timezone.now()}
        self.job.done = done
        if total is not None:
            fields["total"] = self.job.total = total
        if stage is not None:
            fields["stage"] = self.job.stage = stage
        if not self._mine().update(**fields):
            raise JobGone(self.job.pk)

    def finish_file(
        self, data: bytes, *, name: str, content_type: str, summary: dict[str, Any] | None = None
    ) -> None:
        """End the job with a file to download, sealed under the person's key."""
        outcome = {"name": name, "content_type": content_type, "size": len(data), **(summary or {})}
        self._end(State.DONE, outcome, result=self.keys.cipher.encrypt(data))
        _keep_newest_files(self.user)

    def finish(self, summary: dict[str, Any]) -> None:
        """End the job with *summary* (counts and the like) to show on its page."""
        self._end(State.DONE, summary)

    def refuse(self, problems: list[str]) -> None:
        """End the job as failed because of what it was given: *problems* name each one."""
        self._end(State.FAILED, {"problems": problems})

    def _end(self, state: State, outcome: dict[str, Any], result: bytes = b"") -> None:
        sealed = self.keys.encrypt(json.dumps(outcome, ensure_ascii=False))
        ended = self._mine().update(
            state=state,
            stage="done" if state == State.DONE else "failed",
            done=F("total") if state == State.DONE else F("done"),
            sealed_outcome=sealed,
            sealed_result=result,
            sealed_input=b"",
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        if not ended:
            raise JobGone(self.job.pk)
        self.job.state = state


def run_job(job_id: str, work: Callable[[Run], None]) -> None:
    """Run *work* for the job *job_id* if it is still waiting; called by each job's task."""
    runner = f"{runner_id()}:{time.time_ns()}"
    claimed = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING,
        attempts=F("attempts") + 1,
        runner=runner,
        heartbeat_at=timezone.now(),
    )
    if not claimed:
        logger.info("Job %s is not waiting (done, running elsewhere or deleted); skipped.", job_id)
        return
    job = Job.objects.select_related("user").get(pk=job_id)
    started = time.monotonic()
    logger.info("Job %s (%s) started, attempt %d.", job.pk, job.kind, job.attempts)
    try:
        work(Run(job=job, user=job.user, keys=user_keys(job.user), runner=runner))
    except JobGone:
        logger.info("Job %s stopped: it was deleted with its account.", job_id)
        return
    except Exception as error:
        kind = f"{type(error).__module__}.{type(error).__qualname__}"
        logger.error("Job %s (%s) failed with %s.", job_id, job.kind, kind)
        _fail(job_id, BROKEN)
        raise JobFailed(f"Job {job_id} failed with {kind}") from None
    if job.state == State.RUNNING:  # the work returned without saying how it ended
        _fail(job_id, BROKEN)
        raise JobFailed(f"Job {job_id} ended without a result")
    seconds = time.monotonic() - started
    logger.info("Job %s (%s) %s in %.1f s.", job.pk, job.kind, job.state, seconds)


def _keep_newest_files(user: User) -> None:
    """Delete the files of *user*'s oldest ready jobs beyond MAX_KEPT_FILES."""
    ready = (
        Job.objects.filter(user=user, state=State.DONE)
        .exclude(sealed_result=b"")
        .order_by("-finished_at")
        .values_list("pk", flat=True)
    )
    older = list(ready[MAX_KEPT_FILES:])
    if older:
        Job.objects.filter(pk__in=older).update(sealed_result=b"", expired=True)


def _fail(job_id: Any, message: str) -> None:
    job = Job.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        return
    outcome = user_keys(job.user).encrypt(json.dumps({"problems": [message]}))
    Job.objects.filter(pk=job_id, state__in=[State.QUEUED, State.RUNNING]).update(
        state=State.FAILED,
        stage="failed",
        sealed_outcome=outcome,
        sealed_result=b"",
        sealed_input=b"",
        finished_at=timezone.now(),
    )


# --- Lost workers ---------------------------------------------------------------------


def _runner_is_gone(runner: str) -> bool:
    """True when *runner* ("host:pid:start") was a process on this machine that has ended."""
    host, _, pid = runner.rsplit(":", 1)[0].rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover_stalled(*, now: datetime | None = None, jobs: Any = None) -> int:
    """Queue again (once) or fail every running job whose worker is lost; return how many.

    Lost: the worker's process on this machine has ended, or it has not reported for
    JOB_STALL_SECONDS (another machine, or a hung process).
    """
    now = now or timezone.now()
    silent_since = now - timedelta(seconds=settings.JOB_STALL_SECONDS)
    scope = jobs if jobs is not None else Job.objects.all()
    # Never queued: the request that started it failed to reach the queue after its commit.
    unqueued = scope.filter(state=State.QUEUED, task_id="", created_at__lt=silent_since)
    recovered = 0
    for job in unqueued.only("pk", "task_path"):
        logger.warning("Job %s was never queued; queued now.", job.pk)
        _enqueue(job.pk, import_string(job.task_path))
        recovered += 1
    candidates = scope.filter(state=State.RUNNING)
    for job in candidates.only("pk", "runner", "heartbeat_at", "attempts", "task_path", "task_id"):
        stale = job.heartbeat_at is None or job.heartbeat_at < silent_since
        if not (stale or _runner_is_gone(job.runner)):
            continue
        _forget_task(job.task_id)
        if job.attempts >= MAX_ATTEMPTS:
            logger.warning("Job %s lost its worker again; marked failed.", job.pk)
            _fail(job.pk, LOST)
            recovered += 1
            continue
        # Only if it is still the same run: a worker that comes back meanwhile wins.
        requeued = Job.objects.filter(
            Q(heartbeat_at=job.heartbeat_at) | Q(heartbeat_at__isnull=True),
            pk=job.pk,
            state=State.RUNNING,
            runner=job.runner,
        ).update(state=State.QUEUED, stage="retrying", done=0, runner="", heartbeat_at=None)
        if requeued:
            logger.warning("Job %s lost its worker; queued again.", job.pk)
            transaction.on_commit(functools.partial(_enqueue, job.pk, import_string(job.task_path)))
            recovered += 1
    return recovered


def _forget_task(task_id: str) -> None:
    """Mark a lost job's task row failed, so it does not show as running for ever."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="jobs.services.JobFailed",
        traceback="The worker running this task was lost.",
    )


# --- Results --------------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    data: bytes
    name: str
    content_type: str


def outcome(job: Job) -> dict[str, Any]:
    """The job's sealed outcome, opened: counts, a file's name, or the problems found."""
    if not job.sealed_outcome:
        return {}
    opened: dict[str, Any] = json.loads(user_keys(job.user).decrypt(job.sealed_outcome))
    return opened


def result_expired(job: Job, *, now: datetime | None = None) -> bool:
    """Whether *job* finished longer ago than JOB_RESULT_HOURS (its file is no longer kept)."""
    now = now or timezone.now()
    limit = timedelta(hours=settings.JOB_RESULT_HOURS)
    return job.finished_at is not None and job.finished_at < now - limit


def result_forget_expired(job: Job) -> bool:
    """Delete *job*'s file now if its time is up (housekeeping would, on its next run);
    return whether there was one to delete. The file itself is never read."""
    if not result_expired(job):
        return False
    waiting = Job.objects.filter(pk=job.pk).exclude(sealed_result=b"")
    if not waiting.update(sealed_result=b"", expired=True):
        return False
    job.expired = True
    return True


def result_waiting(job: Job) -> bool:
    """Whether *job*'s file waits for its download (deleted first if its time is up)."""
    result_forget_expired(job)
    return Job.objects.filter(pk=job.pk).exclude(sealed_result=b"").exists()


def result_take(job: Job) -> Download | None:
    """Open the job's file for its one download, and delete it from the server."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().filter(pk=job.pk, state=State.DONE).first()
        if locked is None or not locked.sealed_result or result_expired(locked):
            return None
        data = user_keys(job.user).cipher.decrypt(bytes(locked.sealed_result))
        Job.objects.filter(pk=job.pk).update(sealed_result=b"", downloaded=True)
    about = outcome(job)
    return Download(data=data, name=about["name"], content_type=about["content_type"])


def jobs_prune(*, now: datetime | None = None) -> int:
    """Delete jobs finished more than JOB_RESULT_HOURS ago, with their results; return how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.JOB_RESULT_HOURS)
    deleted, _ = Job.objects.filter(finished_at__lt=cutoff).delete()
    return deleted


def jobs_erase(user: User) -> None:
    """Delete every job of *user*: inputs, results and outcomes go with the rows."""
    Job.objects.filter(user=user).delete()
