"""Setting, turning off and sending reminders (reminders.models.Reminder).

How sending is scheduled: each email reminder queues its own next send, a
django.tasks task with ``run_after`` at the exact minute it is due (the task's only
argument is the reminder's id). The send that wins the reminder queues the one
after it in the same transaction as its claim, so the chain cannot break between
the two. Chosen over a periodic "send what is due" task because the time is exact
(a reminder at 09:00 comes at 09:00, not at the next tick) and nothing runs while
nothing is due. reminders_send_missed() is the safety net for a chain that did
break (a worker killed after claiming a task row, a database restored from a
backup): it sends what is overdue, and is cheap to run from housekeeping.

Why it never sends twice: a send claims the reminder with one conditional UPDATE
(compare-and-swap on ``next_due``: "move it on, if it is still what I read"). Two
workers, or a stale task queued before a change, read the same ``next_due``; only
one UPDATE matches. A reminder turned off (its row deleted), or whose account is
gone, has no row to claim, so a send already queued for it does nothing.

The log names reminder ids only: never an address, a plan's words or a guide.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from boundaries.models import Boundary, Plan
from guides.content import site_content
from guides.models import StepProgress

from . import emails, schedule
from .models import GUIDE_WEEKS, SELF_CHECK_WEEKS, Kind, Reminder, Way

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# A send the mail server refused is tried again this much later, at most this many times.
RETRY_AFTER = datetime.timedelta(minutes=15)
MAX_FAILURES = 3
# reminders_send_missed() leaves alone what is due less than this long ago: its own
# queued task is about to send it.
MISSED_AFTER = datetime.timedelta(minutes=10)


class ReminderProblem(ValueError):
    """What was asked cannot be a reminder; the message says why, for the person."""


# --- When -----------------------------------------------------------------------------


def plan_review_dates(plan_id: uuid.UUID | None) -> list[datetime.date]:
    """The review dates set on the plan's boundaries (read from the plan each time)."""
    if plan_id is None:
        return []
    rows = Boundary.objects.filter(plan_id=plan_id, review_on__isnull=False)
    return [day for day in rows.values_list("review_on", flat=True).distinct() if day]


def due_after(reminder: Reminder, after: datetime.datetime) -> datetime.datetime | None:
    """The reminder's first time strictly after *after*, in its person's time zone."""
    tz = schedule.zone(reminder.user.time_zone)
    if reminder.kind == Kind.PLAN_REVIEW:
        return schedule.first_of_dates_after(
            days=plan_review_dates(reminder.plan_id), at=reminder.at, tz=tz, after=after
        )
    if reminder.starts_on is None:
        return None
    if reminder.kind == Kind.SELF_CHECK:
        return schedule.repeating_after(
            starts_on=reminder.starts_on, weeks=reminder.weeks, at=reminder.at, tz=tz, after=after
        )
    return schedule.once_after(day=reminder.starts_on, at=reminder.at, tz=tz, after=after)


def owed_from(reminder: Reminder) -> datetime.datetime:
    """Nothing before this is owed: when it was last set, or last sent."""
    sent = reminder.last_sent_at
    return max(reminder.changed_at, sent) if sent else reminder.changed_at


def current_due(reminder: Reminder) -> datetime.datetime | None:
    """When it is due now: the first time after owed_from() (None: nothing ahead)."""
    return due_after(reminder, owed_from(reminder))


