import pytest

# The exit's scripts and the browser's history, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = pytest.mark.any_engine


@pytest.fixture
def neutral_site(settings, live_server):
    """Stand in for the neutral site: a page of our own server that shows nothing private."""
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz"
    return settings.QUICK_EXIT_URL


def test_the_exit_button_leaves_signs_out_and_back_shows_nothing_private(
    page, user, sign_in, neutral_site
):
    page.goto("/guides/")
    sign_in(user)
    page.goto("/accounts/email/")
    assert user.email in page.content()
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(neutral_site)
    page.go_back()
    # The private page was replaced in history: back goes to the page before it,
    # and it no longer shows anything of the user's, who is signed out.
    assert user.email not in page.content()
    page.goto("/accounts/email/")
    assert "/accounts/login/" in page.url


def test_pressing_shift_three_times_exits(page, user, sign_in, neutral_site):
    sign_in(user)
    page.goto("/guides/understand-the-resistance/")
    page.locator("h1").click()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_site)
    page.goto("/accounts/email/")
    assert "/accounts/login/" in page.url


def test_shift_used_for_typing_does_not_exit(page, neutral_site):
    page.goto("/guides/search/")
    page.get_by_label("Search the guides").click()
    page.keyboard.type("Hello There Friend")
    page.wait_for_timeout(300)
    assert "/guides/search/" in page.url


def test_without_javascript_the_exit_link_still_works(browser, live_server, neutral_site):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/safety/")
    link = page.get_by_role("link", name="Exit this page")
    assert link.get_attribute("rel") == "noreferrer"
    link.click()
    page.wait_for_url(neutral_site)
    context.close()
