"""A job: one piece of long work a person asked for, run by the worker, shown on a progress page.

The queue itself is django.tasks on the database (django_tasks_db's DBTaskResult
rows). A Job is what the person sees and owns: what kind of work it is, how far it
has got (done of total, and a stage named in fixed words), and how it ended. The
task's only argument is the job's id; what the work needs from the person (an
uploaded file, the title of an export) and what it makes (a PDF, a zip, a summary)
are sealed under their own data key in ``sealed_input``, ``sealed_result`` and
``sealed_outcome``, so the task table and the logs never hold a word they wrote.

Deleting the person deletes their jobs (on_delete=CASCADE): a running job notices at
its next progress report and stops, and its transaction leaves nothing behind.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from accounts.fields import SealedTextField
from core.ownership import OwnedQuerySet


class Kind(models.TextChoices):
    JOURNAL_IMPORT = "journal-import", "Importing journal entries"
    JOURNAL_EXPORT = "journal-export", "Making a journal export"
    ARCHIVE = "archive", "Packing all your data"
    PLAN_PDF = "plan-pdf", "Making a PDF"


class State(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Working"
    DONE = "done", "Ready"
    FAILED = "failed", "Could not finish"


class JobQuerySet(OwnedQuerySet["Job"]):
    def unfinished(self) -> JobQuerySet:
        return self.filter(state__in=[State.QUEUED, State.RUNNING])


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind)
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    # A code from jobs.stages.STAGES: fixed words, never text from the person.
    stage = models.CharField(max_length=20, default="waiting")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # The dotted path of the django.tasks task that runs it, to run it again after a lost worker.
    task_path = models.CharField(max_length=200)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Who is running it: "host:pid" of the worker process, and when it last reported.
    runner = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Sealed under the person's data key (accounts.sealing), as bytes (Fernet tokens).
    sealed_input = models.BinaryField(default=b"")
    sealed_result = models.BinaryField(default=b"")
    # JSON: the result's file name and type, or an import's counts, or the problems found.
    sealed_outcome = SealedTextField(blank=True)
    downloaded = models.BooleanField(default=False)
    # The file was deleted unread: its 24 hours were up, or newer files replaced it.
    expired = models.BooleanField(default=False)

    objects = JobQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["state", "heartbeat_at"]),
            models.Index(fields=["user", "kind", "state"]),
            models.Index(fields=["finished_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (State.DONE, State.FAILED)
