from datetime import date
from typing import Any

import pytest

from journal.models import EntryContent
from tests.factories import JournalEntryFactory
from tests.tasks import do_job


def content(**fields) -> EntryContent:
    values: dict[str, Any] = {
        "title": "",
        "body": "A few words.",
        "entry_date": date(2026, 3, 14),
        "mood": None,
        "tags": (),
        "prompt": "",
        "step_key": "",
    }
    values.update(fields)
    values["tags"] = tuple(values["tags"])
    return EntryContent(**values)


@pytest.fixture
def write():
    """Write an entry for a user through the service, as the site does."""

    def _write(user, **fields):
        return JournalEntryFactory(user=user, **vars(content(**fields)))

    return _write


@pytest.fixture
def reauthenticated(signed_in, password):
    """The signed-in client, having just confirmed its password (as export asks)."""
    response = signed_in.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302
    return signed_in


@pytest.fixture
def still_clock():
    """Hold the write limits' clock at the start of a minute (core.ratelimit counts in
    fixed windows), so a test that counts writes never straddles two windows."""
    from unittest import mock

    with mock.patch("core.ratelimit.time.time", return_value=1_800_000_000.0) as clock:
        yield clock


def finish_job(client, response):
    """Do the job *response* started (tests.tasks.do_job); return its progress page.

    For tests about what an import or export makes; tests/journal/test_jobs.py runs the
    same jobs through the real queue with run_tasks().
    """
    return client.get(do_job(response))


def words_of(response) -> str:
    """The page's text with its white space folded, to find a sentence split over lines."""
    return " ".join(response.content.decode().split())
