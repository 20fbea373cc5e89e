import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils.module_loading import import_string

from guides.models import StepProgress
from tests.factories import ConversationPlanFactory, SelfCheckFactory


def models_pointing_at_users():
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and field.many_to_one | field.one_to_one
                and field.concrete
                and field.related_model is user_model
            ):
                yield model, field.name


def fill_account(user):
    """Give *user* a row in every kind of table we can reach from here."""
    StepProgress.objects.create(user=user, step_key="reevaluate/the-real-question")
    ConversationPlanFactory(user=user, feeling="canary")
    SelfCheckFactory(user=user)
    TOTP.activate(user, generate_totp_secret())


def reauthenticate(client, password):
    client.post("/accounts/reauthenticate/", {"password": password})


def test_deleting_removes_every_row_that_points_at_the_user(client, user, other_user, password):
    client.post("/accounts/login/", {"login": user.email, "password": password})
    old_cookie = client.cookies["sessionid"].value
    # Signed in on a second device too: deleting from the first must end that one as well.
    client.__class__().post("/accounts/login/", {"login": user.email, "password": password})
    fill_account(user)
    fill_account(other_user)
    reauthenticate(client, password)
    response = client.post("/accounts/delete/", {"confirm": "Delete my account"})
    assert response.status_code == 302

    assert not get_user_model().objects.filter(pk=user.pk).exists()
    for model, field in models_pointing_at_users():
        assert not model.objects.filter(**{field: user.pk}).exists(), model.__name__
    # The other user keeps everything.
    assert StepProgress.objects.filter(user=other_user).exists()
    # No session of theirs is left, and the old cookie is anonymous now.
    # Sessions are sealed (accounts.sessions): Session.get_decoded() reads {} for every
    # one of them, so decode through the site's own store and insist it read something.
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    for session in Session.objects.all():
        data = store().decode(session.session_data)
        assert data or not session.session_data, "a session this test cannot read"
        assert data.get("_auth_user_id") != str(user.pk)
    assert not UserSession.objects.filter(user_id=user.pk).exists()
    fresh = client.__class__()
    fresh.cookies["sessionid"] = old_cookie
    assert fresh.get("/accounts/email/").status_code == 302


def test_a_neutral_email_confirms_the_deletion(
    client, user, password, django_capture_on_commit_callbacks
):
    client.post("/accounts/login/", {"login": user.email, "password": password})
    reauthenticate(client, password)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/delete/", {"confirm": "delete my account"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    text = (message.subject + message.body).lower()
    for word in ("journal", "therapy", "partner", "boundar", "relationship"):
        assert word not in text


def test_a_wrong_confirmation_phrase_deletes_nothing_and_says_why(client, user, password):
    client.post("/accounts/login/", {"login": user.email, "password": password})
    reauthenticate(client, password)
    response = client.post("/accounts/delete/", {"confirm": "delete my acount"})
    assert response.status_code == 200
    assert "nothing was deleted" in response.text
    assert 'value="delete my acount"' in response.text
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_deleting_without_recent_authentication_asks_when_the_page_opens(
    stale_sign_in, user, password
):
    response = stale_sign_in.get("/accounts/delete/")
    assert response.headers["Location"] == "/accounts/reauthenticate/?next=%2Faccounts%2Fdelete%2F"
    response = stale_sign_in.post(response.headers["Location"], {"password": password})
    assert response.headers["Location"] == "/accounts/delete/"
    stale_sign_in.post("/accounts/delete/", {"confirm": "delete my account"})
    assert not get_user_model().objects.filter(pk=user.pk).exists()


def test_a_delete_posted_after_the_check_ran_out_still_asks_then_goes_through(
    stale_sign_in, user, password
):
    """The page was opened in time but left open: the POST is kept and resumed."""
    response = stale_sign_in.post("/accounts/delete/", {"confirm": "delete my account"})
    assert response.headers["Location"].startswith("/accounts/reauthenticate/")
    assert get_user_model().objects.filter(pk=user.pk).exists()
    stale_sign_in.post(response.headers["Location"], {"password": password})
    assert not get_user_model().objects.filter(pk=user.pk).exists()


@pytest.mark.parametrize("path", ["/accounts/", "/accounts/delete/"])
def test_the_settings_area_asks_anonymous_visitors_to_sign_in(client, path):
    assert client.get(path).headers["Location"].startswith("/accounts/login/")


def test_the_settings_area_gathers_everything(signed_in):
    html = signed_in.get("/accounts/").text
    for text in [
        "Email addresses",
        "Password",
        "Sign-in and security",
        "Signed-in sessions",
        "Delete",
    ]:
        assert text in html
