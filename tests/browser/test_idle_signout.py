import pytest

# The idle warning's timers in the page, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = pytest.mark.any_engine


def test_an_idle_page_warns_then_staying_keeps_the_session(page, user, sign_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 12
    settings.SESSION_IDLE_WARNING = 10
    sign_in(user)
    page.goto("/guides/")
    notice = page.get_by_role("alertdialog")
    notice.wait_for(timeout=15_000)
    assert "signed out" in notice.inner_text()
    page.get_by_role("button", name="Stay signed in").click()
    notice.wait_for(state="detached")
    page.goto("/accounts/email/")
    assert "/accounts/email/" in page.url


def test_an_idle_page_signs_out_when_time_is_up(page, user, sign_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 6
    settings.SESSION_IDLE_WARNING = 3
    sign_in(user)
    page.goto("/accounts/email/")
    page.wait_for_url("**/accounts/login/**", timeout=20_000)
    assert user.email not in page.locator("main").inner_text()
    assert "without activity" in page.locator("main").inner_text()
