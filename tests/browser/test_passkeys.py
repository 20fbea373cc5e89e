"""Passkeys in Chromium, with its virtual authenticator standing in for a phone or laptop.

The authenticator is set up through the DevTools protocol: a platform passkey store
("internal" transport) that keeps discoverable credentials and verifies the user,
as a fingerprint reader or screen lock does.
"""

import pytest
from allauth.mfa.models import Authenticator

from .axe import assert_accessible
from .signin import submit_password


@pytest.fixture
def authenticator(context, page):
    """A virtual passkey store attached to *page*; yields the CDP session."""
    client = context.new_cdp_session(page)
    client.send("WebAuthn.enable", {"enableUI": False})
    result = client.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    client.authenticator_id = result["authenticatorId"]
    return client


def stored_credentials(client) -> list[dict]:
    return client.send("WebAuthn.getCredentials", {"authenticatorId": client.authenticator_id})[
        "credentials"
    ]


def sign_out(page):
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_url(lambda url: "/accounts/logout/" not in url)


def add_passkey(page, name: str) -> list[str]:
    """Add a passkey on the security page; return the recovery codes it brings."""
    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Add a passkey").click()
    page.wait_for_url("**/accounts/2fa/webauthn/add/")
    assert_accessible(page, dark_too=False)
    page.get_by_label("Name").fill(name)
    assert page.get_by_label("Sign in with this passkey alone").is_checked()
    page.get_by_role("button", name="Add the passkey").click()
    # The first passkey turns on two-step sign-in, which brings recovery codes.
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    return page.locator("#recovery_codes").input_value().split()


def test_add_a_passkey_then_sign_in_with_it_alone(page, user, sign_in, authenticator):
    sign_in(user)
    codes = add_passkey(page, "My phone")
    assert len(codes) == 10

    page.goto("/accounts/2fa/")
    assert "My phone" in page.locator("main").inner_text()
    assert "Signs you in on its own" in page.locator("main").inner_text()
    assert_accessible(page, dark_too=False)
    (credential,) = stored_credentials(authenticator)
    assert credential["isResidentCredential"] is True
    assert credential["rpId"] == "localhost"
    # What the device lists beside the passkey: the account's address, nothing else.
    if "userName" in credential:
        assert credential["userName"] == user.email

    sign_out(page)
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.get_by_role("button", name="Sign out").first.is_visible()
    assert Authenticator.objects.get(type="webauthn").last_used_at is not None


def test_a_passkey_is_also_the_second_step_and_a_recovery_code_still_works(
    page, user, sign_in, authenticator, password
):
    sign_in(user)
    codes = add_passkey(page, "Laptop")
    sign_out(page)

    # Password, then the passkey as the second step.
    submit_password(page, user.email, password)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page, dark_too=False)
    assert "recovery code" in page.locator("main").inner_text()
    page.get_by_role("button", name="Use your passkey").click()
    page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" not in url)
    sign_out(page)

    # Password, then a recovery code, as on a day the passkey isn't at hand.
    submit_password(page, user.email, password)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("recovery code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" not in url)
    assert page.get_by_role("button", name="Sign out").first.is_visible()


def test_rename_and_remove_a_passkey_on_the_security_page(page, user, sign_in, authenticator):
    sign_in(user)
    add_passkey(page, "Phone")
    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Rename Phone").click()
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_role("button", name="Save the name").click()
    page.wait_for_url("**/accounts/2fa/")
    assert "Work laptop" in page.locator("main").inner_text()

    page.get_by_role("link", name="Remove Work laptop").click()
    assert_accessible(page, dark_too=False)
    page.get_by_role("button", name="Remove the passkey").click()
    page.wait_for_url("**/accounts/2fa/")
    assert "You haven't added a passkey" in page.locator("main").inner_text()
    assert not Authenticator.objects.filter(type="webauthn").exists()


def test_a_cancelled_passkey_prompt_says_so_in_our_words(page, user, sign_in, authenticator):
    """No passkey on the device: the browser's prompt fails, the page explains."""
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Use a passkey").click()
    message = page.locator("[data-passkey-error]")
    message.wait_for(state="visible", timeout=15_000)
    assert "Try again" in message.inner_text()
    assert "/accounts/login/" in page.url


def test_a_passkey_confirms_it_is_you_before_a_sensitive_page(
    page, user, sign_in, authenticator, settings
):
    sign_in(user)
    add_passkey(page, "Phone")
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 1  # the sign-in's check runs out at once
    page.wait_for_timeout(1_100)
    page.goto("/accounts/export/")
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.get_by_role("link", name="Use a passkey").click()
    page.wait_for_url("**/accounts/2fa/webauthn/reauthenticate/**")
    assert_accessible(page, dark_too=False)
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 30 * 60
    page.get_by_role("button", name="Use your passkey").click()
    page.wait_for_url("**/accounts/export/")
    assert page.get_by_role("button", name="Download everything").is_visible()
