import time

from django.contrib.messages import get_messages


def age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_an_active_session_carries_on(signed_in):
    signed_in.get("/guides/")
    age_session(signed_in, activity_at=10 * 60)
    assert signed_in.get("/accounts/email/").status_code == 200


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(signed_in, settings):
    signed_in.get("/guides/")
    age_session(signed_in, activity_at=settings.SESSION_IDLE_TIMEOUT + 5)
    response = signed_in.get("/accounts/email/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=/accounts/email/"
    assert "_auth_user_id" not in signed_in.session
    assert any("30 minutes without activity" in str(m) for m in get_messages(response.wsgi_request))


def test_the_idle_limit_is_configurable(signed_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    signed_in.get("/guides/")
    age_session(signed_in, activity_at=6 * 60)
    assert signed_in.get("/accounts/email/").status_code == 302


def test_a_session_older_than_the_absolute_maximum_ends_even_when_active(signed_in, settings):
    signed_in.get("/guides/")
    age_session(signed_in, signed_in_at=settings.SESSION_ABSOLUTE_TIMEOUT + 5, activity_at=1)
    response = signed_in.get("/accounts/email/")
    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session


def test_keepalive_counts_as_activity(signed_in):
    signed_in.get("/guides/")
    age_session(signed_in, activity_at=29 * 60)
    assert signed_in.post("/accounts/keepalive/").status_code == 204
    assert time.time() - signed_in.session["activity_at"] < 5


def test_signed_in_pages_tell_the_script_when_to_warn(signed_in, settings):
    html = signed_in.get("/guides/").text
    assert f'data-idle-timeout="{settings.SESSION_IDLE_TIMEOUT}"' in html
    assert 'data-keepalive-url="/accounts/keepalive/"' in html