def _unqueue(reminder_id: uuid.UUID) -> None:
    """Delete the send of *reminder_id* still waiting in the queue, if any (a send
    already claimed by a worker is left to finish: its claim on next_due decides)."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import send_reminder

    DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=send_reminder.module_path,
        args_kwargs__args=[str(reminder_id)],
    ).delete()


def _enqueue(reminder_id: uuid.UUID, when: datetime.datetime) -> None:
    """Queue the send of *reminder_id* for *when*: a row in the same transaction, in
    place of the one queued before (each change would otherwise leave one waiting for
    weeks, and a person could fill the queue by changing a reminder over and over)."""
    from .tasks import send_reminder

    _unqueue(reminder_id)
    send_reminder.using(run_after=when).enqueue(str(reminder_id))


# --- Setting and turning off -----------------------------------------------------------


def guide_is_finished(user: User, slug: str) -> bool:
    guide = site_content().guide(slug)
    if guide is None:
        return True  # a guide that is gone cannot be come back to
    done = set(StepProgress.objects.for_user(user).values_list("step_key", flat=True))
    return all(step.key in done for step in guide.steps)


@transaction.atomic
def reminder_set(
    *,
    user: User,
    kind: Kind,
    way: Way,
    at: datetime.time,
    weeks: int = 0,
    plan: Plan | None = None,
    guide_slug: str = "",
    now: datetime.datetime | None = None,
) -> Reminder:
    """Turn on (or change) *user*'s reminder about one thing; return it.

    One reminder per thing: asking again about the same self-check, plan or guide
    changes the one there is (same id, so a calendar file downloaded again replaces
    the event it made). An email reminder is queued for its first time.
    """
    now = now or timezone.now()
    if kind == Kind.SELF_CHECK and weeks not in SELF_CHECK_WEEKS:
        raise ReminderProblem("weeks")
    if kind == Kind.GUIDE and weeks not in GUIDE_WEEKS:
        raise ReminderProblem("weeks")
    if kind == Kind.PLAN_REVIEW:
        if plan is None or plan.user_id != user.pk:
            raise ReminderProblem("plan")
        weeks = 0
    if kind == Kind.GUIDE and site_content().guide(guide_slug) is None:
        raise ReminderProblem("guide")
    lookup: dict[str, Any] = {}
    if kind == Kind.PLAN_REVIEW:
        lookup = {"plan": plan}
    elif kind == Kind.GUIDE:
        lookup = {"guide_slug": guide_slug}
    reminder = (
        Reminder.objects.select_for_update().filter(user=user, kind=kind, **lookup).first()
    ) or Reminder(user=user, kind=kind, **lookup)
    reminder.user = user  # the same object: its time zone is read below
    today = schedule.local_date(now, schedule.zone(user.time_zone))
    reminder.way = way
    reminder.at = at
    reminder.weeks = weeks
    reminder.starts_on = today + datetime.timedelta(weeks=weeks) if weeks else None
    reminder.changed_at = now
    reminder.failures = 0
    reminder.revision += 1
    reminder.next_due = current_due(reminder) if way == Way.EMAIL else None
    reminder.save()
    if reminder.next_due:
        _enqueue(reminder.pk, reminder.next_due)
    logger.info("Reminder %s set (%s, %s).", reminder.pk, reminder.kind, reminder.way)
    return reminder


def reminder_off(*, reminder: Reminder) -> None:
    """Turn *reminder* off: its row goes, and a send already queued finds nothing."""
    reminder_id = reminder.pk
    with transaction.atomic():
        Reminder.objects.filter(pk=reminder_id).delete()
        _unqueue(reminder_id)
    logger.info("Reminder %s turned off.", reminder_id)


@transaction.atomic
def reminders_erase(user: User) -> None:
    """Delete *user*'s reminders and the sends they have waiting in the queue."""
    for reminder_id in list(Reminder.objects.filter(user=user).values_list("pk", flat=True)):
        _unqueue(reminder_id)
    Reminder.objects.filter(user=user).delete()


@transaction.atomic
def reminders_follow(reminders: list[Reminder]) -> int:
    """Work out again when each email reminder is due (the person's time zone changed,
    or a plan's review dates did), and queue those that moved; return how many moved."""
    moved = 0
    for reminder in reminders:
        if not reminder.by_email:
            continue
        due = current_due(reminder)
        if due == reminder.next_due:
            continue
        if Reminder.objects.filter(pk=reminder.pk, next_due=reminder.next_due).update(next_due=due):
            moved += 1
            if due:
                _enqueue(reminder.pk, due)
    return moved


