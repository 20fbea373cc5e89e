"""Reads of boundary plans that need a user or more than one model."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.sealing import UserKeys, open_sealed, open_sealed_json, user_keys
from core.ownership import get_owned_or_404
from core.versions import CompareRow

from .labels import FIELD_LABELS
from .models import Boundary, BoundaryContent, Plan, PlanContent, PlanVersion, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

# --- Readers: a row's sealed text as a typed value (the owner's keys open it) ---------


def plan_title(plan: Plan, keys: UserKeys) -> str:
    return str(open_sealed_json(keys, plan.sealed)["title"])


def boundary_content(boundary: Boundary, keys: UserKeys) -> BoundaryContent:
    """The boundary as plain values: its sealed text with its status and review date."""
    texts = open_sealed_json(keys, boundary.sealed)
    return BoundaryContent(
        **{name: texts.get(name, "") for name in BoundaryContent.TEXT_FIELDS},
        status=boundary.status,
        review_on=boundary.review_on,
    )


def plan_content(plan: Plan, keys: UserKeys) -> PlanContent:
    """The plan as plain values; reads plan.boundaries (prefetch it to save a query)."""
    head = open_sealed_json(keys, plan.sealed)
    return PlanContent(
        title=head["title"],
        why=head.get("why", ""),
        boundaries=tuple(boundary_content(b, keys) for b in plan.boundaries.all()),
    )


def version_content(version: PlanVersion, keys: UserKeys) -> PlanContent:
    return PlanContent.from_json(open_sealed(keys, version.sealed))


# --- Pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListedPlan:
    """A plan on the list page: the row (counts, dates, URL) and its opened title."""

    plan: Plan
    title: str


def plans_with_counts(user: User) -> QuerySet[Plan]:
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


def plans_for_list(user: User | AnonymousUser) -> list[ListedPlan]:
    """Return *user*'s plans_with_counts with their titles opened (one query)."""
    if not user.is_authenticated:
        return []
    keys = user_keys(user)
    return [ListedPlan(plan=plan, title=plan_title(plan, keys)) for plan in plans_with_counts(user)]


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
            Prefetch("versions", queryset=PlanVersion.objects.defer("sealed"))
        )
    plan = get_owned_or_404(plans, user, pk=pk)
    plan.user = user  # the owner, checked by the query: opening it costs no query
    return plan


@dataclass(frozen=True)
class DueBoundary:
    """A boundary whose review date has come, with the words that name it."""

    boundary: Boundary
    action: str
    plan_title: str


def due_for_review(
    user: User | AnonymousUser, *, today: datetime.date | None = None, limit: int | None = None
) -> list[DueBoundary]:
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
    keys = user_keys(user)
    return [
        DueBoundary(
            boundary=boundary,
            action=boundary_content(boundary, keys).action,
            plan_title=plan_title(boundary.plan, keys),
        )
        for boundary in (found[:limit] if limit else found)
    ]


def version_for_plan(plan: Plan, number: int) -> PlanVersion:
    return get_object_or_404(plan.versions, number=number)


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
