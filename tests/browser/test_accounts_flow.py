import re
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import hotp_value
from django.core import mail

from .axe import assert_accessible


def totp_code(secret: str) -> str:
    return f"{hotp_value(secret, int(time.time()) // 30):06d}"


def test_sign_up_confirm_sign_in_turn_on_totp_and_sign_out(page, live_server, password):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    assert_accessible(page)
    page.get_by_label("Email").fill("walkthrough@example.org")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)[0]
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda url: "confirm-email" not in url)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/accounts/logout/" not in url)
    page.get_by_role("link", name="Sign in", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Email").fill("walkthrough@example.org")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto("/accounts/2fa/")
    assert_accessible(page)
    page.goto("/accounts/2fa/totp/activate/")
    # A sensitive change, but the password was typed at sign-in a moment ago: that
    # counts as the check (tests/accounts/test_reauthentication.py), so no question.
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(lambda url: "activate" not in url)
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).exists()
    stored = Authenticator.objects.get(type=Authenticator.Type.TOTP).data["secret"]
    assert stored != secret  # encrypted at rest

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/accounts/logout/" not in url)

    # Signing in again now asks for the code.
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("walkthrough@example.org")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "authenticate" not in url)
    assert page.get_by_role("button", name="Sign out").is_visible()
