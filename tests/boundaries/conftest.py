import pytest

from tests.factories import PlanFactory


@pytest.fixture
def plan(user):
    """A plan of *user* with three boundaries, saved once (version 1)."""
    return PlanFactory(user=user)


@pytest.fixture
def others_plan(other_user):
    return PlanFactory(user=other_user)
