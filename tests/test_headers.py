import re

import pytest

PUBLIC_PAGES = ["/", "/safety/", "/guides/", "/accounts/login/", "/accounts/signup/"]


def csp_of(response):
    return response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_has_a_strict_csp_with_a_nonce(client, path):
    policy = csp_of(client.get(path))
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert re.search(r"script-src 'self' 'nonce-[A-Za-z0-9_\-+/=]{16,}'", policy)


def test_the_nonce_is_fresh_for_every_response(client):
    nonces = {re.search(r"'nonce-([^']+)'", csp_of(client.get("/")))[1] for _ in range(3)}
    assert len(nonces) == 3


def test_the_nonce_in_the_header_is_the_one_on_the_page(client):
    response = client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", csp_of(response))[1]
    assert f'nonce="{nonce}"' in response.text


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_sends_the_privacy_headers(client, path):
    response = client.get(path)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_pages_for_a_signed_in_person_are_never_stored(signed_in):
    for path in ["/", "/guides/", "/accounts/email/"]:
        cache_control = signed_in.get(path).headers["Cache-Control"]
        assert "no-store" in cache_control, path
        assert "private" in cache_control, path


def test_pages_make_no_request_to_another_host(client):
    for path in PUBLIC_PAGES:
        html = client.get(path).text
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            if url.startswith(("http://", "https://", "//")):
                assert 'rel="noreferrer"' in html, (path, url)
        assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', html), path


def test_same_origin_form_posts_pass_csrf_under_no_referrer(client, user, password):
    """Browsers send "Origin: null" under no-referrer; Sec-Fetch-Site vouches instead."""
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.get("/accounts/login/")
    token = csrf_client.cookies["csrftoken"].value
    form = {"login": user.email, "password": password, "csrfmiddlewaretoken": token}
    same_site = csrf_client.post(
        "/accounts/login/", form, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert same_site.status_code == 302


def test_cross_site_form_posts_are_still_refused(client, user, password):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.get("/accounts/login/")
    token = csrf_client.cookies["csrftoken"].value
    form = {"login": user.email, "password": password, "csrfmiddlewaretoken": token}
    for site in ["cross-site", "same-site", "none"]:
        response = csrf_client.post(
            "/accounts/login/", form, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE=site
        )
        assert response.status_code == 403, site
    evil = csrf_client.post("/accounts/login/", form, HTTP_ORIGIN="https://evil.example")
    assert evil.status_code == 403
