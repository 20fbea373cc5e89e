import os
import time

import pytest

from .factories import PASSWORD, UserFactory

# Playwright's sync API runs an event loop; Django then refuses ORM calls from the
# test thread unless told this is safe. Tests only: never set in settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Tests whose verdict depends on wall-clock time, on ratios of timings, or on several
# processes racing: `make test` runs them in a second pass, one at a time, after the
# parallel (pytest-xdist) pass, so a busy neighbour worker cannot make them flaky.
SERIAL = (
    "tests/accounts/test_signup_timing.py",
    "tests/reliability/",
    "tests/journal/test_import_budget.py",  # budgets of 1 s for work of 0.2-0.4 s
    "tests/security/test_pdf_budget.py",  # render time limits, forked children
    # a 60-page render against the PDF time limit
    "tests/boundaries/test_pdf.py::test_a_plan_at_every_limit_still_prints_within",
)
# Not here on purpose: the fuzz suites and import bombs allow 2-3 s for answers that
# take hundredths, which holds with a neighbour worker on the other core.


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(SERIAL):  # node ids are relative to the project root
            item.add_marker(pytest.mark.serial)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def signed_in(client, user):
    """A test client signed in as *user*."""
    client.force_login(user)
    return client


def answer_safety_check(client) -> None:
    """Mark *client*'s sitting as having answered the safety check, as the check's own
    answer does (core.safety_gate), so partner-facing steps, the planner and the boundary
    plan builder open."""
    from core.safety_gate import SAFETY_CHECKED

    session = client.session
    session[SAFETY_CHECKED] = int(time.time())
    session.save()


@pytest.fixture
def safety_checked(client, db):
    """A test client that has answered the safety check in this sitting, so partner-facing
    steps, the planner and the plan builder open (with `signed_in`: the same client).
    tests/guides/test_safety_check.py covers the check itself."""
    answer_safety_check(client)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters, cached sessions and pages served from memory: start clean."""
    from django.core.cache import cache

    from core import pagecache

    cache.clear()
    pagecache.clear()
    yield
    cache.clear()
    pagecache.clear()
