"""Every list of the site has an explicit order: random ids must never decide it."""

import datetime

import pytest
from django.utils import timezone

from boundaries.models import Plan
from boundaries.selectors import plan_for_user, plans_with_counts
from guides.models import ConversationPlan, SelfCheck
from tests.factories import PlanFactory


def _age(model, pk, *, days):
    moment = timezone.now() - datetime.timedelta(days=days)
    model.objects.filter(pk=pk).update(updated_at=moment, created_at=moment)


def test_plans_are_listed_newest_first(signed_in, user):
    titles = [f"Plan made {days} days ago" for days in (3, 1, 5, 2, 4)]
    for days, title in zip((3, 1, 5, 2, 4), titles, strict=True):
        _age(Plan, PlanFactory(user=user, title=title, boundaries=1).pk, days=days)
    html = signed_in.get("/plans/").text
    positions = [html.index(f"Plan made {days} days ago") for days in (1, 2, 3, 4, 5)]
    assert positions == sorted(positions)


def test_the_plan_list_query_orders_even_with_its_counts(user):
    # Django drops Meta.ordering from queries with GROUP BY, so the counts need their own.
    assert "ORDER BY" in str(plans_with_counts(user).query)


@pytest.mark.parametrize(
    "queryset",
    [
        lambda user: plans_with_counts(user),
        lambda user: Plan.objects.for_user(user),
        lambda user: plan_for_user(user, PlanFactory(user=user).pk, versions=True).versions.all(),
        lambda user: plan_for_user(user, PlanFactory(user=user).pk).boundaries.all(),
        lambda user: ConversationPlan.objects.for_user(user),
        lambda user: SelfCheck.objects.for_user(user),
    ],
    ids=["plan list", "plans", "versions", "boundaries", "conversation plans", "self-checks"],
)
def test_every_list_query_is_ordered(user, queryset):
    query = queryset(user)
    assert query.ordered
    assert "ORDER BY" in str(query.query)
