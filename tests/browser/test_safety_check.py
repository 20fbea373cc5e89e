"""The safety check in Chromium on a phone-sized screen (390 px), under the site's production
headers (Referrer-Policy: no-referrer makes Chromium post forms with "Origin: null"), with
JavaScript and without it. tests/guides/test_safety_check.py covers every step and way in.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from guides.content import site_content

from .axe import assert_accessible
from .safety import answer_safety_check

PHONE = {"width": 390, "height": 844}


def guide_and_step():
    guide = next(guide for guide in site_content().guides if guide.safety_check)
    return guide, guide.steps[0]


@pytest.fixture(params=[True, False], ids=["with-js", "without-js"])
def phone(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=request.param
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    bad: list[str] = []

    def on_response(response):
        if response.request.resource_type != "document":
            return
        if response.status == 403 or response.status >= 500:
            bad.append(f"{response.status} {response.request.method} {response.url}")
        if "answer" in urlsplit(response.url).query:
            bad.append(f"an answer in the address: {response.url}")
        if response.headers.get("referrer-policy") != "no-referrer":
            bad.append(f"not the production Referrer-Policy: {response.url}")

    page.on("response", on_response)
    yield page, request.param
    context.close()
    assert bad == []


def test_the_check_comes_first_and_each_answer_leads_on(phone):
    page, javascript = phone
    guide, step = guide_and_step()
    page.goto(guide.get_absolute_url())
    page.get_by_role("link", name="Start with step 1").click()
    page.get_by_role("heading", name="A few questions first").wait_for()
    assert urlsplit(page.url).path == step.get_absolute_url()
    assert page.title().startswith(step.title)  # the history holds the step, not the check
    if javascript:
        assert_accessible(page, dark_too=False)

    answer_safety_check(page, yes_to="Has your partner ever hit")
    assert urlsplit(page.url).path == reverse("guides:reading-choices")
    page.get_by_role("heading", name="Your safety comes first").wait_for()
    if javascript:
        assert_accessible(page, dark_too=False)
    page.get_by_role("link", name="Go on to the page you chose").click()
    page.get_by_role("heading", name=step.title, level=1).wait_for()

    # Checked in this sitting: the next partner-facing page opens straight away.
    page.goto(guide.steps[1].get_absolute_url())
    page.get_by_role("heading", name=guide.steps[1].title, level=1).wait_for()

    # A new sitting, and "no" to everything goes straight on to the page asked for.
    page.context.clear_cookies()
    page.goto(guide.steps[2].get_absolute_url())
    answer_safety_check(page)
    assert urlsplit(page.url).path == guide.steps[2].get_absolute_url()
    page.get_by_role("heading", name=guide.steps[2].title, level=1).wait_for()
