"""Forms whose answers are private say autocomplete="off" (a user-at-risk review of issue
15): otherwise a browser keeps what was ticked or typed with the page's history entry and
shows it again on Back, and keeps typed lines to suggest in other forms, to whoever uses
the device next. The safety check and the safety plan have their own tests; forms that are
not private (sign-in, reminders, discreet mode) keep the browser's help."""

import re

import pytest

PRIVATE_FORMS = [
    ("/self-check/", "self-check-form"),  # how the relationship is going, ticked
    ("/conversation-planner/new/", "planner-form"),  # what to say to the partner
    ("/journal/", "journal-search"),  # words searched for in one's own entries
    ("/journal/new/", "entry-form"),
    ("/journal/tried/", "try-form"),
    ("/plans/new/", "builder"),  # boundaries, often about control or fear
]


@pytest.mark.parametrize(("url", "form_class"), PRIVATE_FORMS)
def test_a_private_form_tells_the_browser_not_to_keep_its_answers(
    signed_in, safety_checked, url, form_class
):
    html = signed_in.get(url).text
    [form] = re.findall(rf'<form\b[^>]*class="{form_class}\b[^>]*>', html)
    assert 'autocomplete="off"' in form, form
