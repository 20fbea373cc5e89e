"""The safety check in a browser: answered the way a person does, or, for tests about the
pages behind it, marked as answered on the server the way the check's answer marks it."""

import time
from importlib import import_module

from django.conf import settings

from core.safety_gate import SAFETY_CHECKED
from guides import safety_check as gate


def answer_safety_check(page, yes_to: str | None = None) -> None:
    """Answer every question "No", or "Yes" to the one whose text starts with *yes_to*."""
    for question in gate.QUESTIONS:
        text = str(question.text)
        choice = "Yes" if yes_to and text.startswith(yes_to) else "No"
        page.get_by_role("group", name=text).get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Go on").click()
    page.wait_for_load_state()


def mark_safety_checked(page) -> None:
    """Mark the sitting of *page*'s browser (signed in, so it has a session) as checked,
    without a page load: test_plans and test_safety_check meet the check for real."""
    name = settings.SESSION_COOKIE_NAME
    key = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == name)
    session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    session[SAFETY_CHECKED] = int(time.time())
    session.save()
