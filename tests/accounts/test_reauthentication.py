import pytest


@pytest.fixture
def fresh_sign_in(client, user, password):
    client.post("/accounts/login/", {"login": user.email, "password": password})
    return client


def test_adding_an_email_address_asks_for_the_password_again(fresh_sign_in):
    response = fresh_sign_in.post(
        "/accounts/email/", {"action_add": "", "email": "second@example.org"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/reauthenticate/")


@pytest.mark.parametrize(
    "path", ["/accounts/2fa/totp/activate/", "/accounts/2fa/recovery-codes/generate/"]
)
def test_two_factor_changes_ask_for_the_password_again(fresh_sign_in, path):
    response = fresh_sign_in.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/reauthenticate/")


def test_after_reauthenticating_the_change_goes_through(fresh_sign_in, password):
    fresh_sign_in.post("/accounts/reauthenticate/", {"password": password})
    assert fresh_sign_in.get("/accounts/2fa/totp/activate/").status_code == 200
