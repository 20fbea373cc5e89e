"""Passkeys through allauth's WebAuthn support; tests/browser/test_passkeys.py drives the
real ceremony in Chromium."""

import re

import pytest
from allauth.core import context as allauth_context
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from accounts.forms import PASSKEY_NAME_MAX, AddPasskeyForm, RenamePasskeyForm

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
# Words that would tell someone glancing at a shared device what the site is for.
REVEALING = re.compile(r"therap|partner|relationship|abuse|couple|journal|boundar", re.I)


def test_passkeys_sign_in_on_their_own_and_as_a_second_step():
    assert "webauthn" in settings.MFA_SUPPORTED_TYPES
    assert "recovery_codes" in settings.MFA_SUPPORTED_TYPES
    assert settings.MFA_PASSKEY_LOGIN_ENABLED is True
    # fido2 2.x accepts http://localhost itself; turning origin checks off is never needed.
    assert not getattr(settings, "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)


@pytest.fixture
def in_request(rf, user, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "commonground.example"]
    request = rf.get(
        "/", headers={"host": "commonground.example:8443", "user-agent": ANDROID_CHROME}
    )
    request.user = user
    request.session = {}
    with allauth_context.request_context(request):
        yield request


def test_a_device_lists_the_passkey_under_a_neutral_name(in_request, user):
    adapter = get_adapter()
    rp = adapter.get_public_key_credential_rp_entity()
    assert rp == {"id": "commonground.example", "name": "Notes"}
    entity = adapter.get_public_key_credential_user_entity(user)
    assert entity["name"] == entity["display_name"] == user.email
    for value in (rp["name"], entity["name"], entity["display_name"]):
        assert not REVEALING.search(value)


def test_a_new_passkey_is_named_after_the_device_adding_it(in_request, user):
    adapter = get_adapter()
    assert adapter.generate_authenticator_name(user, Authenticator.Type.WEBAUTHN) == (
        "Chrome on Android"
    )
    unknown = RequestFactory().get("/", headers={"user-agent": "curl/8"})
    with allauth_context.request_context(unknown):
        assert adapter.generate_authenticator_name(user, Authenticator.Type.WEBAUTHN) == "Passkey"


def test_a_passkey_name_is_bounded_and_explained(in_request, user):
    form = AddPasskeyForm(
        data={"name": "x" * (PASSKEY_NAME_MAX + 1), "credential": "{}"}, user=user
    )
    assert not form.is_valid()
    assert form.errors["name"] == [f"Keep the name to {PASSKEY_NAME_MAX} characters or fewer."]
    key = Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Phone", "credential": {}}
    )
    rename = RenamePasskeyForm(data={"name": ""}, instance=key)
    assert not rename.is_valid()
    assert "Give the passkey a name" in rename.errors["name"][0]


def test_sign_in_by_passkey_is_on_by_default_when_adding_one(in_request, user):
    form = AddPasskeyForm(user=user)
    assert form["passwordless"].initial is True
    assert form["name"].initial == "Chrome on Android"


def test_the_sign_in_page_offers_a_passkey_only_to_browsers_that_can_use_one(client, db):
    response = client.get(reverse("account_login"))
    html = response.text
    section = re.search(r"<section[^>]*data-passkey-only[^>]*>", html)[0]
    assert " hidden" in section  # without JavaScript: no button that cannot work
    assert 'id="passkey_login"' in html
    # Every script comes from the site itself: the CSP allows 'self' and nonces only.
    assert re.findall(r"<script src=\"([^\"]+)\"", html) and all(
        src.startswith("/static/") for src in re.findall(r"<script src=\"([^\"]+)\"", html)
    )
    assert "/static/js/passkeys.js" in html
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    assert "onclick=" not in html and "javascript:" not in html


def test_renaming_and_removing_return_to_the_security_page(client, user, password):
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    key = Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Phone", "credential": {}}
    )
    index = reverse("mfa_index")
    response = client.post(
        reverse("mfa_edit_webauthn", kwargs={"pk": key.pk}) + f"?next={index}",
        {"name": "Work laptop"},
    )
    assert response.headers["Location"] == index
    assert "Work laptop" in client.get(index).text
    response = client.post(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk}) + f"?next={index}")
    assert response.headers["Location"] == index
    assert not Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN).exists()


def test_someone_elses_passkey_is_not_found(client, user, other_user, password):
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    theirs = Authenticator.objects.create(
        user=other_user, type=Authenticator.Type.WEBAUTHN, data={"name": "Theirs", "credential": {}}
    )
    for name in ("mfa_edit_webauthn", "mfa_remove_webauthn"):
        assert client.get(reverse(name, kwargs={"pk": theirs.pk})).status_code == 404
    assert "Theirs" not in client.get(reverse("mfa_index")).text


def test_the_security_page_costs_the_same_queries_for_one_passkey_or_many(client, user, password):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.post(reverse("account_login"), {"login": user.email, "password": password})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("mfa_index")).status_code == 200
        return len(captured)

    Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "One", "credential": {}}
    )
    queries()  # the first request after sign-in also loads the session into the cache
    one = queries()
    for n in range(5):
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.WEBAUTHN, data={"name": f"K{n}", "credential": {}}
        )
    assert queries() == one <= 8
