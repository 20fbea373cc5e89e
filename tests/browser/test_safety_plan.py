"""The safety plan in Chromium under the site's own headers: Referrer-Policy no-referrer
makes Chromium post with "Origin: null", which the site's CSRF middleware must accept."""

import re
import subprocess

from playwright.sync_api import expect

from safety.models import SafetyPlan

from .axe import assert_accessible


def test_a_visitor_fills_in_and_prints_then_a_person_saves(page, user, sign_in, tmp_path):
    documents: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda r: (
            documents.append((r.status, r.headers.get("referrer-policy", "")))
            if r.request.resource_type == "document"
            else None
        ),
    )
    page.goto("/tools/")
    page.get_by_role("link", name="Make a safety plan").click()
    history, loaded = page.evaluate("history.length"), len(documents)
    region, hotlines = page.get_by_label("Where I live"), page.get_by_label("Lines I can call")
    call_now = page.locator(".safety-plan__crisis li:visible")
    # Choosing a place changes every list of lines at once: the self-harm part's, and the
    # box of lines while it holds nothing typed by hand.
    region.select_option("Scotland")
    expect(call_now).to_have_text([re.compile(r"^Samaritans: 116 123")])
    assert hotlines.input_value().startswith("Emergency: 999.")
    hotlines.fill("My doctor: 01632 960 123")
    region.select_option("Canada")
    expect(call_now).to_have_text([re.compile(r"^9-8-8: Suicide Crisis Helpline: 988")])
    assert hotlines.input_value() == "My doctor: 01632 960 123"  # typed: kept
    region.select_option("Scotland")
    page.get_by_role("button", name="Fill in the lines for this place").click()
    page.get_by_role("status").filter(has_text="The lines for this place").wait_for()
    assert hotlines.input_value().startswith("Emergency: 999.")
    expect(call_now).to_have_text([re.compile(r"^Samaritans")])
    # Filled in from the page itself: no post, so no history entry holding the plan.
    assert len(documents) == loaded and page.evaluate("history.length") == history
    page.get_by_label("The signs I watch for").fill("Tapping the table")
    page.get_by_label("Safe to print").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Make the PDF").click()
    assert download.value.suggested_filename.startswith("notes-")
    pdf = tmp_path / "plan.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Tapping the table" in text and "safety" not in text.lower()
    assert_accessible(page)
    page.get_by_role("button", name="Print this page").click()  # no PDF made: the browser prints
    page.get_by_role("heading", name="Your plan, ready to print").wait_for()
    assert page.get_by_text("Tapping the table").is_visible() and page.title() == "Notes"
    page.get_by_role("button", name="Change the plan").click()  # Back would show it empty
    expect(page.get_by_label("The signs I watch for")).to_have_value("Tapping the table")
    assert page.get_by_label("Safe to print").is_checked()
    assert not SafetyPlan.objects.exists()

    sign_in(user)
    page.goto("/safety/plan/")
    page.get_by_label("A code word").fill("Pineapple")
    page.get_by_role("button", name="Save my plan").click()
    page.get_by_text("Your safety plan is saved").wait_for()
    assert page.get_by_label("A code word").input_value() == "Pineapple"
    assert SafetyPlan.objects.filter(user=user).exists()
    assert {policy for _, policy in documents} == {"no-referrer"}
    assert all(status < 400 for status, _ in documents), documents


def test_a_place_chosen_before_the_script_ran_shows_its_lines(page):
    # On a slow phone the list can be changed while the page's script is still on its
    # way: once it runs, the page shows the chosen place's lines, as a change would.
    held = []
    page.route("**/safety-plan*.js", lambda route: held.append(route))
    page.goto("/safety/plan/", wait_until="commit")
    region = page.get_by_label("Where I live")
    region.select_option("Scotland")
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()
    expect(page.locator(".safety-plan__crisis li:visible")).to_have_text(
        [re.compile(r"^Samaritans: 116 123")]
    )
    assert page.get_by_label("Lines I can call").input_value().startswith("Emergency: 999.")
