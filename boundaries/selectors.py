"""Reads of boundary plans that need a user or more than one model."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.ownership import get_owned_or_404

from .labels import FIELD_LABELS
from .models import Boundary, Plan, PlanContent, PlanVersion, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def plans_for_list(user: User | AnonymousUser) -> QuerySet[Plan]:
    """Return *user*'s plans with their boundary counts, newest first (one query)."""
    counts = {
        f"count_{status}": Count("boundaries", filter=Q(boundaries__status=status))
        for status in Status.values
    }
    # Django leaves Meta.ordering out of a query with GROUP BY, so the order is spelled out;
    # without it the database returns the plans in whatever order it finds them.
    return (
        Plan.objects.for_user(user)
        .annotate(boundary_count=Count("boundaries"), **counts)
        .order_by("-updated_at", "-created_at")
    )


def plan_for_user(
    user: User, pk: int | str, *, boundaries: bool = False, versions: bool = False
) -> Plan:
    """Return *user*'s plan *pk*, with its boundaries or version list if asked, or raise Http404.

    One query, and one more for each of *boundaries* and *versions*.
    """
    plans = Plan.objects.all()
    if boundaries:
        plans = plans.prefetch_related("boundaries")
    if versions:
        plans = plans.prefetch_related(
            Prefetch("versions", queryset=PlanVersion.objects.defer("snapshot"))
        )
    return get_owned_or_404(plans, user, pk=pk)


def due_for_review(
    user: User | AnonymousUser, *, today: datetime.date | None = None, limit: int | None = None
) -> list[Boundary]:
    """Return *user*'s boundaries whose review date has come, oldest first, with their plan.

    One query; none at all for anonymous visitors.
    """
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    found = (
        Boundary.objects.filter(plan__user=user, review_on__lte=today)
        .select_related("plan")
        .order_by("review_on", "plan_id", "position")
    )
    return list(found[:limit] if limit else found)


def version_for_plan(plan: Plan, number: int) -> PlanVersion:
    return get_object_or_404(plan.versions, number=number)


@dataclass(frozen=True)
class CompareRow:
    label: str | Promise  # lazily translated
    before: str
    after: str
    heading: bool = False

    @property
    def changed(self) -> bool:
        return not self.heading and self.before != self.after


_BOUNDARY_ROWS = tuple(FIELD_LABELS.items())


def _shown(name: str, value: Any) -> str:
    if name == "status":
        return str(Status(value).label) if value in Status.values else str(value)
    if name == "review_on":
        return value.strftime("%-d %B %Y") if value else ""
    text: str = value  # every other field holds text
    return text


def compare_rows(before: PlanContent, after: PlanContent) -> list[CompareRow]:
    """Line two versions up field by field; boundaries are matched by position."""
    rows = [
        CompareRow(_("Title"), before.title, after.title),
        CompareRow(_("Why this plan matters to me"), before.why, after.why),
    ]
    count = max(len(before.boundaries), len(after.boundaries))
    for index in range(count):
        old = before.boundaries[index] if index < len(before.boundaries) else None
        new = after.boundaries[index] if index < len(after.boundaries) else None
        rows.append(
            CompareRow(_("Boundary %(number)d") % {"number": index + 1}, "", "", heading=True)
        )
        for name, label in _BOUNDARY_ROWS:
            rows.append(
                CompareRow(
                    label,
                    _shown(name, getattr(old, name)) if old else "",
                    _shown(name, getattr(new, name)) if new else "",
                )
            )
    return rows


def only_changes(rows: list[CompareRow]) -> list[CompareRow]:
    """Keep the changed rows, with the heading of each boundary that has any."""
    kept: list[CompareRow] = []
    heading = None
    for row in rows:
        if row.heading:
            heading = row
        elif row.changed:
            if heading is not None:
                kept.append(heading)
                heading = None
            kept.append(row)
    return kept
