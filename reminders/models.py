"""Reminders a person asked for: the self-check again, a plan's review, a guide to finish.

A reminder says *what* it is about only by pointing: the self-check (there is one),
a boundary plan by its id (the plan's review date is read from the plan whenever it
is needed, never copied here), or a guide by its slug. It keeps no text of the
person's. It reaches them one of two ways: an email the worker sends at the right
time (``next_due`` is when, in UTC), or a calendar file they download once, which
needs no email at all (``next_due`` stays empty).

Turning a reminder off deletes its row; deleting the account deletes them all
(CASCADE, and reminders.personal_data.erase). A send already queued for a row that
is gone finds nothing and sends nothing (reminders.services.reminder_send_if_due).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.ownership import OwnedQuerySet


class Kind(models.TextChoices):
    SELF_CHECK = "self-check", _("Take the self-check again")
    PLAN_REVIEW = "plan-review", _("Review a boundary plan")
    GUIDE = "guide", _("Come back to a guide")


class Way(models.TextChoices):
    EMAIL = "email", _("By email")
    CALENDAR = "calendar", _("In my own calendar (a file to download, no email)")


# How often the self-check comes round, and how soon to come back to a guide (weeks).
SELF_CHECK_WEEKS = (2, 4, 8)
GUIDE_WEEKS = (1, 2, 4)
# The hours a reminder may come at, local time: whole hours in the day, none in the
# small hours when most time zones change their clocks.
HOURS = tuple(range(6, 23))
DEFAULT_AT = datetime.time(9, 0)


class ReminderQuerySet(OwnedQuerySet["Reminder"]):
    def by_email(self) -> ReminderQuerySet:
        return self.filter(way=Way.EMAIL)


class Reminder(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind)
    # What it points at: a plan (PLAN_REVIEW) or a guide's slug (GUIDE); nothing for the
    # self-check. A deleted plan takes its reminder with it.
    plan = models.ForeignKey(
        "boundaries.Plan", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guide_slug = models.SlugField(max_length=100, blank=True)
    way = models.CharField(max_length=10, choices=Way)
    # SELF_CHECK: every this many weeks; GUIDE: in this many weeks; PLAN_REVIEW: unused (0).
    weeks = models.PositiveSmallIntegerField(default=0)
    # The local time of day it comes at, in the person's time zone (User.time_zone).
    at = models.TimeField(default=DEFAULT_AT)
    # SELF_CHECK: the local date of the first time; GUIDE: the local date. PLAN_REVIEW:
    # empty (the plan's boundaries hold their review dates).
    starts_on = models.DateField(null=True, blank=True)
    # When the person last set or changed it: nothing before this is owed to them.
    changed_at = models.DateTimeField()
    # When the worker should send the next email (UTC); empty for calendar reminders and
    # when nothing is ahead (a plan with no review date to come, a guide reminder sent).
    next_due = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    # Sends that failed in a row (the mail server refused); retried a few times.
    failures = models.PositiveSmallIntegerField(default=0)
    # Goes up at every change: the calendar file's SEQUENCE, so a calendar app that
    # already has the event replaces it with the new one.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["next_due"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(kind="self-check"),
                name="one_self_check_reminder",
            ),
            models.UniqueConstraint(
                fields=["user", "plan"],
                condition=models.Q(kind="plan-review"),
                name="one_reminder_per_plan",
            ),
            models.UniqueConstraint(
                fields=["user", "guide_slug"],
                condition=models.Q(kind="guide"),
                name="one_reminder_per_guide",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.pk} ({self.kind}, {self.way})"

    @property
    def by_email(self) -> bool:
        return self.way == Way.EMAIL
