"""Writes to boundary plans. Every write that changes a plan keeps a version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_noop

from accounts.sealing import UserKeys, seal, seal_json, user_keys
from core import versions

from . import pdf, tasks
from .models import TITLE_LIMIT, Boundary, Plan, PlanContent, PlanVersion
from .selectors import plan_content, version_content

if TYPE_CHECKING:
    from accounts.models import User

# Versions kept per plan; the oldest go first. The history page says so.
VERSIONS_KEPT = versions.VERSIONS_KEPT


def _seal_head(plan: Plan, content: PlanContent, keys: UserKeys) -> None:
    plan.sealed = seal_json(keys, {"title": content.title, "why": content.why})


def _write_boundaries(*, plan: Plan, content: PlanContent, keys: UserKeys) -> None:
    """Replace the plan's boundaries with *content*'s, in order.

    Replacing rather than matching rows keeps the write simple and exact; nothing
    outside the plan refers to a boundary row (versions hold their own copy).
    """
    plan.boundaries.all().delete()
    Boundary.objects.bulk_create(
        Boundary(
            plan=plan,
            position=position,
            sealed=seal_json(keys, boundary.texts()),
            status=boundary.status,
            review_on=boundary.review_on,
        )
        for position, boundary in enumerate(content.boundaries)
    )


def _keep_version(*, plan: Plan, content: PlanContent, reason: str, keys: UserKeys) -> PlanVersion:
    version = PlanVersion.objects.create(
        plan=plan,
        number=versions.next_number(plan.versions.all()),
        reason=reason,
        sealed=seal(keys, content.to_json()),
    )
    versions.prune(plan.versions.all(), kept=VERSIONS_KEPT)
    return version


def _blank_free(content: PlanContent) -> PlanContent:
    return PlanContent(
        title=content.title,
        why=content.why,
        boundaries=tuple(b for b in content.boundaries if not b.is_blank()),
    )


@transaction.atomic
def plan_create(*, user: User, content: PlanContent, reason: str = gettext_noop("Created")) -> Plan:
    """Create a plan for *user* from *content* (blank boundaries dropped) as version 1."""
    content = _blank_free(content)
    keys = user_keys(user)
    plan = Plan(user=user)
    _seal_head(plan, content, keys)
    plan.save()
    _write_boundaries(plan=plan, content=content, keys=keys)
    _keep_version(plan=plan, content=content, reason=reason, keys=keys)
    return plan


@transaction.atomic
def plan_update(
    *, plan: Plan, content: PlanContent, reason: str = gettext_noop("Edited")
) -> PlanVersion | None:
    """Save *content* into *plan*; return the new version, or None when nothing changed."""
    # Lock the plan row: two tabs saving at once queue here instead of racing
    # for the same version number.
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    content = _blank_free(content)
    keys = user_keys(plan.user)
    latest = locked.versions.order_by("-number").first()
    if latest is not None and version_content(latest, keys) == content:
        return None
    _seal_head(locked, content, keys)
    locked.save()
    _write_boundaries(plan=locked, content=content, keys=keys)
    plan.sealed, plan.updated_at = locked.sealed, locked.updated_at
    return _keep_version(plan=locked, content=content, reason=reason, keys=keys)


def plan_restore_version(*, plan: Plan, version: PlanVersion) -> PlanVersion | None:
    """Make *plan* exactly what *version* holds; the restore is itself a new version."""
    return plan_update(
        plan=plan,
        content=version_content(version, user_keys(plan.user)),
        reason=versions.restored_reason(version.number),
    )


def plan_duplicate(*, plan: Plan) -> Plan:
    """Copy *plan* (its current content) into a new plan of the same owner."""
    content = plan_content(plan, user_keys(plan.user))
    title = f"Copy of {content.title}"[:TITLE_LIMIT]
    copy = PlanContent(title=title, why=content.why, boundaries=content.boundaries)
    return plan_create(
        user=plan.user, content=copy, reason=gettext_noop("Copied from another plan")
    )


def plan_delete(*, plan: Plan) -> None:
    """Delete *plan* with its boundaries and versions, and forget its cached PDF and
    any PDF of it waiting to be downloaded (boundaries.tasks)."""
    pdf.forget(plan)
    tasks.plan_pdfs_forget(user=plan.user, plan=plan)
    plan.delete()
