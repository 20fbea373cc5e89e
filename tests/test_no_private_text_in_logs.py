"""A whole journey with a canary in every text field: no log record, no error mail carries it.

The same check for the background worker's own output (a real `manage.py db_worker` at
debug level: jobs whose input and errors quote a canary, and each real job started
through its page) is in tests/jobs/test_worker.py and tests/jobs/test_worker_end_to_end.py.
"""

import io
import logging
import re
from unittest import mock

import pytest
from django.core import mail

from boundaries.forms import BOUNDARY_PREFIX as P
from boundaries.models import Plan
from config.reporting import PrivateFormatter
from guides.models import ConversationPlan
from journal.models import Draft, JournalEntry
from tests.tasks import finish_job

CANARY = "Zanzibarcanary"


@pytest.fixture
def every_log_line():
    """Every record any logger emits, formatted as the site's handlers format it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(PrivateFormatter("%(levelname)s %(name)s %(message)s"))
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in ("django", "django.request", "weasyprint")]
    for logger in loggers:
        logger.addHandler(handler)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_a_full_journey_leaves_the_canary_in_no_log_and_no_error_mail(
    client, db, settings, every_log_line, django_capture_on_commit_callbacks
):
    settings.ADMINS = ["admin@example.org"]
    password = f"{CANARY}-pass-9182"
    email = "journey@example.org"

    # Sign up and confirm.
    client.post("/accounts/signup/", {"email": email, "password1": password, "password2": password})
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)[1]
    client.post(link)

    # Write entries, search them, autosave a draft.
    for n in range(3):
        client.post(
            "/journal/new/",
            {
                "title": f"{CANARY} title {n}",
                "body": f"{CANARY} body {n}",
                "entry_date": f"2026-02-0{n + 1}",
                "mood": "3",
                "tags": f"{CANARY}tag",
            },
        )
    client.post("/journal/search/", {"q": CANARY, "tag": f"{CANARY}tag"})
    client.get("/journal/search/")
    client.post("/journal/autosave/", {"title": f"{CANARY} draft", "body": f"{CANARY} draft"})

    # Build a plan, a conversation plan and a self-check.
    row = {"need": f"{CANARY} need", "action": f"I will {CANARY}", "say": f"{CANARY} say",
           "if_crossed": f"{CANARY} crossed", "support": f"{CANARY} support",
           "status": "drafting", "review_on": "", "ORDER": "1"}  # fmt: skip
    plan_form = {
        "title": f"{CANARY} plan",
        "why": f"{CANARY} why",
        "builder": "save",
        f"{P}-TOTAL_FORMS": "1",
        f"{P}-INITIAL_FORMS": "0",
        f"{P}-MIN_NUM_FORMS": "0",
        f"{P}-MAX_NUM_FORMS": "30",
        **{f"{P}-0-{key}": value for key, value in row.items()},
    }
    client.post("/plans/new/", plan_form)
    client.post("/conversation-planner/new/", {"feeling": f"{CANARY} feeling"})
    client.post("/self-check/", {"note": f"{CANARY} note"})
    client.get("/guides/search/", {"q": CANARY})

    # The journey really happened.
    assert JournalEntry.objects.count() == 3
    assert Plan.objects.count() == ConversationPlan.objects.count() == 1
    assert Draft.objects.count() == 1

    # Export, after signing in again.
    client.post("/accounts/reauthenticate/", {"password": password})
    # The worker's log lines too: the archive is made by its task (yourdata.tasks).
    assert finish_job(client, client.post("/accounts/export/")).status_code == 200

    # Force a server error in a journal view, with the canary in the exception too.
    client.raise_request_exception = False
    with mock.patch("journal.services.entry_create", side_effect=RuntimeError(f"boom {CANARY}")):
        response = client.post(
            "/journal/new/",
            {"title": f"{CANARY} crash", "body": f"{CANARY} crash body", "entry_date": "2026-02-09",
             "tags": ""},
        )  # fmt: skip
    assert response.status_code == 500

    error_mails = [m for m in mail.outbox if "admin@example.org" in m.to]
    assert error_mails, "the forced error should have been mailed to the admins"
    for message in mail.outbox:
        parts = [message.subject, message.body] + [
            str(a[0]) for a in getattr(message, "alternatives", [])
        ]
        assert CANARY not in "".join(parts), message.subject
    logged = every_log_line.getvalue()
    assert "Internal Server Error: /journal/new/" in logged
    assert CANARY not in logged
