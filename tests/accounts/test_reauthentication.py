"""Sensitive pages ask for the password once, when opened, then not again in the sitting.

Before: the account export showed its page and asked on the click, while the
journal export asked when opened; and allauth did not count the sign-in itself,
so a person who had just typed their password was asked for it again, and again
five minutes later (ACCOUNT_REAUTHENTICATION_TIMEOUT was 300 s).
"""

import pytest
from django.urls import reverse
from django.utils.module_loading import import_string

from jobs.models import Job
from tests.tasks import finish_job

from .conftest import age_checks

SENSITIVE_PAGES = ["/accounts/export/", "/accounts/delete/", "/journal/export/"]


def test_the_check_lasts_a_sitting(settings):
    timeout = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    assert 15 * 60 <= timeout <= 30 * 60
    assert timeout <= settings.SESSION_IDLE_TIMEOUT  # an idle sitting ends first


@pytest.fixture
def fresh_sign_in(client, user, password):
    client.post("/accounts/login/", {"login": user.email, "password": password})
    return client


@pytest.mark.parametrize("path", SENSITIVE_PAGES)
def test_a_fresh_sign_in_is_the_check(fresh_sign_in, path):
    assert fresh_sign_in.get(path).status_code == 200


def test_a_fresh_sign_in_covers_changes_too(fresh_sign_in):
    response = fresh_sign_in.post(
        "/accounts/email/", {"action_add": "", "email": "second@example.org"}
    )
    assert response.headers["Location"] == "/accounts/email/"


def test_a_fresh_sign_in_covers_two_step_changes(fresh_sign_in):
    assert fresh_sign_in.get("/accounts/2fa/totp/activate/").status_code == 200
    assert fresh_sign_in.get("/accounts/2fa/webauthn/add/").status_code == 200


@pytest.mark.parametrize("path", SENSITIVE_PAGES)
def test_later_the_page_asks_when_opened_in_our_words(stale_sign_in, path):
    response = stale_sign_in.get(path)
    assert response.status_code == 302
    assert (
        response.headers["Location"] == f"/accounts/reauthenticate/?next={path.replace('/', '%2F')}"
    )
    page = stale_sign_in.get(response.headers["Location"]).text
    assert "Confirm it&#x27;s you" in page or "Confirm it's you" in page
    assert "won't ask again for the next 30 minutes" in page.replace("&#x27;", "'")
    assert "reauthenticate" not in page.split("<main", 1)[1].split("</main>")[0].lower().replace(
        'action="/accounts/reauthenticate/"', ""
    )


def test_after_the_check_the_page_and_its_download_do_not_ask_again(stale_sign_in, password):
    response = stale_sign_in.post(
        "/accounts/reauthenticate/?next=/accounts/export/", {"password": password}
    )
    assert response.headers["Location"] == "/accounts/export/"
    assert stale_sign_in.get("/accounts/export/").status_code == 200
    download = finish_job(stale_sign_in, stale_sign_in.post("/accounts/export/"))
    assert download["Content-Type"] == "application/zip"
    assert stale_sign_in.get("/journal/export/").status_code == 200  # same sitting, other page


def test_a_check_holds_until_the_timeout_then_asks_once_more(stale_sign_in, password, settings):
    stale_sign_in.post("/accounts/reauthenticate/", {"password": password})
    age_checks(stale_sign_in, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT - 60)
    assert stale_sign_in.get("/accounts/delete/").status_code == 200
    age_checks(stale_sign_in, 61)
    assert (
        stale_sign_in.get("/accounts/delete/")
        .headers["Location"]
        .startswith(reverse("account_reauthenticate"))
    )


def test_a_session_that_never_typed_a_password_is_asked(signed_in):
    """force_login leaves no sign-in record: nothing to count as a check."""
    assert signed_in.get("/accounts/export/").status_code == 302


def test_a_ready_archive_asks_for_the_password_again_when_the_check_has_lapsed(
    fresh_sign_in, user, password, settings
):
    """The archive waits up to a day: whoever holds the session later must type the password."""
    started = fresh_sign_in.post("/accounts/export/")
    finish_job(fresh_sign_in, started)  # downloaded while the check holds
    job = Job.objects.get()
    job.delete()
    started = fresh_sign_in.post("/accounts/export/")
    job = Job.objects.get()
    import_string(job.task_path).call(str(job.pk))
    age_checks(fresh_sign_in, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)
    response = fresh_sign_in.post(f"/jobs/{job.pk}/download/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/reauthenticate/?next=%2Fjobs%2F{job.pk}%2F"
    job.refresh_from_db()
    assert bytes(job.sealed_result) and not job.downloaded  # still there for after the check
    fresh_sign_in.post(response["Location"], {"password": password})
    download = fresh_sign_in.post(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
