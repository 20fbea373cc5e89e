"""Writes to what a person keeps in the guides' tools: sealed with their own data key."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from accounts.sealing import seal_json, user_keys

from .models import ConversationPlan, ConversationPlanContent, SelfCheck, SelfCheckContent


def conversation_plan_save(
    *, user: User, plan: ConversationPlan | None, content: ConversationPlanContent
) -> ConversationPlan:
    """Save *content* into *plan* (a new plan of *user* when None) and return the plan."""
    if plan is None:
        plan = ConversationPlan(user=user)
    plan.sealed = seal_json(user_keys(user), content.to_dict())
    plan.save()
    return plan


@transaction.atomic
def self_check_create(*, user: User, content: SelfCheckContent) -> SelfCheck:
    sealed = seal_json(user_keys(user), {"answers": dict(content.answers), "note": content.note})
    return SelfCheck.objects.create(user=user, sealed=sealed)
