"""/for-your-partner/ in Chromium on a phone: a quiet page with no exit bar, menu or footer,
a neutral tab title, the reading column fitting the screen, and nothing for axe to find."""

import os

import pytest

from .axe import assert_accessible

# One public page's layout and scripts, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = pytest.mark.any_engine

PHONE = 390


def test_the_partner_page_on_a_phone_has_no_menu_footer_or_exit_bar(page):
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto("/for-your-partner/")
    assert page.title() == "About couples therapy"
    for selector in (".exit-bar", ".site-header", "nav", "footer"):
        assert page.locator(selector).count() == 0, selector
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert_accessible(page)  # also without the header's landmarks
    if folder := os.environ.get("SAFETY_SCREENSHOTS"):  # to look at them: a folder name
        for width in (PHONE, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/partner-page-{width}.png", full_page=True)


def test_without_javascript_the_copy_and_print_buttons_stay_hidden(browser, live_server):
    """They carry `hidden` until the script shows them; .button's display must not undo it."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/for-your-partner/")
    assert page.locator("button[data-copy]").count() == 1
    assert not page.locator("button[data-copy]").is_visible()
    assert not page.locator("button[data-print]").is_visible()
    assert page.locator("#share-url").is_visible()  # the address is there to copy by hand
    context.close()
