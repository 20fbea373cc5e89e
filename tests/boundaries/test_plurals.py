"""Counts of boundaries read right for one and for several (ngettext / blocktranslate count)."""

import datetime

import pytest

from tests.factories import BoundaryContentFactory, PlanFactory


@pytest.mark.parametrize(
    ("due", "said"),
    [
        (1, "One boundary is due for review. Read it again: is it still protecting"),
        (2, "2 boundaries are due for review. Read them again: are they still protecting"),
    ],
)
def test_the_plan_page_counts_the_boundaries_due_for_review(signed_in, user, due, said):
    last_week = datetime.date.today() - datetime.timedelta(days=7)
    boundaries = [BoundaryContentFactory(review_on=last_week) for _ in range(due)]
    plan = PlanFactory(user=user, boundaries=[*boundaries, BoundaryContentFactory()])
    page = signed_in.get(f"/plans/{plan.pk}/").text
    assert said in " ".join(page.replace("</strong>", "").replace("<strong>", "").split())
