"""A form posted after the session ended: signed out, nothing saved, the words shown back.

core/signed_out.py and SessionExpiryMiddleware; the redirect a GET gets is in
test_session_expiry.py, the same page in Chromium in tests/browser/test_signed_out_keeps.py.
"""

import html
import logging
import re

import pytest
from django.apps import apps
from django.test import Client

from core import signed_out
from core.signed_out import plain_label

from .test_session_expiry import age_session

WORDS = "Quillfeather watches the door & the car keys"


def row_counts() -> dict[str, int]:
    """Every table but the session's own (signing out ends it)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "usersessions"}
    }


@pytest.fixture
def expired(signed_in, settings):
    """A signed-in client whose last request was longer ago than the idle limit."""
    signed_in.get("/guides/")
    age_session(signed_in, activity_at=settings.SESSION_IDLE_TIMEOUT + 5)
    return signed_in


def kept_boxes(response) -> dict[str, str]:
    """Each read-only box on the page, by its label."""
    found = re.findall(
        r'<label for="(kept-\d+)">(.*?)</label>\s*'
        r'<textarea id="\1" rows="\d+" readonly>\n(.*?)</textarea>',
        response.text,
        re.S,
    )
    return {html.unescape(label): html.unescape(value) for _, label, value in found}


def assert_signed_out_and_private(client, response, before, caplog):
    assert response.status_code == 401
    assert "no-store" in response.headers["Cache-Control"]
    assert "Location" not in response.headers
    assert "_auth_user_id" not in client.session
    assert row_counts() == before
    for record in caplog.records:
        assert "Quillfeather" not in record.getMessage() + repr(record.__dict__)


def test_an_idle_journal_entry_is_shown_back_not_saved(expired, settings, caplog):
    caplog.set_level(logging.DEBUG)
    before = row_counts()
    response = expired.post(
        "/journal/new/",
        {"title": "Tuesday", "body": WORDS + "\n\nSecond line.", "tags": "home", "mood": "2",
         "version": "3", "draft": "", "csrfmiddlewaretoken": "abc123token"},
    )  # fmt: skip
    assert_signed_out_and_private(expired, response, before, caplog)
    assert "30 minutes without activity" in response.text
    assert "nothing was saved" in response.text
    assert kept_boxes(response) == {
        "Title": "Tuesday",
        "Your entry": WORDS + "\n\nSecond line.",
        "Tags": "home",
    }
    assert 'href="/accounts/login/?next=%2Fjournal%2Fnew%2F"' in response.text
    assert "Quillfeather" not in response.text.split("<main", 1)[0]  # not in the title or head


def test_an_idle_safety_plan_is_shown_back_with_its_labels(expired, caplog):
    before = row_counts()
    response = expired.post(
        "/safety/plan/",
        {"intent": "save", "region": "Wales", "warning_signs": WORDS, "code_word": "Plum",
         "paper": "a4", "sections": ["signs", "people"]},
    )  # fmt: skip
    assert_signed_out_and_private(expired, response, before, caplog)
    assert kept_boxes(response) == {"The signs I watch for": WORDS, "A code word": "Plum"}


def test_an_idle_boundary_plan_names_each_boundary(expired, caplog):
    before = row_counts()
    response = expired.post(
        "/plans/new/",
        {"title": "Evenings", "why": "", "builder": "save",
         "b-TOTAL_FORMS": "2", "b-INITIAL_FORMS": "0", "b-MIN_NUM_FORMS": "0",
         "b-MAX_NUM_FORMS": "30", "b-0-action": WORDS, "b-0-status": "drafting",
         "b-0-review_on": "2026-06-30", "b-0-ORDER": "1", "b-1-say": "I need an hour."},
    )  # fmt: skip
    assert_signed_out_and_private(expired, response, before, caplog)
    assert kept_boxes(response) == {
        "Title": "Evenings",
        "Boundary 1: The boundary: what I will do": WORDS,
        "Boundary 2: How I'll say it": "I need an hour.",
    }


def test_the_twelve_hour_limit_also_shows_the_words_back(signed_in, settings, caplog):
    signed_in.get("/guides/")
    age_session(signed_in, signed_in_at=settings.SESSION_ABSOLUTE_TIMEOUT + 5, activity_at=1)
    before = row_counts()
    response = signed_in.post("/journal/new/", {"title": "", "body": WORDS})
    assert_signed_out_and_private(signed_in, response, before, caplog)
    assert "sessions last at most 12 hours" in response.text
    assert kept_boxes(response) == {"Your entry": WORDS}


def test_a_form_posted_after_signing_out_elsewhere_is_shown_back(client, db):
    """Signed out in another tab, by the quick exit, or by a script's request that met the
    time limit first (site.js's keepalive): the form's own post has no session to end."""
    response = client.post("/journal/new/", {"body": WORDS})
    assert response.status_code == 401
    assert "You are no longer signed in" in response.text
    assert kept_boxes(response) == {"Your entry": WORDS}


def test_the_autosave_fetch_gets_json_that_its_script_reads_as_signed_out(expired):
    before = row_counts()
    response = expired.post(
        "/journal/autosave/",
        {"body": WORDS, "draft": ""},
        headers={"Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty", "Accept": "*/*"},
    )
    assert response.status_code == 401  # static/js/journal.js: "You have been signed out …"
    assert response.json()["signed_out"] is True
    assert WORDS not in response.text
    assert "no-store" in response.headers["Cache-Control"]
    assert "_auth_user_id" not in expired.session
    assert row_counts() == before


def test_a_form_failing_the_csrf_check_is_refused_not_echoed(user, settings):
    """A page elsewhere cannot make the site show text of its choosing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/guides/")
    age_session(client, activity_at=settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.post("/journal/new/", {"body": WORDS})
    assert response.status_code == 403
    assert "Quillfeather" not in response.text


def test_what_is_cut_is_said(expired, monkeypatch):
    monkeypatch.setattr(signed_out, "MAX_CHARS", 10)
    response = expired.post("/journal/new/", {"title": "Tuesday", "body": WORDS})
    assert kept_boxes(response) == {"Title": "Tuesday", "Your entry": "Qui"}
    assert "The rest of what you sent is not shown" in response.text


def test_labels_from_names_where_an_app_gives_none():
    assert plain_label("warning_signs") == "Warning signs"
    assert plain_label("people-0-name") == "People 1: name"


def test_the_quick_exit_still_leaves_once_the_session_has_ended(expired, settings):
    for method in (expired.get, expired.post):
        response = method("/exit/")
        assert response.status_code == 302
        assert response.headers["Location"] == settings.QUICK_EXIT_URL


def test_a_cross_site_post_to_a_view_doing_its_own_csrf_check_is_not_echoed(user, settings):
    """csrf_exempt views (the journal import, RFC 8058 unsubscribe) check later or not at
    all: the words page must not answer for them, or any site could make ours show its text."""
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(
        "/journal/import/", {"body": WORDS}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 401
    assert "Quillfeather" not in response.text
    assert "The form held no text to show back." in response.text
    expired = Client(enforce_csrf_checks=True)
    expired.force_login(user)
    expired.get("/guides/")
    age_session(expired, activity_at=settings.SESSION_IDLE_TIMEOUT + 5)
    response = expired.post("/r/x/stop/", {"note": WORDS}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code != 401
    assert "Quillfeather" not in response.text


def test_a_second_factor_code_is_never_shown_back(expired):
    response = expired.post("/accounts/2fa/reauthenticate/", {"code": "123 456"})
    assert response.status_code == 401
    assert "123 456" not in response.text
