import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User


def confirmation_link(message) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert found, message.body
    return found[1]


def test_sign_up_sends_a_confirmation_link_that_verifies_and_signs_in(client, db, password):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": password, "password2": password},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/confirm-email/"
    assert len(mail.outbox) == 1
    assert "new@example.org" in mail.outbox[0].to
    assert not EmailAddress.objects.get(email="new@example.org").verified

    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200  # a page with a button, not a GET side effect
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.org").verified
    assert client.get("/accounts/email/").status_code == 200  # signed in


def test_sign_in_is_refused_until_the_email_is_confirmed(client, db, password):
    User.objects.create_user("waiting@example.org", password)
    EmailAddress.objects.create(
        email="waiting@example.org", user=User.objects.get(), verified=False
    )
    response = client.post(
        "/accounts/login/", {"login": "waiting@example.org", "password": password}
    )
    assert response.headers["Location"] == "/accounts/confirm-email/"
    assert client.get("/accounts/email/").status_code == 302


def test_a_wrong_password_gets_a_clear_message_and_keeps_the_email(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": "wrong-one-123"})
    assert response.status_code == 200
    assert "match an account. Check both" in response.text
    assert f'value="{user.email}"' in response.text


def test_an_unknown_email_gets_the_same_message_as_a_wrong_password(client, db):
    response = client.post(
        "/accounts/login/", {"login": "nobody@example.org", "password": "x" * 12}
    )
    assert "match an account. Check both" in response.text


def test_signing_up_with_a_taken_email_does_not_say_it_is_taken(client, user, password):
    response = client.post(
        "/accounts/signup/", {"email": user.email, "password1": password, "password2": password}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/confirm-email/"
    assert "already" not in mail.outbox[0].subject.lower() or mail.outbox[0].to == [user.email]


def test_password_reset_does_not_reveal_whether_an_account_exists(client, user):
    known = client.post("/accounts/password/reset/", {"email": user.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]


@pytest.mark.parametrize("key", ["not-a-real-key", "MQ:1abcde:xxxxxxxxxxxxxxxxxxxxxxxx"])
def test_a_broken_or_expired_confirmation_link_says_so(client, db, key):
    response = client.get(f"/accounts/confirm-email/{key}/")
    assert "This link has expired or has already been used." in response.text


def test_a_reused_confirmation_link_says_so(client, db, password):
    client.post(
        "/accounts/signup/",
        {"email": "twice@example.org", "password1": password, "password2": password},
    )
    link = confirmation_link(mail.outbox[0])
    client.post(link)
    client.logout()
    response = client.get(link)
    assert "This link has expired or has already been used." in response.text


def test_the_session_key_changes_at_sign_in_and_dies_at_sign_out(client, user, password):
    client.get("/accounts/login/")
    before = client.cookies.get("sessionid")
    client.post("/accounts/login/", {"login": user.email, "password": password})
    during = client.cookies["sessionid"].value
    assert before is None or before.value != during
    client.post("/accounts/logout/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=during).exists()


def test_the_admin_sign_in_goes_through_allauth(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_failed_sign_ins_meet_the_rate_limit(client, user, password):
    for attempt in range(10):
        response = client.post(
            "/accounts/login/", {"login": user.email, "password": f"no-{attempt}"}
        )
        assert "is paused" not in response.text
    response = client.post("/accounts/login/", {"login": user.email, "password": "no-more"})
    assert "Signing in with a password is paused for this address" in response.text
    # From a browser that never signed in with this address, the pause holds even
    # for the right password; the page offers a code by email instead
    # (tests/accounts/test_signin_security.py covers browsers signed in before).
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert "Signing in with a password is paused for this address" in response.text
    assert "sign-in code" in response.text
