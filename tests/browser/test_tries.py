"""What we tried, in a real browser under the production headers: the form submits (no 403
with Origin: null), the try is saved sealed and shown in the list and the chart, at phone
and laptop widths, with no axe violations."""

from accounts.crypto import user_keys
from journal.models import Try
from journal.selectors import try_content

from .axe import assert_accessible


def test_noting_a_try_through_the_form_saves_it_and_draws_its_bar(page, user, sign_in):
    sign_in(user)
    page.goto("/journal/")
    page.get_by_role("link", name="What we tried").click()
    page.wait_for_url("**/journal/tried/")
    page.get_by_label("When").fill("2026-03-14")
    page.get_by_label("What you tried").fill("Phone-free dinner")
    page.get_by_label("Both of us").check()
    page.locator('input[name="closeness"][value="7"]').check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Saved to what you tried." in page.locator(".messages").inner_text()
    assert "Phone-free dinner" in page.locator(".tries-list").inner_text()
    (row,) = Try.objects.filter(user=user)
    opened = try_content(row, user_keys(user))
    assert (opened.what, opened.suggested_by, opened.closeness) == ("Phone-free dinner", "both", 7)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.locator("rect.tries-chart__bar:visible").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
