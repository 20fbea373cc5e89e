"""Every allauth page and email the site can show reads in our voice (tests/accounts/voice.py).

Three layers, so a new allauth release or a newly turned-on feature cannot slip
the library's wording back in:
1. every template allauth ships for the apps we use is either overridden in
   templates/ or unreachable under our settings (and the test checks why);
2. every reachable page, rendered through the real views, passes the voice checks;
3. every email allauth can send, and our own deletion email, passes them too.
"""

from pathlib import Path

import allauth
import pytest
from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.core import context as allauth_context
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from yourdata.services import _send_goodbye

from .voice import email_problems, page_problems

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
OUR_TEMPLATES = Path(settings.BASE_DIR) / "templates"
APPS = ("account", "mfa", "usersessions")  # installed; socialaccount, idp, openid are not

# Templates no page can reach under our settings, and the setting that keeps them so.
UNREACHABLE = {
    "account/confirm_email_verification_code.html": (
        "ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED",
        False,
    ),
    "account/confirm_password_reset_code.html": ("ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED", False),
    "account/confirm_phone_verification_code.html": ("ACCOUNT_SIGNUP_FIELDS", "no phone"),
    "account/phone_change.html": ("ACCOUNT_SIGNUP_FIELDS", "no phone"),
    "account/messages/phone_verification_sent.txt": ("ACCOUNT_SIGNUP_FIELDS", "no phone"),
    "account/messages/phone_verified.txt": ("ACCOUNT_SIGNUP_FIELDS", "no phone"),
    "account/email_change.html": ("ACCOUNT_CHANGE_EMAIL", False),
    "account/signup_by_passkey.html": ("MFA_PASSKEY_SIGNUP_ENABLED", False),
    "mfa/webauthn/signup_form.html": ("MFA_PASSKEY_SIGNUP_ENABLED", False),
    "mfa/trust.html": ("MFA_TRUST_ENABLED", False),
    # The downloaded recovery codes: one code a line, no words.
    "mfa/recovery_codes/download.txt": (None, None),
}


def _only_layout(path: Path) -> bool:
    """A template that only extends another (no words of its own)."""
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    return all(line.startswith(("{% extends", "{% load")) for line in lines)


def allauth_templates() -> list[str]:
    return sorted(
        str(path.relative_to(ALLAUTH_TEMPLATES))
        for app in APPS
        for path in (ALLAUTH_TEMPLATES / app).rglob("*")
        if path.is_file() and not _only_layout(path)
    )


def test_every_allauth_template_with_words_is_ours_or_unreachable():
    missing = [
        name
        for name in allauth_templates()
        if name not in UNREACHABLE and not (OUR_TEMPLATES / name).exists()
    ]
    assert missing == [], f"allauth's wording would show in: {missing}"


@pytest.mark.parametrize(("name", "reason"), UNREACHABLE.items())
def test_unreachable_templates_stay_unreachable(name, reason):
    setting, value = reason
    if setting == "ACCOUNT_SIGNUP_FIELDS":
        assert not any(field.startswith("phone") for field in settings.ACCOUNT_SIGNUP_FIELDS)
    elif setting:
        assert getattr(settings, setting, False) == value, f"{name} is reachable now: override it"


# --- Pages ---------------------------------------------------------------------


@pytest.fixture
def totp_user(user):
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    return user


@pytest.fixture
def checked(client, user, password):
    """Signed in through the form: the sign-in counts as the fresh password check."""
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    return client


def signed_in_and_checked(client, user):
    """*user* signed in, with a fresh "confirm it's you" check in the session."""
    from allauth.account.internal.flows.reauthentication import reauthenticate_by_password

    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    reauthenticate_by_password(request)
    request.session.save()


def _passkey(user, name="Phone"):
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": {}}
    )


