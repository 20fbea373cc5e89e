"""The safety check's answers stay out of the browser's history.

A browser keeps the state of a page's form with its history entry and puts it back when
the page is opened again from the history, even a no-store page fetched anew. The check is
shown at the address of the step asked for, so in a later sitting (the session gone or
idle) Back to that address showed the check again with the last person's answers ticked.
"""

import pytest

from guides.content import site_content

# What the browser refills on Back, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = pytest.mark.any_engine


def test_back_to_the_check_in_a_new_sitting_shows_no_answer(page):
    step = next(guide for guide in site_content().guides if guide.safety_check).steps[0]
    page.goto(step.get_absolute_url())
    for index, group in enumerate(page.locator("fieldset.question").all()):
        group.get_by_label("Yes" if index == 2 else "No", exact=True).check()
    page.get_by_role("button", name="Go on").click()
    page.wait_for_url("**/guides/reading-choices/**")
    page.context.clear_cookies()  # a new sitting: the check is shown again at that address
    page.go_back()
    page.get_by_role("heading", name="A few questions first").wait_for()
    assert page.locator("input[type=radio]:checked").count() == 0
