"""Boundary plans in a real browser: the builder with and without JavaScript, the
PDF as downloaded (from its job's progress page) and rendered to images, print
styles, and axe on every page."""

import datetime
import io
import subprocess
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.crypto import user_keys
from boundaries import services
from boundaries.models import Plan, PlanContent
from boundaries.selectors import plan_content
from tests.factories import BoundaryContentFactory, PlanFactory
from tests.tasks import run_tasks

from .axe import assert_accessible
from .safety import answer_safety_check, mark_safety_checked


def add_example(page, title: str) -> None:
    page.get_by_role("button", name=f"Add the example “{title}”").click()


def boundary_actions(page) -> list[str]:
    return page.locator(".boundary-doc__text--action").all_inner_texts()


def test_a_person_meets_the_check_then_builds_reorders_and_prints_a_plan(
    page, user, password, tmp_path
):
    # Signed out, the builder asks to sign in first; then, in this new sitting, the safety
    # check at the builder's own address and title; "No" to all of it, then the builder.
    page.goto("/plans/new/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="A few questions first").wait_for()
    assert urlsplit(page.url).path == "/plans/new/"
    assert page.title().startswith("New boundary plan")
    answer_safety_check(page)
    page.get_by_role("heading", name="A new boundary plan").wait_for()
    assert urlsplit(page.url).path == "/plans/new/"
    page.evaluate("window.stillThisPage = true")
    page.get_by_label("Title").fill("Looking after myself")
    page.get_by_label("Why this plan matters to me").fill("Sleep, and peace at home.")
    first = page.locator("[data-boundary]").first
    first.get_by_label("The need or value behind it").fill("Rest")
    first.get_by_label("The boundary: what I will do").fill("You must stop raising it at night.")
    # The gentle check answers as you type, and only advises.
    advice = first.locator(".wording-advice")
    advice.wait_for()
    assert "tells your partner what they have to do" in advice.inner_text()
    # A sign of control gets the safety note instead, with its links, and no rewrite.
    first.get_by_label("The boundary: what I will do").fill("You must stop checking my phone.")
    advice.get_by_role("link", name="Make a safety plan").wait_for()
    assert "A note about safety" in advice.inner_text()
    assert "tells your partner" not in advice.inner_text()
    first.get_by_label("The boundary: what I will do").fill("I will stop talks about us at ten.")
    advice.wait_for(state="detached")

    assert page.locator("details.examples[open]").count() == 1  # open on a new plan
    add_example(page, "A time limit for talks that go nowhere")
    add_example(page, "Taking a break when it gets too much")
    page.get_by_role("button", name="Add a blank boundary").click()
    assert page.locator("[data-boundary]:visible").count() == 4
    assert page.evaluate("window.stillThisPage")  # no round trip
    page.get_by_role("button", name="Remove boundary 4").click()
    assert "Boundary 4 is removed" in page.locator("[data-status]").inner_text()
    page.get_by_role("button", name="Move up boundary 3").click()
    assert "Boundary 3 is now boundary 2" in page.locator("[data-status]").inner_text()
    assert page.evaluate("document.activeElement.textContent").startswith("Move up")
    page.get_by_role("button", name="Save plan").first.click()

    page.wait_for_url("**/plans/*/")
    actions = boundary_actions(page)
    assert actions[0] == "I will stop talks about us at ten."
    assert actions[1].startswith("I will take a short break")
    assert actions[2].startswith("I will give difficult talks")
    plan = plan_content(Plan.objects.get(), user_keys(user))
    assert [b.action for b in plan.boundaries] == actions

    # Print the PDF from the plan's page: not made before, so the worker makes it while
    # the job's page shows how far it has got; then look at every page as an image.
    page.get_by_label("US Letter").check()
    page.get_by_label("Who supports me").uncheck()
    page.get_by_role("button", name="Download PDF").click()
    page.wait_for_url("**/jobs/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Making a PDF")
    assert run_tasks() == 1
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_focused()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download", exact=True).click()
    assert download.value.suggested_filename == "looking-after-myself.pdf"
    pdf_path = tmp_path / "plan.pdf"
    download.value.save_as(pdf_path)
    reader = PdfReader(pdf_path)
    text = "".join(p.extract_text() for p in reader.pages)
    assert text.index("I will stop talks") < text.index("I will take a short break")
    assert "WHO SUPPORTS ME" not in text
    subprocess.run(["pdftoppm", "-r", "50", "-png", "plan.pdf", "page"], cwd=tmp_path, check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(reader.pages) >= 2
    for path in images:
        image = Image.open(path).convert("L")
        width, height = image.size
        assert height / width == pytest.approx(11 / 8.5, rel=0.01)  # US Letter
        assert image.getextrema()[0] < 100  # there is text on it
        header = image.crop((0, 0, width, int(height * 0.06)))
        if path != images[0]:
            assert header.getextrema()[0] < 200  # the running title and date


def test_the_builder_works_with_javascript_switched_off(page_without_js, user):
    page = page_without_js
    mark_safety_checked(page)  # met for real in the first test
    page.goto("/plans/new/")
    page.get_by_label("Title").fill("Without scripts")
    page.get_by_label("The boundary: what I will do").fill("I will go to bed at ten.")
    add_example(page, "Stepping out of the same old argument")
    expect(page.locator("body")).to_contain_text("The example is added as boundary 2")
    page.get_by_role("button", name="Move up boundary 2").click()
    expect(page.locator("body")).to_contain_text("Boundary 2 is now boundary 1")
    page.get_by_role("button", name="Save plan").first.click()
    page.wait_for_url("**/plans/*/")
    plan = plan_content(Plan.objects.get(), user_keys(user))
    assert plan.title == "Without scripts"
    assert plan.boundaries[-1].action == "I will go to bed at ten."
    assert plan.boundaries[0].action.startswith("I will notice when we are replaying")


def test_printing_the_page_from_the_browser_uses_the_pdf_layout(page, user, sign_in):
    plan = PlanFactory(user=user)
    sign_in(user)
    page.goto(f"/plans/{plan.pk}/")
    page.emulate_media(media="print")
    assert not page.locator(".plan-toolbar").is_visible()
    assert not page.locator(".print-card").is_visible()
    assert not page.locator(".site-header").is_visible()
    style = page.locator(".boundary-doc__text--action").first.evaluate(
        "e => [getComputedStyle(e).fontSize, getComputedStyle(e).fontFamily]"
    )
    assert style[0] == "16px"  # 12pt, as in plan-pdf.css
    assert style[1].startswith('"Atkinson Hyperlegible Next"')
    title_size = page.locator(".plan-doc__title").evaluate("e => getComputedStyle(e).fontSize")
    assert title_size == "29.3333px"  # 22pt


def test_a_removed_boundary_can_be_brought_back(page, user, sign_in):
    plan = PlanFactory(user=user)
    sign_in(user)
    mark_safety_checked(page)
    page.goto(f"/plans/{plan.pk}/edit/")
    page.get_by_role("button", name="Remove boundary 2").click()
    assert page.locator("[data-boundary]:visible").count() == 2
    page.get_by_role("button", name="Undo").click()
    assert page.locator("[data-boundary]:visible").count() == 3
    page.get_by_role("button", name="Save plan").first.click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    assert "Nothing had changed" in page.content()


@pytest.mark.any_engine  # what axe finds does not depend on the database
def test_every_plan_page_passes_axe(page, user, sign_in):
    sign_in(user)
    mark_safety_checked(page)  # the builder's pages themselves (the check: test_safety_check)
    page.goto("/plans/")
    assert_accessible(page)  # empty
    today = timezone.localdate()
    plan = PlanFactory(user=user, boundaries=[
        BoundaryContentFactory(review_on=today - datetime.timedelta(days=2), status="holding"),
        BoundaryContentFactory(say="You need to listen to me.", status="revisit"),
    ])  # fmt: skip
    services.plan_update(plan=plan, content=PlanContent(title="Renamed", boundaries=(
        BoundaryContentFactory(),
    )))  # fmt: skip
    empty = PlanFactory(user=user, boundaries=0)
    services.plan_restore_version(plan=plan, version=plan.versions.get(number=1))
    for path in [
        "/plans/",
        "/",
        "/plans/new/",
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/edit/",
        f"/plans/{plan.pk}/history/",
        f"/plans/{plan.pk}/versions/2/",
        f"/plans/{plan.pk}/compare/?a=1&b=2",
        f"/plans/{plan.pk}/delete/",
        f"/plans/{empty.pk}/",
        f"/plans/{empty.pk}/pdf/",
    ]:
        page.goto(path)
        assert_accessible(page)
    # The builder with errors, and at phone width.
    page.goto(f"/plans/{plan.pk}/edit/")
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save plan").first.click()
    expect(page.locator("body")).to_contain_text("isn't saved yet")
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    for path in [f"/plans/{plan.pk}/", f"/plans/{plan.pk}/compare/?a=1&b=2", "/plans/new/"]:
        page.goto(path)
        assert_accessible(page, dark_too=False)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_pdf_holds_the_page_it_was_asked_for(page, user, sign_in):
    plan = PlanFactory(user=user, title="Plan title")
    sign_in(user)
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_label("Safe to print").check()
    page.get_by_role("button", name="Download PDF").click()
    page.wait_for_url("**/jobs/*/")
    run_tasks()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download", exact=True).click(timeout=10_000)
    assert download.value.suggested_filename.startswith("notes-")
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    assert reader.metadata.title == "Notes"


def test_words_typed_before_the_script_ran_get_the_wording_check(page, user, sign_in):
    # A slow phone: a boundary is written while plans.js is still on its way; once it
    # runs, the gentle check answers for what is already there, as it would for a key.
    sign_in(user)
    mark_safety_checked(page)
    held = []
    page.route("**/plans*.js", lambda route: held.append(route))
    page.goto("/plans/new/", wait_until="commit")
    first = page.locator("[data-boundary]").first
    first.get_by_label("The boundary: what I will do").fill("You must stop raising it at night.")
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()
    expect(first.locator(".wording-advice")).to_contain_text("tells your partner what they")
