"""A paused address in Chromium: the known browser gets in, another gets a code by email."""

import re
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client

PAUSED = "Signing in with a password is paused for this address"


def guess_from_ten_places(live_server, email: str) -> None:
    """Ten wrong passwords from ten other IPs (the live server shares this process's cache)."""
    host = urlsplit(live_server.url).netloc  # allauth's count is per site and address
    for n in range(11):
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}", headers={"host": host}).post(
            "/accounts/login/", {"login": email, "password": f"guess-number-{n}"}
        )


def fill_sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_the_browser_used_before_signs_in_while_the_address_is_paused(
    browser, live_server, page, user, password
):
    fill_sign_in(page, user.email, password)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert any(cookie["name"] == "device" for cookie in page.context.cookies())
    page.context.clear_cookies(name="sessionid")

    guess_from_ten_places(live_server, user.email)

    # Another browser, even with the right password, is told what still works...
    other = browser.new_context(base_url=live_server.url)
    stranger = other.new_page()
    fill_sign_in(stranger, user.email, password)
    assert PAUSED in stranger.locator("main").inner_text()
    # ...and signs in with a code by email, through the real forms.
    stranger.get_by_role("link", name="get a sign-in code by email").click()
    stranger.get_by_label("Email address").fill(user.email)
    stranger.get_by_role("button", name="Email me a code").click()
    stranger.wait_for_url("**/accounts/login/code/confirm/")
    code = re.search(r"^\s*([A-Z0-9][A-Z0-9-]{4,}[A-Z0-9])\s*$", mail.outbox[-1].body, re.M)[1]
    stranger.get_by_label("Code from the email").fill(code)
    stranger.get_by_role("button", name="Continue").click()
    stranger.wait_for_url(lambda url: "/accounts/login/" not in url)
    other.close()

    # The browser used before signs in with the password as usual.
    fill_sign_in(page, user.email, password)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert PAUSED not in page.content()