def anonymous_pages(client, user, password):
    key = EmailConfirmationHMAC(EmailAddress.objects.get(user=user)).key
    uid = user_pk_to_url_str(user)
    token = default_token_generator.make_token(user)
    inactive = User.objects.create_user("resting@example.org", password, is_active=False)
    EmailAddress.objects.create(user=inactive, email=inactive.email, verified=True, primary=True)
    yield "sign in", client.get(reverse("account_login"))
    yield (
        "sign in, wrong password",
        client.post(reverse("account_login"), {"login": user.email, "password": "not-it-at-all"}),
    )
    yield "sign up", client.get(reverse("account_signup"))
    yield (
        "sign up, mistakes",
        client.post(
            reverse("account_signup"), {"email": "nope", "password1": "a", "password2": "b"}
        ),
    )
    yield "check your email", client.get(reverse("account_email_verification_sent"))
    yield "confirm email", client.get(reverse("account_confirm_email", args=[key]))
    yield "confirm email, old link", client.get(reverse("account_confirm_email", args=["x:y"]))
    yield "reset password", client.get(reverse("account_reset_password"))
    yield "reset password, sent", client.get(reverse("account_reset_password_done"))
    yield (
        "new password",
        client.get(
            reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": token}),
            follow=True,
        ),
    )
    yield (
        "new password, old link",
        client.get(
            reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": "1-x"})
        ),
    )
    yield "new password, done", client.get(reverse("account_reset_password_from_key_done"))
    yield (
        "inactive",
        client.post(
            reverse("account_login"), {"login": inactive.email, "password": password}, follow=True
        ),
    )
    if settings.ACCOUNT_LOGIN_BY_CODE_ENABLED:
        yield "code by email", client.get(reverse("account_request_login_code"))
        yield (
            "type the code",
            client.post(reverse("account_request_login_code"), {"email": user.email}, follow=True),
        )


def test_every_page_before_sign_in_reads_in_our_voice(client, user, password):
    problems = {}
    for name, response in anonymous_pages(client, user, password):
        assert response.status_code == 200, name
        problems[name] = page_problems(response.text)
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_sign_up_closed_page_reads_in_our_voice(client, db, monkeypatch):
    from accounts.adapters import AccountAdapter

    monkeypatch.setattr(AccountAdapter, "is_open_for_signup", lambda self, request: False)
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Sign-up is paused" in response.text
    assert page_problems(response.text) == []


def test_the_second_step_page_says_recovery_codes_work(client, totp_user, password):
    client.post(reverse("account_login"), {"login": totp_user.email, "password": password})
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 200
    assert "recovery code" in response.text
    assert page_problems(response.text) == []
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "the code is wrong or has expired" in wrong.text
    assert page_problems(wrong.text) == []


SIGNED_IN_PAGES = [
    "accounts:settings",
    "account_email",
    "account_change_password",
    "account_logout",
    "account_reauthenticate",
    "usersessions_list",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_list_webauthn",
    "mfa_add_webauthn",
    "accounts:export",
    "accounts:delete",
]


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_every_signed_in_page_reads_in_our_voice(checked, name):
    response = checked.get(reverse(name))
    assert response.status_code == 200
    assert page_problems(response.text) == []


@pytest.mark.parametrize(
    "name",
    [
        "mfa_index",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
    ],
)
def test_every_two_step_page_reads_in_our_voice(client, totp_user, name):
    signed_in_and_checked(client, totp_user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert page_problems(response.text) == []


@pytest.mark.parametrize("name", ["mfa_edit_webauthn", "mfa_remove_webauthn"])
def test_the_passkey_pages_read_in_our_voice(checked, user, name):
    key = _passkey(user, name="Phone")
    response = checked.get(reverse(name, kwargs={"pk": key.pk}))
    assert response.status_code == 200
    assert "Phone" in response.text
    assert page_problems(response.text) == []
    index = checked.get(reverse("mfa_index")).text
    assert "Phone" in index and page_problems(index) == []


def test_setting_a_password_reads_in_our_voice(rf, user):
    """Only an account without a password sees this page (passkey sign-up, which is
    off: allauth then refuses the page), so it is rendered directly."""
    from allauth.account.forms import SetPasswordForm

    request = rf.get("/accounts/password/set/")
    request.user = user
    html = render_to_string(
        "account/password_set.html", {"form": SetPasswordForm(user=user)}, request
    )
    assert "Set a password" in html
    assert page_problems(html) == []


def test_the_sessions_page_names_devices_not_user_agents(client, user, password):
    agent = (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36"
    )
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": password},
        headers={"user-agent": agent},
    )
    html = client.get(reverse("usersessions_list")).text
    assert "Chrome on Android" in html
    assert "Mozilla" not in html and "AppleWebKit" not in html
    assert "127.0.0.1" not in html  # no IP address either: nothing a person needs
    assert page_problems(html) == []


