"""A plan's reminder follows its review dates: when the plan is saved, it is worked out again.

Boundary plans know nothing of reminders (reminders sit on a floor above them), so
reminders listen: every change to a plan saves its row (boundaries.services), and
once that transaction commits, the plan's reminder is rescheduled from the dates
as they now are. (The send reads them again when it is due, in any case.)
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from boundaries.models import Plan

from . import services


@receiver(post_save, sender=Plan, dispatch_uid="reminders.plan_saved")
def plan_saved(sender: type[Plan], instance: Plan, created: bool, **kwargs: Any) -> None:
    if created:
        return
    transaction.on_commit(functools.partial(services.plan_changed, instance.pk))
