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
    assert "116 123" in html  # Samaritans (the US hotline's number is not on a stored copy
    # of its own page, so the list points to its website: pages/data/crisis_lines.yaml)
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
    with mock.patch("pages.views.site_content", side_effect=RuntimeError("boom")):
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
    with mock.patch("pages.views.connection.cursor", side_effect=DatabaseError("secret dsn")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "secret" not in response.text


def test_private_pages_send_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("guides:planner-list"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/?next=")


# --- Under `make run` (config.settings.local, DEBUG on) ----------------------------------

LOCAL_RUN = r"""
import json, sys
from unittest import mock
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1:8000", raise_request_exception=False)
missing = client.get("/guides/no-such-guide-or-page/x/y/")
not_found_in_view = client.get("/guides/no-such-guide/")
with mock.patch("pages.views.site_content", side_effect=RuntimeError("boom")):
    broken = client.get("/safety/")
print(json.dumps({
    "debug": settings.DEBUG,
    "mailer": settings.MAILERS["default"]["BACKEND"],
    "missing": [missing.status_code, missing.content.decode()],
    "not_found_in_view": [not_found_in_view.status_code, not_found_in_view.content.decode()],
    "broken": [broken.status_code, broken.content.decode()],
}))
"""


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """Pages of the development server's settings, from a process of their own."""
    import json
    import os
    import subprocess
    import sys

    from cryptography.fernet import Fernet
    from django.conf import settings

    folder = tmp_path_factory.mktemp("local")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_SECRET_KEY": "local-run-test-secret-key-0123456789-abcdefghijklmnop",
        "DATA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", LOCAL_RUN],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1]), done.stderr


@pytest.mark.parametrize("case", ["missing", "not_found_in_view"])
def test_make_run_shows_the_sites_404_page_not_djangos_url_list(local_run, case):
    result, _terminal = local_run
    assert result["debug"] is True
    status, html = result[case]
    assert status == 404
    assert "We can&#x27;t find that page" in html or "We can't find that page" in html
    assert 'href="/exit/"' in html  # the quick exit
    assert "URLconf" not in html and "Django tried these URL patterns" not in html
    assert "Raised by" not in html


def test_make_run_shows_the_sites_500_page_and_keeps_the_traceback_in_the_terminal(local_run):
    result, terminal = local_run
    status, html = result["broken"]
    assert status == 500
    assert "Something went wrong on our side" in html
    assert 'href="/exit/"' in html
    assert "Traceback" not in html and "RuntimeError" not in html
    assert "Traceback (most recent call last)" in terminal
    assert "RuntimeError" in terminal
    assert "boom" not in terminal  # the message may quote private data: withheld


def test_make_run_prints_emails_with_the_dev_console_backend(local_run):
    result, _terminal = local_run
    assert result["mailer"] == "config.development.ConsoleEmailBackend"


# --- Emails printed by `make run` ---------------------------------------------------------


@pytest.fixture
def dev_console(settings, capsys):
    """The development email backend, printing to this test's captured stdout."""
    settings.MAILERS = {"default": {"BACKEND": "config.development.ConsoleEmailBackend"}}
    return capsys


def test_a_printed_email_has_each_link_whole_and_reads_as_plain_text(dev_console):
    from django.core.mail import EmailMultiAlternatives

    link = "http://127.0.0.1:8000/accounts/confirm-email/" + "Mw:1vABCD:" + "x" * 90 + "/"
    message = EmailMultiAlternatives(
        "Common Ground: confirm your address \u2013 it\u2019s quick",
        f"Hello, it\u2019s us.\n\nConfirm here:\n{link}\n",
        "Common Ground <no-reply@localhost>",
        ["reader@example.org"],
    )
    message.attach_alternative(f'<p>Confirm <a href="{link}">here</a></p>', "text/html")
    message.send()
    printed = dev_console.readouterr().out
    assert link in printed.splitlines()
    assert "Subject: Common Ground: confirm your address \u2013 it\u2019s quick" in printed
    assert "Hello, it\u2019s us." in printed
    assert "=E2" not in printed and "=\n" not in printed and "quoted-printable" not in printed
    assert "[text/html, " in printed and "<p>" not in printed


def test_the_sign_up_link_as_printed_in_the_terminal_confirms_the_account(client, db, dev_console):
    import re

    from allauth.account.models import EmailAddress

    from tests.factories import PASSWORD

    client.post(
        "/accounts/signup/",
        {"email": "new.person@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    printed = dev_console.readouterr().out
    (line,) = [line for line in printed.splitlines() if "/confirm-email/" in line]
    link = re.search(r"https?://\S+", line).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200
    response = client.post(f"/{path}", follow=True)
    assert response.status_code == 200
    assert EmailAddress.objects.get(email="new.person@example.org").verified


def test_no_template_opens_a_comment_it_closes_on_a_later_line():
    """Django's {# #} comment ends at the end of its line: one spread over lines shows on
    the page as text (the partner page once showed a note meant for us to the partner)."""
    from pathlib import Path

    broken = [
        f"{path}:{number}"
        for path in (Path(__file__).resolve().parents[1] / "templates").rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert broken == [], "use {% comment %} for comments over several lines: " + ", ".join(broken)
