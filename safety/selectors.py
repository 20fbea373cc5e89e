"""Reads of the safety plan: its sealed text opened as typed values, and the pages' data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.sealing import UserKeys, open_sealed
from core.ownership import get_owned_or_404
from core.versions import CompareRow

from .models import PlanContent, PlanVersion, SafetyPlan
from .sections import SECTIONS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

# --- Readers: a row's sealed text as a typed value (the owner's keys open it) ---------


def plan_content(plan: SafetyPlan, keys: UserKeys) -> PlanContent:
    return PlanContent.from_json(open_sealed(keys, plan.sealed))


def version_content(version: PlanVersion, keys: UserKeys) -> PlanContent:
    return PlanContent.from_json(open_sealed(keys, version.sealed))


# --- Pages ------------------------------------------------------------------------------


def plan_of(user: User | AnonymousUser, *, versions: bool = False) -> SafetyPlan | None:
    """*user*'s plan (one query, one more for its version list), or None."""
    if not user.is_authenticated:
        return None
    plans = SafetyPlan.objects.for_user(user)
    if versions:
        plans = plans.prefetch_related(
            Prefetch("versions", queryset=PlanVersion.objects.defer("sealed"))
        )
    plan = plans.first()
    if plan is not None:
        plan.user = user  # the owner, checked by the query: opening it costs no query
    return plan


def version_for_user(user: User, pk: object) -> PlanVersion:
    """*user*'s version *pk* with its plan, or Http404 (someone else's included)."""
    version = get_owned_or_404(PlanVersion.objects.select_related("plan"), user, pk=pk)
    version.plan.user = user
    return version


def version_by_number(plan: SafetyPlan, number: int) -> PlanVersion:
    return get_object_or_404(plan.versions, number=number)


def compare_rows(
    before: PlanContent, after: PlanContent, *, region_label: str = ""
) -> list[CompareRow]:
    """Line two versions up field by field, under each section's heading."""
    rows: list[CompareRow] = []
    for section in SECTIONS:
        rows.append(CompareRow(section.title, "", "", heading=True))
        if section.slug == "services":
            rows.append(CompareRow(region_label or _("Where I live"), before.region, after.region))
        for field in section.fields:
            rows.append(CompareRow(field.label, before.text(field.name), after.text(field.name)))
    return rows
