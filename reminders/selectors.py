"""What the reminders page shows: each reminder in words, and what can be reminded of."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.sealing import user_keys
from boundaries.models import Boundary, Plan
from boundaries.selectors import plan_title
from guides.content import Guide, site_content
from guides.selectors import done_step_keys

from . import schedule
from .models import Kind, Reminder

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class PlanChoice:
    plan_id: uuid.UUID
    title: str
    next_review: datetime.date | None


@dataclass(frozen=True)
class Shown:
    """One reminder on the page: the row, what it is about in words, when it comes next."""

    reminder: Reminder
    about: str
    next_time: datetime.datetime | None


def review_dates_by_plan(plan_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[datetime.date]]:
    """Every review date of each plan in *plan_ids* (one query)."""
    found: dict[uuid.UUID, list[datetime.date]] = {}
    rows = Boundary.objects.filter(plan_id__in=plan_ids, review_on__isnull=False)
    for plan_id, day in rows.values_list("plan_id", "review_on"):
        if day:
            found.setdefault(plan_id, []).append(day)
    return found


def plan_choices(user: User, *, today: datetime.date) -> list[PlanChoice]:
    """*user*'s plans, newest first, with their titles and next review date (two queries)."""
    keys = user_keys(user)
    plans = list(Plan.objects.for_user(user).order_by("-updated_at").only("id", "sealed"))
    dates = review_dates_by_plan([plan.pk for plan in plans])
    return [
        PlanChoice(
            plan_id=plan.pk,
            title=plan_title(plan, keys),
            next_review=min((d for d in dates.get(plan.pk, []) if d >= today), default=None),
        )
        for plan in plans
    ]


def guides_started(user: User) -> list[Guide]:
    """The guides *user* has begun and not finished (some steps done, not all)."""
    done = done_step_keys(user)
    started = []
    for guide in site_content().guides:
        count = sum(1 for step in guide.steps if step.key in done)
        if 0 < count < len(guide.steps):
            started.append(guide)
    return started


def shown_reminders(
    user: User, plans: list[PlanChoice], *, now: datetime.datetime | None = None
) -> list[Shown]:
    """*user*'s reminders in words, in the order they were set."""
    from .calendar import first_time

    now = now or timezone.now()
    titles = {choice.plan_id: choice.title for choice in plans}
    content = site_content()
    shown = []
    for reminder in Reminder.objects.for_user(user):
        reminder.user = user
        if reminder.kind == Kind.PLAN_REVIEW:
            about = titles.get(reminder.plan_id, "") if reminder.plan_id else ""
        elif reminder.kind == Kind.GUIDE:
            guide = content.guide(reminder.guide_slug)
            about = guide.title if guide else reminder.guide_slug
        else:
            about = ""
        if reminder.by_email:
            next_time = reminder.next_due
        else:
            start = first_time(reminder, now)
            if start and reminder.kind == Kind.SELF_CHECK and start <= now:
                start = schedule.repeating_after(
                    starts_on=reminder.starts_on or start.date(),
                    weeks=reminder.weeks,
                    at=reminder.at,
                    tz=schedule.zone(user.time_zone),
                    after=now,
                )
            next_time = start if start and start > now else None
        shown.append(Shown(reminder=reminder, about=about, next_time=next_time))
    return shown
