"""/safety/ in Chromium: it fits a phone and a laptop, passes axe at both widths, and its
numbers can be tapped to call."""

import os

import pytest

from .axe import assert_accessible

# One public page's layout, axe and links, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = pytest.mark.any_engine

PHONE, LAPTOP = 390, 1280


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_the_safety_page_fits_the_screen_and_passes_axe(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/safety/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for card in page.locator(".lines .card").all():
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, card.inner_text()[:60]
    assert_accessible(page)
    if folder := os.environ.get("SAFETY_SCREENSHOTS"):  # to look at them: a folder name
        page.screenshot(path=f"{folder}/safety-{width}.png", full_page=True)


def test_a_crisis_number_is_a_link_that_dials_it(page):
    page.goto("/safety/")
    crisis = page.locator("#your-crisis").locator("xpath=..")
    link = crisis.get_by_role("link", name="116 123").first
    assert link.get_attribute("href") == "tel:116123"
