from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret


def test_the_second_step_offers_a_cancel_that_signs_out_to_the_sign_in_page(client, user, password):
    TOTP.activate(user, generate_totp_secret())
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": password}, follow=True
    )
    assert response.request["PATH_INFO"] == "/accounts/2fa/authenticate/"
    html = response.content.decode()
    assert 'form="logout-from-stage"' in html
    assert '<form id="logout-from-stage" method="post" action="/accounts/logout/">' in html
    assert '<input type="hidden" name="next" value="/accounts/login/">' in html

    response = client.post("/accounts/logout/", {"next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
