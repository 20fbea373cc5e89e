"""The "Remind me" box the self-check, plan and guide pages include.

Those apps know nothing of reminders (reminders sit above them), so their templates
load this tag: ``{% load reminder_tags %}{% remind_me "guide" guide.slug %}``. The
box posts to the reminders page, which sets the reminder and shows it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from reminders import schedule
from reminders.forms import ReminderForm
from reminders.models import Kind, Reminder
from reminders.selectors import PlanChoice

register = template.Library()


@register.inclusion_tag("reminders/_remind_me.html", takes_context=True)
def remind_me(context: template.Context, kind: str, target: Any = "") -> dict[str, Any]:
    """A small form to ask for a *kind* reminder about *target* (a plan's id, a guide's
    slug; for a plan, the Plan with its boundaries), or a line saying there is one
    already; nothing for signed-out readers. One query: the reminder, if any."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or kind not in Kind.values:
        return {"show": False}
    lookup: dict[str, Any] = {}
    plans: list[PlanChoice] = []
    next_review = None
    if kind == Kind.PLAN_REVIEW:
        # The plan itself: its boundaries are read already on its page (prefetched).
        plan, target = target, target.pk
        lookup = {"plan_id": target}
        today = schedule.local_date(timezone.now(), schedule.zone(user.time_zone))
        dates = [boundary.review_on for boundary in plan.boundaries.all() if boundary.review_on]
        next_review = min((day for day in dates if day >= today), default=None)
        plans = [PlanChoice(plan_id=target, title="", next_review=next_review)]
    elif kind == Kind.GUIDE:
        lookup = {"guide_slug": target}
    existing = Reminder.objects.for_user(user).filter(kind=kind, **lookup).first()
    return {
        "show": True,
        "kind": kind,
        "target": str(target),
        "existing": existing,
        "next_review": next_review,
        "form": ReminderForm(kind=kind, plans=plans),
        "csrf_token": context.get("csrf_token"),
    }
