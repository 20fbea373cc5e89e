"""manage.py housekeeping (config/management/commands/housekeeping.py), run in this process."""

from __future__ import annotations

import logging
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config.management.commands import housekeeping
from jobs.models import Job, Kind, State
from journal.models import JournalEntry
from reminders.models import DEFAULT_AT, Way
from reminders.models import Kind as ReminderKind
from reminders.services import reminder_set
from tests.factories import DraftFactory, JournalEntryFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@task()
def nothing() -> None:
    """A task that does nothing, to leave finished rows in the queue."""


def run_housekeeping() -> str:
    out = StringIO()
    call_command("housekeeping", stdout=out)
    return out.getvalue()


def test_housekeeping_deletes_what_has_expired_and_keeps_the_rest(user):
    now = timezone.now()
    long_ago = now - timedelta(days=31)
    # Task rows: two finished (one two days ago, one just now), one still waiting.
    old, recent = nothing.enqueue(), nothing.enqueue()
    assert run_tasks() == 2
    DBTaskResult.objects.filter(id=old.id).update(finished_at=now - timedelta(days=2))
    waiting = nothing.enqueue()
    DBTaskResult.objects.filter(id=waiting.id).update(enqueued_at=long_ago)
    # Jobs: finished a day and a bit ago, finished just now, and one whose worker went
    # silent (it never reported).
    Job.objects.bulk_create([
        Job(user=user, kind=Kind.ARCHIVE, state=State.DONE, finished_at=now - timedelta(hours=25)),
        Job(user=user, kind=Kind.ARCHIVE, state=State.DONE, finished_at=now),
    ])  # fmt: skip
    silent = Job.objects.create(
        user=user,
        kind=Kind.ARCHIVE,
        state=State.RUNNING,
        attempts=1,
        runner="elsewhere:1:1",
        task_path=f"{__name__}.nothing",
    )
    # The journal's trash and drafts, and sessions.
    trashed, kept = JournalEntryFactory(user=user), JournalEntryFactory(user=user)
    JournalEntry.objects.filter(pk=trashed.pk).update(deleted_at=long_ago)
    JournalEntry.objects.filter(pk=kept.pk).update(deleted_at=now)
    draft = DraftFactory(user=user)
    type(draft).objects.filter(pk=draft.pk).update(updated_at=long_ago)
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now - timedelta(1))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=now + timedelta(1))
    # A reminder email due yesterday whose queued send was lost.
    reminder_set(
        user=user, kind=ReminderKind.SELF_CHECK, way=Way.EMAIL, at=DEFAULT_AT, weeks=2,
        now=now - timedelta(days=15),
    )  # fmt: skip

    said = run_housekeeping()

    assert said.splitlines() == [
        "1 lost jobs queued again or failed",
        "1 reminder emails sent that were missed",
        "1 finished jobs and their results deleted",
        "1 finished task rows deleted",
        "1 journal entries deleted from the trash",
        "1 stale journal drafts deleted",
        "1 expired sessions deleted",
        "0 temporary render folders removed",
    ]
    left = {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}
    assert {recent.id, waiting.id} <= left
    assert old.id not in left
    silent.refresh_from_db()
    assert (silent.state, silent.stage) == (State.QUEUED, "retrying")
    assert Job.objects.filter(state=State.DONE).count() == 1
    assert list(JournalEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not type(draft).objects.exists()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_a_failing_step_stops_no_other_and_the_command_fails_without_its_message(caplog):
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=timezone.now())
    steps = list(housekeeping.STEPS)
    steps[0] = (steps[0][0], mock.Mock(side_effect=ValueError("row text Quetzalcanary")))
    with (
        mock.patch.object(housekeeping, "STEPS", steps),
        caplog.at_level(logging.INFO),
        pytest.raises(CommandError, match="lost jobs queued again or failed"),
    ):
        call_command("housekeeping", stdout=StringIO())
    assert not Session.objects.exists()  # a later step still ran
    assert "failed with ValueError" in caplog.text
    assert "Quetzalcanary" not in caplog.text