# --- Emails --------------------------------------------------------------------


def allauth_emails() -> list[str]:
    return sorted(
        str(path.relative_to(ALLAUTH_TEMPLATES)).removesuffix("_subject.txt")
        for app in APPS
        for path in (ALLAUTH_TEMPLATES / app / "email").glob("*_subject.txt")
    )


def test_allauth_still_ships_the_emails_we_rewrote():
    assert len(allauth_emails()) >= 18  # a rename upstream would empty the check below


@pytest.mark.parametrize("discreet", [False, True], ids=["usual", "discreet"])
@pytest.mark.parametrize("prefix", allauth_emails())
def test_every_email_allauth_can_send_reads_in_our_voice(rf, user, prefix, discreet):
    """Sent as the site sends it (the adapter's send_mail), for an account with discreet
    mode off and on: plain subjects either way; in discreet mode, "Notes" as the sender's
    name and in the text, and no word about what the site is for."""
    user.discreet = discreet
    user.save(update_fields=["discreet"])
    request = rf.get(
        "/", headers={"host": "127.0.0.1:8000", "user-agent": "Firefox/133.0 (Windows)"}
    )
    request.user = user
    request.session = {}
    url = "http://127.0.0.1:8000/accounts/"
    context = {
        "user": user,
        "email": user.email,
        "activate_url": url + "confirm-email/KEY/",
        "key": "KEY",
        "code": "K3Y9QX" if "code" in prefix else None,
        "password_reset_url": url + "password/reset/key/1-x/",
        "signup_url": url + "signup/",
        "timestamp": timezone.now(),
        "ip": "127.0.0.1",
        "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Firefox/133.0",
        "from_email": "old@example.org",
        "to_email": user.email,
        "deleted_email": "old@example.org",
    }
    adapter = get_adapter(request)
    with allauth_context.request_context(request):
        adapter.send_mail(prefix, user.email, {"request": request, **context})
    (message,) = mail.outbox
    name = "Notes" if discreet else "Common Ground"
    assert email_problems(message.subject, message.body, site_name=name) == []
    assert message.from_email == f"{name} <no-reply@example.org>"
    assert "Mozilla" not in message.body  # a device name, not the raw user agent


def test_the_sign_up_email_reads_in_our_voice_end_to_end(client, db, password):
    client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": password, "password2": password},
        headers={"host": "127.0.0.1:8000"},
    )
    (message,) = mail.outbox
    assert message.subject == "Confirm your email address"
    assert email_problems(message.subject, message.body) == []


@pytest.mark.parametrize("discreet", [False, True], ids=["usual", "discreet"])
def test_the_account_deleted_email_is_plain_and_invites_no_reply(db, discreet):
    _send_goodbye("gone@example.org", discreet=discreet)
    (message,) = mail.outbox
    assert message.subject == "Your account has been deleted"
    name = "Notes" if discreet else "Common Ground"
    assert email_problems(message.subject, message.body, site_name=name) == []
    assert message.from_email == f"{name} <no-reply@example.org>"


@pytest.mark.parametrize(
    "name",
    sorted(
        str(path.relative_to(OUR_TEMPLATES))
        for path in OUR_TEMPLATES.glob("*/messages/*.txt")
        if path.parent.parent.name in APPS
    ),
)
def test_every_message_reads_in_our_voice(rf, user, name):
    request = rf.get("/")
    request.user = user
    text = render_to_string(
        name, {"email": "someone@example.org", "user": user, "recipient": "x@example.org"}, request
    )
    assert text.strip()
    assert page_problems(f"<p>{text}</p>") == []
