"""A form sent after the session ended, in Chromium: signed out, and the words still on screen.

The real submit matters here: Chromium sends it with "Origin: null" (Referrer-Policy:
no-referrer) and Sec-Fetch-Mode: navigate, which decide between this page and the JSON a
script gets (tests/accounts/test_signed_out_keeps.py covers the rest).
"""

import time
from importlib import import_module
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

from core.middleware import SessionExpiryMiddleware
from safety.models import SafetyPlan

WORDS = "Quillfeather watches the door\nand the car keys"


def end_session_by_idling(page) -> None:
    """Set the session's last activity back past the idle limit, as half an hour away would."""
    key = next(
        c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
    )
    session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    session[SessionExpiryMiddleware.ACTIVITY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()


def test_a_safety_plan_saved_after_the_idle_limit_shows_its_words_back(page, user, sign_in):
    sign_in(user)
    page.goto("/safety/plan/")
    page.get_by_label("The signs I watch for").fill(WORDS)
    end_session_by_idling(page)
    page.get_by_role("button", name="Save my plan").click()

    page.get_by_role("heading", name="You were signed out, so nothing was saved").wait_for()
    assert "30 minutes without activity" in page.locator("main").inner_text()
    kept = page.get_by_label("The signs I watch for")
    assert kept.input_value() == WORDS
    assert not kept.is_editable()
    address = urlsplit(page.url)
    assert (address.path, address.query) == ("/safety/plan/", "")  # the words are in no address
    assert not SafetyPlan.objects.exists()

    page.get_by_role("link", name="Sign in and go back to the form").first.click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/login/")
    assert parse_qs(urlsplit(page.url).query) == {"next": ["/safety/plan/"]}