def time_zone_set(*, user: User, name: str) -> None:
    """Keep *name* as *user*'s time zone and move their email reminders to match."""
    if name not in schedule.zone_names():
        raise ReminderProblem("time_zone")
    if user.time_zone == name:
        return
    user.time_zone = name
    user.save(update_fields=["time_zone"])
    reminders_follow(list(Reminder.objects.for_user(user).by_email().select_related("user")))


def plan_changed(plan_id: uuid.UUID) -> None:
    """A plan was saved: its reminder follows its review dates (reminders.signals)."""
    reminders_follow(
        list(Reminder.objects.filter(plan_id=plan_id).by_email().select_related("user"))
    )


# --- Sending --------------------------------------------------------------------------


def reminder_send_if_due(*, reminder_id: uuid.UUID, now: datetime.datetime | None = None) -> bool:
    """Send the reminder's email if it is due and nobody sent it yet; return whether sent.

    The worker's task calls this at the time it was queued for; calling it at any
    other time, or twice, or from two workers at once, sends at most once per due time.
    """
    now = now or timezone.now()
    with transaction.atomic():
        reminder = Reminder.objects.select_related("user").filter(pk=reminder_id).first()
        if reminder is None:
            logger.info("Reminder %s is off or its account is gone; nothing sent.", reminder_id)
            return False
        read = reminder.next_due
        if not reminder.by_email or read is None or read > now:
            logger.info("Reminder %s is not due; nothing sent.", reminder_id)
            return False
        claim = Reminder.objects.filter(pk=reminder.pk, next_due=read)
        # Read the plan's review dates (or the guide's progress) now, as they are.
        due = current_due(reminder)
        if due is None or due > now:
            if claim.update(next_due=due) and due:
                _enqueue(reminder.pk, due)
            logger.info("Reminder %s moved with what it points at; nothing sent.", reminder_id)
            return False
        if reminder.kind == Kind.GUIDE and guide_is_finished(reminder.user, reminder.guide_slug):
            claim.update(next_due=None)
            logger.info("Reminder %s no longer needed; nothing sent.", reminder_id)
            return False
        following = due_after(reminder, now)
        if not claim.update(next_due=following, last_sent_at=now):
            logger.info("Reminder %s was sent by another worker.", reminder_id)
            return False
        if following:
            _enqueue(reminder.pk, following)
    try:
        emails.reminder_message(reminder).send()
    except Exception as error:  # the mail server: try again a little later
        _send_failed(reminder, read_before=reminder.last_sent_at, sent_at=now, following=following)
        logger.warning("Reminder %s could not be sent (%s).", reminder_id, type(error).__name__)
        return False
    if reminder.failures:
        Reminder.objects.filter(pk=reminder.pk).update(failures=0)
    logger.info("Reminder %s sent.", reminder_id)
    return True


def _send_failed(
    reminder: Reminder,
    *,
    read_before: datetime.datetime | None,
    sent_at: datetime.datetime,
    following: datetime.datetime | None,
) -> None:
    """Give the claim back so a retry sends it, unless it failed too often already."""
    failures = reminder.failures + 1
    with transaction.atomic():
        ours = Reminder.objects.filter(pk=reminder.pk, next_due=following, last_sent_at=sent_at)
        if failures >= MAX_FAILURES:
            ours.update(failures=0)
            return
        retry = sent_at + RETRY_AFTER
        if ours.update(next_due=retry, last_sent_at=read_before, failures=failures):
            _enqueue(reminder.pk, retry)


def reminders_send_missed(*, now: datetime.datetime | None = None) -> int:
    """Send every email reminder overdue by MISSED_AFTER (its queued send was lost);
    return how many were sent. Safe beside the worker: each send claims its reminder."""
    now = now or timezone.now()
    overdue = Reminder.objects.filter(
        Q(next_due__lte=now - MISSED_AFTER), way=Way.EMAIL
    ).values_list("pk", flat=True)
    return sum(reminder_send_if_due(reminder_id=pk, now=now) for pk in list(overdue[:500]))
