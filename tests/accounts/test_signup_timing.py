"""Signing up with a taken address looks and takes the same as with a new one.

Someone who knows a person's address must not learn from the sign-up page whether
that address has an account: not from the page, the redirect or the cookies, and
not from how long the answer takes (finding 4: 0.05 s against 0.50 s before).
"""

import re
import statistics
import time

from django.core import mail
from django.test import Client, override_settings

from config.settings import base

TRIES = 7


def sign_up(email: str, password: str, address: str):
    client = Client(REMOTE_ADDR=address)
    start = time.perf_counter()
    response = client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )
    return time.perf_counter() - start, response, client


def without_tokens(html: str) -> str:
    """The page without what differs on every response (CSRF token, CSP nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_taken_address_takes_as_long_as_a_new_one(user, password):
    sign_up("warm-up@example.org", password, "192.0.2.1")  # templates, hasher loaded
    sign_up(user.email, password, "192.0.2.2")
    new, taken = [], []
    for n in range(TRIES):  # alternating, so both see the same noise
        new.append(sign_up(f"new-{n}@example.org", password, f"192.0.2.{10 + n}")[0])
        taken.append(sign_up(user.email, password, f"192.0.2.{30 + n}")[0])
    ratio = statistics.median(new) / statistics.median(taken)
    assert 0.5 < ratio < 2, (
        f"new {statistics.median(new):.3f} s, taken {statistics.median(taken):.3f} s, "
        f"ratio {ratio:.2f}; new {[round(t, 3) for t in new]}, taken {[round(t, 3) for t in taken]}"
    )


def test_a_taken_address_gets_the_same_page_redirect_and_cookies(user, password):
    _, new, new_client = sign_up("brand-new@example.org", password, "192.0.2.1")
    _, taken, taken_client = sign_up(user.email, password, "192.0.2.2")
    assert new.status_code == taken.status_code == 302
    assert new.headers["Location"] == taken.headers["Location"]
    assert sorted(new.cookies) == sorted(taken.cookies)
    new_page = new_client.get(new.headers["Location"])
    taken_page = taken_client.get(taken.headers["Location"])
    assert new_page.status_code == taken_page.status_code == 200
    assert without_tokens(new_page.text) == without_tokens(
        taken_page.text.replace(user.email, "brand-new@example.org")
    )


def test_each_sign_up_mails_only_the_address_it_names(user, password):
    sign_up("brand-new@example.org", password, "192.0.2.1")
    sign_up(user.email, password, "192.0.2.2")
    assert [message.to for message in mail.outbox] == [["brand-new@example.org"], [user.email]]
    # What the owner of the taken address reads says nothing changed on their account.
    user.refresh_from_db()
    assert user.check_password(password)
