"""Public pages served from memory, observed through responses only.

Whether a response was rendered or served from memory shows in Django's test
signal `template_rendered`, sent for every template a view renders.
"""

import re

import pytest
from django.test import Client
from django.test.signals import template_rendered

STEP = "/guides/understand-the-resistance/not-about-you/"
STEP_DONE = STEP + "done/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def nonce_of(response):
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]


@pytest.fixture
def renders():
    """Count the templates rendered while the test runs."""
    seen = []

    def record(sender, template, **kwargs):
        seen.append(template.name)

    template_rendered.connect(record)
    yield seen
    template_rendered.disconnect(record)


def test_a_public_page_is_rendered_once_then_served_from_memory(client, renders):
    client.get(STEP)
    rendered_first = len(renders)
    again = Client().get(STEP)
    assert rendered_first > 0
    assert len(renders) == rendered_first
    assert again.status_code == 200 and "Mark as done" in again.text


def test_every_response_from_memory_carries_its_own_nonce(renders):
    first, second = Client().get(STEP), Client().get(STEP)
    assert nonce_of(first) != nonce_of(second)
    for response in (first, second):
        nonces = set(re.findall(r'nonce="([^"]*)"', response.text))
        assert nonces == {nonce_of(response)}


def test_a_visitor_served_from_memory_can_submit_the_pages_form(db):
    """Each visitor gets a CSRF token and cookie of their own, not the first visitor's."""
    Client(enforce_csrf_checks=True).get(STEP)  # renders and keeps the page
    second = Client(enforce_csrf_checks=True)
    page = second.get(STEP)
    token = TOKEN.search(page.text)[1]
    assert "csrftoken" in page.cookies
    response = second.post(STEP_DONE, {"csrfmiddlewaretoken": token, "done": "1"})
    assert response.status_code == 302


def test_two_visitors_from_memory_get_different_csrf_tokens():
    first, second = Client().get(STEP), Client().get(STEP)
    assert TOKEN.search(first.text)[1] != TOKEN.search(second.text)[1]
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_visitors_with_a_session_get_a_fresh_render(signed_in, renders):
    signed_in.get(STEP)
    rendered_first = len(renders)
    html = signed_in.get(STEP).text
    assert "Sign out" in html
    assert len(renders) == 2 * rendered_first


def test_anonymous_visitors_never_see_a_signed_in_page(signed_in):
    signed_in.get(STEP)
    assert "Sign out" not in Client().get(STEP).text


def test_a_message_waiting_in_the_session_is_shown_not_a_page_from_memory(db, client):
    Client().get(STEP)  # the page as any visitor sees it is now in memory
    client.post(STEP_DONE, {"done": "1"})  # signed out: a message, then sign in
    assert "will be marked as done" in client.get(STEP).text


def test_query_strings_are_never_served_from_memory(renders):
    Client().get(STEP + "?from=search")
    rendered_first = len(renders)
    Client().get(STEP + "?from=search")
    assert len(renders) == 2 * rendered_first
