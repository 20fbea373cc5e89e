from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.sealing import UserKeys, open_sealed_json

from .content import Guide, SiteContent, Step
from .models import (
    ConversationPlan,
    ConversationPlanContent,
    SelfCheck,
    SelfCheckContent,
    StepProgress,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def conversation_plan_content(plan: ConversationPlan, keys: UserKeys) -> ConversationPlanContent:
    """What *plan*'s owner wrote in it, opened with their *keys*."""
    return ConversationPlanContent.from_dict(open_sealed_json(keys, plan.sealed))


def self_check_content(check: SelfCheck, keys: UserKeys) -> SelfCheckContent:
    """*check*'s answers and note, opened with its owner's *keys*."""
    data = open_sealed_json(keys, check.sealed)
    answers = {str(key): int(value) for key, value in data.get("answers", {}).items()}
    return SelfCheckContent(answers=answers, note=str(data.get("note", "")))


def done_step_keys(user: User | AnonymousUser) -> set[str]:
    """Return the 'guide/step' keys *user* has marked done (one query; none if anonymous)."""
    if not user.is_authenticated:
        return set()
    return set(StepProgress.objects.for_user(user).values_list("step_key", flat=True))


def continue_step(user: User | AnonymousUser, content: SiteContent) -> tuple[Guide, Step] | None:
    """Return the step to pick up from: the first one not done after the latest one done.

    Reading a step is not recorded (that would mean a write per page view); marking
    a step done is, so "where you left off" is the step after your latest mark.
    """
    if not user.is_authenticated:
        return None
    rows = list(
        StepProgress.objects.for_user(user)
        .order_by("-completed_at")
        .values_list("step_key", flat=True)
    )
    if not rows:
        return None
    done = set(rows)
    keys = [step.key for step in content.steps]
    latest = next((key for key in rows if key in content.step_keys), None)
    if latest is None:
        return None
    start = keys.index(latest)
    for key in keys[start + 1 :] + keys[:start]:
        if key not in done:
            guide_slug, step_slug = key.split("/")
            guide = content.guide(guide_slug)
            step = guide.step(step_slug) if guide else None
            if guide and step:  # always: the key comes from content.steps
                return guide, step
    return None
