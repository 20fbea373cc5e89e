"""Writes to the safety plan. Every save that changes it keeps a version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from accounts.sealing import seal, user_keys
from core import versions
from core.versions import CREATED, EDITED

from .models import PlanContent, PlanVersion, SafetyPlan
from .selectors import version_content

if TYPE_CHECKING:
    from accounts.models import User


def _locked_plan(user: User) -> SafetyPlan | None:
    return SafetyPlan.objects.select_for_update().filter(user=user).first()


def _create(user: User, sealed: str) -> SafetyPlan | None:
    """A new plan for *user*, or None when another tab made theirs a moment ago."""
    try:
        with transaction.atomic():  # a savepoint: the unique user may already be taken
            return SafetyPlan.objects.create(user=user, sealed=sealed)
    except IntegrityError:
        return None


@transaction.atomic
def plan_save(*, user: User, content: PlanContent, reason: str = EDITED) -> PlanVersion | None:
    """Save *content* as *user*'s plan; return the new version, or None when nothing changed.

    The plan row is locked: two tabs saving at once queue here instead of racing for
    the same version number. The first save makes the plan, as version 1 ("Created").
    """
    keys = user_keys(user)
    sealed = seal(keys, content.to_json())
    plan = _locked_plan(user)
    if plan is None and (plan := _create(user, sealed)) is not None:
        reason = CREATED
    else:
        plan = plan or SafetyPlan.objects.select_for_update().get(user=user)
        latest = plan.versions.order_by("-number").first()
        if latest is not None and version_content(latest, keys) == content:
            return None
        plan.sealed = sealed
        plan.save()
    version = PlanVersion.objects.create(
        plan=plan,
        number=versions.next_number(plan.versions.all()),
        reason=reason,
        sealed=sealed,
    )
    versions.prune(plan.versions.all())
    return version


def plan_restore_version(*, version: PlanVersion) -> PlanVersion | None:
    """Make the plan exactly what *version* holds; the restore is itself a new version."""
    plan = version.plan
    return plan_save(
        user=plan.user,
        content=version_content(version, user_keys(plan.user)),
        reason=versions.restored_reason(version.number),
    )


def plan_delete(*, plan: SafetyPlan) -> None:
    """Delete the plan with every version."""
    plan.delete()
