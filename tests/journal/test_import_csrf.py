"""The import form is checked by the site's own CSRF rules, once, like every other form.

Under Referrer-Policy: no-referrer, Chromium posts same-site forms with
"Origin: null" and Sec-Fetch-Site: same-origin. The site's middleware accepts
that; the import view used to run Django's csrf_protect as well, which refused
it with a 403 (issue 13). Django's test client sends no Origin unless told to.
"""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from journal.models import JournalEntry
from tests.journal.conftest import finish_job

EXPORT = json.dumps(
    {"format": "common-ground-journal", "version": 1,
     "entries": [{"date": "2026-03-14", "body": "From the browser."}]}
).encode()  # fmt: skip


@pytest.fixture
def strict_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token_of(client) -> str:
    page = client.get("/journal/import/").text
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "the import page has no CSRF token"
    return found[1]


def post(client, token: str | None, **headers):
    data: dict[str, object] = {"file": SimpleUploadedFile("journal.json", EXPORT)}
    if token is not None:
        data["csrfmiddlewaretoken"] = token
    return client.post("/journal/import/", data, headers={"Host": "testserver", **headers})


def test_a_browser_post_with_origin_null_from_the_same_site_imports(strict_client, user):
    token = token_of(strict_client)
    response = post(strict_client, token, Origin="null", **{"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303 and response["Location"].startswith("/jobs/")
    finish_job(strict_client, response)
    assert JournalEntry.objects.filter(user=user).count() == 1


def test_a_post_from_the_sites_own_origin_imports(strict_client, user):
    token = token_of(strict_client)
    response = post(strict_client, token, Origin="http://testserver")
    assert response.status_code == 303


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "null"},
        {"Origin": "https://elsewhere.example"},
    ],
)
def test_a_post_from_another_site_is_still_refused(strict_client, user, headers):
    token = token_of(strict_client)
    assert post(strict_client, token, **headers).status_code == 403
    assert not JournalEntry.objects.exists()


def test_a_post_without_the_token_is_refused(strict_client):
    token_of(strict_client)  # the cookie is set; the form field is missing
    response = post(strict_client, None, Origin="null", **{"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 403
    assert not JournalEntry.objects.exists()
