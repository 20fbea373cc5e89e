"""Sign-in security: the password hasher, the length rule, lock-out without a lock-out
(device cookies and sign-in codes), and what the sessions table keeps."""

import re

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, identify_hasher
from django.core import mail
from django.test import Client, override_settings

from accounts.devices import NO_ADDRESS, device_cookie_name
from accounts.hashers import Argon2idHasher
from accounts.models import User
from config.settings import base

PAUSED = "Signing in with a password is paused for this address"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"

# Production counts per client from X-Forwarded-For behind one proxy.
behind_one_proxy = override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)


def client_at(address: str, **extra) -> Client:
    """A browser at the client IP *address*, as the proxy reports it."""
    return Client(HTTP_X_FORWARDED_FOR=address, **extra)


def sign_in(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302 and response.headers["Location"] == "/"


# --- Hashing -------------------------------------------------------------------


def test_production_hashes_with_argon2id_first_and_keeps_pbkdf2_for_old_hashes():
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        first = get_hasher("default")
        assert isinstance(first, Argon2idHasher)
        assert first.params().type.name == "ID"
        assert identify_hasher(PBKDF2PasswordHasher().encode("x" * 12, "salt", 1000))
    assert "PBKDF2PasswordHasher" in base.PASSWORD_HASHERS[1]


def test_argon2id_parameters_are_at_least_owasps_minimum():
    # OWASP Password Storage Cheat Sheet: 19 MiB, 2 passes, 1 lane.
    assert Argon2idHasher.memory_cost >= 19 * 1024
    assert Argon2idHasher.time_cost >= 2
    assert Argon2idHasher.parallelism >= 1


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_an_old_pbkdf2_hash_becomes_argon2id_at_the_next_sign_in(client, user, password):
    user.password = PBKDF2PasswordHasher().encode(password, "oldsalt1234", iterations=1000)
    user.save(update_fields=["password"])
    assert signed_in(sign_in(client, user.email, password))
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=47104,t=2,p=1$")
    assert user.check_password(password)


# --- Password length (ASVS level 2) ------------------------------------------------


def test_a_password_shorter_than_12_characters_is_refused_with_a_clear_message(client, db):
    short = "plum-kite-7Q"[:11]
    response = client.post(
        "/accounts/signup/", {"email": "short@example.org", "password1": short, "password2": short}
    )
    assert response.status_code == 200
    assert "This password is too short: use at least 12 characters." in response.text
    assert 'value="short@example.org"' in response.text
    assert not User.objects.filter(email="short@example.org").exists()


def test_a_12_character_password_is_accepted(client, db):
    twelve = "plum-kite-7Q"
    response = client.post(
        "/accounts/signup/",
        {"email": "twelve@example.org", "password1": twelve, "password2": twelve},
    )
    assert response.status_code == 302
    assert User.objects.filter(email="twelve@example.org").exists()


# --- Lock-out: guessing stays bounded, the owner keeps a way in --------------------


@behind_one_proxy
def test_ten_wrong_passwords_from_ten_ips_do_not_keep_the_owner_out(user, password):
    owner = client_at("192.0.2.10")
    assert signed_in(sign_in(owner, user.email, password))
    assert device_cookie_name() in owner.cookies
    owner.post("/accounts/logout/")

    for n in range(10):
        response = sign_in(client_at(f"203.0.113.{n + 1}"), user.email, f"guess-number-{n}")
        assert "match an account" in response.text
    # The eleventh guess, from yet another IP, is refused: unknown browsers share
    # the address's count, whatever their IP...
    stranger = client_at("203.0.113.99")
    assert PAUSED in sign_in(stranger, user.email, "guess-number-11").text
    # ...even with the right password.
    assert PAUSED in sign_in(stranger, user.email, password).text
    # The owner, from the browser they signed in with before, gets straight in.
    assert signed_in(sign_in(owner, user.email, password))


@behind_one_proxy
def test_the_paused_page_says_what_still_works(user, password):
    for n in range(11):
        response = sign_in(client_at(f"203.0.113.{n + 1}"), user.email, f"guess-number-{n}")
    assert PAUSED in response.text
    assert "get a sign-in code by email" in response.text
    assert 'href="/accounts/login/code/' in response.text
    assert 'href="/accounts/password/reset/' in response.text


@behind_one_proxy
def test_a_sign_in_code_by_email_works_while_passwords_are_paused(user):
    for n in range(11):
        sign_in(client_at(f"203.0.113.{n + 1}"), user.email, f"guess-number-{n}")
    owner = client_at("198.51.100.7")
    response = owner.post("/accounts/login/code/", {"email": user.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [user.email]
    code = re.search(r"^\s*([A-Z0-9][A-Z0-9-]{4,}[A-Z0-9])\s*$", message.body, re.MULTILINE)[1]
    response = owner.post(response.headers["Location"], {"code": code})
    assert signed_in(response)
    assert device_cookie_name() in owner.cookies


@behind_one_proxy
def test_a_known_browser_has_its_own_allowance_not_an_unlimited_one(user, password):
    owner = client_at("192.0.2.10")
    assert signed_in(sign_in(owner, user.email, password))
    owner.post("/accounts/logout/")
    for n in range(10):
        owner.defaults["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{n + 20}"
        assert "match an account" in sign_in(owner, user.email, f"typo-{n}").text
    owner.defaults["HTTP_X_FORWARDED_FOR"] = "192.0.2.50"
    assert PAUSED in sign_in(owner, user.email, password).text
    # Its mistakes did not use up what unknown browsers share.
    assert signed_in(sign_in(client_at("198.51.100.8"), user.email, password))


@behind_one_proxy
def test_guessing_from_one_ip_is_still_limited_across_addresses(db):
    attacker = client_at("203.0.113.200")
    for n in range(10):
        assert "match an account" in sign_in(attacker, f"someone{n}@example.org", "guess-1234").text
    response = sign_in(attacker, "someone-else@example.org", "guess-1234")
    assert PAUSED in response.text


@behind_one_proxy
def test_a_device_cookie_counts_only_for_the_address_it_signed_in_with(user, other_user, password):
    browser = client_at("192.0.2.10")
    assert signed_in(sign_in(browser, user.email, password))
    browser.post("/accounts/logout/")
    for n in range(10):
        sign_in(client_at(f"203.0.113.{n + 1}"), other_user.email, f"guess-number-{n}")
    browser.defaults["HTTP_X_FORWARDED_FOR"] = "192.0.2.11"
    assert PAUSED in sign_in(browser, other_user.email, password).text


@behind_one_proxy
def test_a_forged_or_altered_device_cookie_counts_as_an_unknown_browser(user, password):
    browser = client_at("192.0.2.10")
    assert signed_in(sign_in(browser, user.email, password))
    browser.post("/accounts/logout/")
    name = device_cookie_name()
    value = browser.cookies[name].value
    for n in range(10):
        sign_in(client_at(f"203.0.113.{n + 1}"), user.email, f"guess-number-{n}")
    browser.cookies[name] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert PAUSED in sign_in(browser, user.email, password).text


def test_the_device_cookie_is_http_only_and_names_no_one(client, user, password):
    assert signed_in(sign_in(client, user.email, password))
    cookie = client.cookies[device_cookie_name()]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 90 * 24 * 3600
    assert user.email.split("@")[0] not in cookie.value


def test_production_uses_a_host_prefixed_secure_device_cookie(settings):
    settings.SESSION_COOKIE_SECURE = True
    assert device_cookie_name() == "__Host-device"


# --- What the sessions table keeps ---------------------------------------------------


def test_the_sessions_table_keeps_a_device_name_and_no_ip_address(user, password):
    browser = Client(headers={"user-agent": FIREFOX}, REMOTE_ADDR="192.0.2.33")
    assert signed_in(sign_in(browser, user.email, password))
    (row,) = UserSession.objects.filter(user=user)
    assert row.user_agent == "Firefox on Windows"
    assert row.ip == NO_ADDRESS == "0.0.0.0"  # noqa: S104 (a stored placeholder)
    assert "192.0.2" not in str(list(UserSession.objects.values()))


def test_a_session_row_goes_when_its_owner_signs_out(user, password):
    browser = Client(headers={"user-agent": FIREFOX})
    assert signed_in(sign_in(browser, user.email, password))
    assert UserSession.objects.filter(user=user).count() == 1
    browser.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=user).exists()


def test_signing_out_also_clears_rows_of_sessions_that_ended_otherwise(user, password):
    UserSession.objects.create(user=user, session_key="e" * 32, ip="192.0.2.1")  # long gone
    browser = Client(headers={"user-agent": FIREFOX})
    assert signed_in(sign_in(browser, user.email, password))
    UserSession.objects.create(user=user, session_key="f" * 32, ip="192.0.2.1")  # gone since
    browser.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=user).exists()


@pytest.mark.parametrize("label", ["Firefox on Windows", "A browser on Linux", "Unknown browser"])
def test_a_stored_device_name_passes_through_device_label_unchanged(label):
    from accounts.devices import device_label

    assert device_label(label) == label


def test_rows_kept_before_keep_only_a_device_name(user):
    from importlib import import_module

    from django.apps import apps

    row = UserSession.objects.create(user=user, session_key="k" * 32, ip="192.0.2.1")
    UserSession.objects.filter(pk=row.pk).update(user_agent=FIREFOX, ip="192.0.2.1")
    migration = import_module("accounts.migrations.0003_user_sessions_keep_device_names")
    migration.keep_only_device_names(apps, None)
    row.refresh_from_db()
    assert (row.user_agent, row.ip) == ("Firefox on Windows", NO_ADDRESS)


# --- Two-step codes and password resets ------------------------------------------


def totp_user(user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@behind_one_proxy
def test_wrong_two_step_codes_elsewhere_do_not_keep_the_owner_out(user, password):
    owner = client_at("192.0.2.10")
    assert signed_in(sign_in(owner, user.email, password))  # before two-step was on
    owner.post("/accounts/logout/")
    secret = totp_user(user)

    # Someone who knows the password, but not the codes, from ten other places.
    for n in range(11):
        other = client_at(f"203.0.113.{n + 1}")
        sign_in(other, user.email, password)
        response = other.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert response.status_code == 200
    assert "Two-step sign-in is paused" in response.text

    # The owner's browser still gets through both steps.
    owner.defaults["HTTP_X_FORWARDED_FOR"] = "192.0.2.11"
    sign_in(owner, user.email, password)
    assert signed_in(owner.post("/accounts/2fa/authenticate/", {"code": current_code(secret)}))


@behind_one_proxy
def test_a_password_reset_from_a_known_browser_ends_the_pause_for_the_others(user, password):
    owner = client_at("198.51.100.7")
    assert signed_in(sign_in(owner, user.email, password))
    owner.post("/accounts/logout/")
    for n in range(11):
        sign_in(client_at(f"203.0.113.{n + 1}"), user.email, f"guess-number-{n}")
    owner.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)[1]
    form_url = owner.get(link).headers["Location"]
    new_password = "a-brand-new-passphrase"
    response = owner.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert signed_in(sign_in(client_at("198.51.100.8"), user.email, new_password))
