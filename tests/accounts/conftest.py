import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY


def age_checks(client, seconds: float) -> None:
    """Move every sign-in and password check in *client*'s session *seconds* into the past."""
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    for record in records:
        record["at"] -= seconds
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()


@pytest.fixture
def stale_sign_in(client, user, password, settings):
    """Signed in through the form longer ago than a password check holds."""
    client.post("/accounts/login/", {"login": user.email, "password": password})
    age_checks(client, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)
    return client
