from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse


def test_home_says_who_it_is_for_and_links_the_three_parts(client):
    html = client.get("/").text
    assert "partner won't try couples therapy" in html
    assert 'href="/guides/"' in html
    assert "Six guides" in html
    assert "A private journal" in html
    assert "Boundary plans" in html


@pytest.mark.parametrize("path", ["/", "/guides/", "/accounts/login/", "/sources/", "/nope/"])
def test_every_footer_links_the_safety_page(client, path):
    assert 'href="/safety/"' in client.get(path).text


@pytest.mark.parametrize("path", ["/", "/guides/", "/accounts/signup/", "/safety/", "/nope/"])
def test_every_page_starts_with_the_quick_exit_link(client, path):
    html = client.get(path).text
    exit_link = html.index('href="/exit/"')
    assert exit_link < html.index("<header")
    assert 'rel="noreferrer" data-quick-exit' in html


def test_safety_page_explains_and_lists_the_configured_lines(client, settings):
    html = client.get("/safety/").text
    assert "coercive control" in html.lower()
    assert "0808 2000 247" in html
    assert "1-800-799-7233" in html
    assert "Local services differ" in html
    assert "private" in html.lower() and "incognito" in html.lower()

    settings.SAFETY_LINES = [
        {"region": "Ireland", "name": "Women's Aid", "detail": "24 hours", "phone": "1800 341 900",
         "url": "https://www.womensaid.ie/"},
    ]  # fmt: skip
    html = client.get("/safety/").text
    assert "Women&#x27;s Aid" in html and "1800 341 900" in html
    assert "0808 2000 247" not in html


def test_quick_exit_signs_out_and_leaves_for_the_neutral_site(signed_in, settings):
    settings.QUICK_EXIT_URL = "https://weather.example/"
    response = signed_in.get("/exit/")
    assert response.status_code == 302
    assert response.headers["Location"] == "https://weather.example/"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "_auth_user_id" not in signed_in.session
    assert signed_in.get("/accounts/email/").status_code == 302  # signed out


def test_quick_exit_works_for_anonymous_visitors_too(client):
    assert client.get("/exit/").status_code == 302


def test_unknown_page_is_the_sites_404_with_links_to_the_guides(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.text
    assert 'href="/guides/understand-the-resistance/"' in response.text


def test_server_error_page_is_in_the_sites_design(client):
    client.raise_request_exception = False
    with mock.patch("config.views.site_content", side_effect=RuntimeError("boom")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert 'href="/safety/"' in response.text


def test_a_rejected_form_gets_the_sites_403(client):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post("/accounts/login/", {"login": "a@b.org", "password": "x"})
    assert response.status_code == 403
    assert "That isn't something we can do" in response.text


def test_healthz_reports_the_database_without_details(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok\n"
    with mock.patch("config.views.connection.cursor", side_effect=DatabaseError("secret dsn")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "secret" not in response.text


def test_private_pages_send_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("guides:planner-list"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/?next=")
