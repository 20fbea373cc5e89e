"""Read what a test wrote the way the site does: opened with the owner's own keys."""

from accounts.sealing import user_keys
from boundaries import selectors as plan_selectors
from boundaries.models import Boundary, Plan, PlanContent, PlanVersion
from guides import selectors as guide_selectors
from guides.models import ConversationPlan, ConversationPlanContent, SelfCheck, SelfCheckContent


def plan_content(plan: Plan) -> PlanContent:
    return plan_selectors.plan_content(plan, user_keys(plan.user))


def version_content(version: PlanVersion) -> PlanContent:
    return plan_selectors.version_content(version, user_keys(version.plan.user))


def boundary_action(boundary: Boundary) -> str:
    return plan_selectors.boundary_content(boundary, user_keys(boundary.plan.user)).action


def conversation_plan_content(plan: ConversationPlan) -> ConversationPlanContent:
    return guide_selectors.conversation_plan_content(plan, user_keys(plan.user))


def self_check_content(check: SelfCheck) -> SelfCheckContent:
    return guide_selectors.self_check_content(check, user_keys(check.user))
