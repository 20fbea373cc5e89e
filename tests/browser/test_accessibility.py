"""axe-core on every page a visitor or a signed-in user can reach, in light and dark mode."""

import pytest
from django.core import mail

from guides.content import site_content
from tests.factories import ConversationPlanFactory, SelfCheckFactory

from .axe import assert_accessible
from .safety import answer_safety_check

# Axe on pages, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = pytest.mark.any_engine

PUBLIC = [
    "/",
    "/safety/",
    "/sources/",
    "/for-your-partner/",
    "/guides/",
    "/guides/search/",
    "/guides/search/?q=boundary",
    "/guides/search/?q=xylophone",
    "/guides/reevaluate/print/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/confirm-email/not-a-key/",
    "/no-such-page/",
]
SIGNED_IN = [
    "/",
    "/accounts/",
    "/accounts/export/",
    "/accounts/delete/",
    "/guides/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/sessions/",
    "/conversation-planner/",
    "/conversation-planner/new/",
    "/self-check/",
]


def test_every_public_page_passes_axe(page):
    for path in PUBLIC:
        page.goto(path)
        assert_accessible(page)


def test_every_guide_and_step_page_passes_axe(page):
    # The check stands in front of partner-facing steps once per sitting (test_safety_check).
    page.goto(next(step for step in site_content().steps if step.safety_check).get_absolute_url())
    answer_safety_check(page)
    for guide in site_content().guides:
        page.goto(guide.get_absolute_url())
        assert_accessible(page, dark_too=False)
        for step in guide.steps:
            page.goto(step.get_absolute_url())
            assert_accessible(page, dark_too=False)
    page.goto(site_content().guides[0].steps[0].get_absolute_url())
    assert_accessible(page)  # dark mode, once per template


def test_every_signed_in_page_passes_axe(page, user, sign_in):
    sign_in(user)
    page.goto("/conversation-planner/")  # the check, once in the sitting: the planner behind it
    answer_safety_check(page)
    for path in SIGNED_IN:
        page.goto(path)
        assert_accessible(page)
    plan = ConversationPlanFactory(user=user, feeling="hopeful", what_happened="We talked.")
    first = SelfCheckFactory(user=user, answers={"same-issues-return": 3})
    second = SelfCheckFactory(user=user, answers={"same-issues-return": 4})
    for path in [
        f"/conversation-planner/{plan.pk}/",
        f"/conversation-planner/{plan.pk}/print/",
        f"/conversation-planner/{plan.pk}/delete/",
        f"/self-check/{first.pk}/",
        f"/self-check/compare/?a={first.pk}&b={second.pk}",
        f"/self-check/{first.pk}/delete/",
    ]:
        page.goto(path)
        assert_accessible(page)


def test_the_sign_in_and_sign_up_forms_showing_errors_pass_axe(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign In").click()
    assert_accessible(page)
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password (again)").fill("other")
    page.locator("form.stack-form").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Sign Up").click()
    assert_accessible(page)
    assert not mail.outbox
