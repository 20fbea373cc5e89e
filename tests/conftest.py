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


# The longest tests (each 20-200 s on the 2 cores, measured 2026-12-06), started first in
# the parallel pass: pytest-randomly shuffles the order, and one of these drawn last kept
# one core busy for minutes while the other had nothing left to do.
LONGEST = (
    "tests/browser/test_xss.py",
    "tests/browser/test_every_form.py",
    "tests/browser/test_crawl.py",
    "tests/jobs/test_worker_end_to_end.py",
    "tests/jobs/test_worker.py",
    "tests/core/test_temp_folders.py",
    "tests/browser/test_accessibility.py",
    "tests/safety/test_at_rest.py",
    "tests/journal/test_encryption.py",
    "tests/test_production_settings.py",
)


def _database_group(item) -> int:
    """pytest-django's order: tests in a transaction, then transactional ones (a live
    server), then those without the database. Kept, since a transactional test's flush
    must not run before tests that expect what migrations wrote."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or (
        "transactional_db" in fixtures or "live_server" in fixtures
    ):
        return 1
    return 0 if marker or "db" in fixtures else 2


# CI runs the suite twice: on SQLite (`make test`'s default), then on PostgreSQL with
# --second-engine. The second pass leaves out the tests marked `any_engine`: what they
# assert cannot change with the engine. They look at what the browser makes of a page (the
# crawl's headers and axe, the escaping and the CSP, layout, focus), or need no database
# (a render's temporary folders, which text is marked for translation). Some write on the
# way (an entry, a draft, a job): those writes are asserted on PostgreSQL by the unmarked
# suites. Every test whose assertions are about writing, reading back, workers or
# subprocesses on DATABASE_URL's database runs on both (tests/test_second_engine.py).
def pytest_addoption(parser):
    parser.addoption(
        "--second-engine",
        action="store_true",
        help="a second pass on another database engine: leave out the tests marked any_engine",
    )


def pytest_itemcollected(item):
    # Marked as each test is collected: `-m serial` selects before any reordering below.
    if item.nodeid.startswith(SERIAL):  # node ids are relative to the project root
        item.add_marker(pytest.mark.serial)


@pytest.hookimpl(trylast=True)  # after pytest-randomly's shuffle and pytest-django's grouping
def pytest_collection_modifyitems(config, items):
    if config.getoption("second_engine"):
        kept, left_out = [], []
        for item in items:
            (left_out if item.get_closest_marker("any_engine") else kept).append(item)
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = kept
    items.sort(key=lambda item: (_database_group(item), not item.nodeid.startswith(LONGEST)))


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
