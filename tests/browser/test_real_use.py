"""The guides, the conversation planner, the self-check and boundary plans, used in Chromium
the way a person uses them: every form filled in and submitted by clicking, under the
site's own security headers (Referrer-Policy: no-referrer makes Chromium send
"Origin: null"). Any page answered with a 403 or a 5xx fails the test, as does any
address that carries what was answered or searched for.

The sign-up test reads the confirmation link exactly as `make run` prints it in the
terminal (the development email backend) and follows it.
"""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.crypto import user_keys
from boundaries.models import Plan
from boundaries.selectors import plan_title
from guides.models import ConversationPlan, SelfCheck, StepProgress
from journal.models import JournalEntry
from tests.factories import PASSWORD
from tests.tasks import run_tasks

from .safety import answer_safety_check

STEP = "/guides/understand-the-resistance/not-about-you/"
STEP_KEY = "understand-the-resistance/not-about-you"
SEARCH = "he won't go to therapy"


@pytest.fixture
def watched(page):
    """The page, failing the test on any document answered 403 or 5xx, or any address
    that carries an answer or a search."""
    bad: list[str] = []
    policies: set[str] = set()

    def on_response(response):
        if response.request.resource_type != "document":
            return
        policies.add(response.headers.get("referrer-policy", ""))
        if response.status == 403 or response.status >= 500:
            bad.append(f"{response.status} {response.request.method} {response.url}")
        query = urlsplit(response.url).query
        if "afraid" in query or "therapy" in query or "q=" in query:
            bad.append(f"an answer in the address: {response.url}")

    page.on("response", on_response)
    yield page
    assert bad == []
    # The production header that makes Chromium post forms with "Origin: null".
    assert policies == {"no-referrer"}


def submit(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    page.wait_for_load_state()


def test_a_signed_out_reader_searches_and_marks_a_step_done(watched, user, sign_in):
    page = watched
    page.goto("/guides/")
    page.get_by_label("Search the guides").fill(SEARCH)
    submit(page, "Search")
    assert urlsplit(page.url).path == "/guides/search/" and not urlsplit(page.url).query
    assert page.locator(".search-results li").count() > 0
    assert "therapy" not in page.title()
    page.goto("/guides/search/")
    submit(page, "boundaries")
    assert page.locator(".search-results li").count() > 0

    page.goto(STEP)
    submit(page, "Mark as done")
    assert urlsplit(page.url).path == "/accounts/login/"
    assert "will be marked as done" in page.content()
    page.locator('input[name="login"]').fill(user.email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert urlsplit(page.url).path == STEP
    assert "is marked as done" in page.content()
    assert StepProgress.objects.filter(user=user, step_key=STEP_KEY).exists()

    page.goto("/guides/understand-the-resistance/")
    page.get_by_role("link", name="Continue with step 2").click()
    assert urlsplit(page.url).path == "/guides/understand-the-resistance/the-fears-underneath/"


def test_signing_up_with_the_link_printed_in_the_terminal_keeps_the_step(
    watched, settings, capsys, db
):
    """Mark a step done signed out, sign up, copy the link from the terminal's email."""
    settings.MAILERS = {"default": {"BACKEND": "config.development.ConsoleEmailBackend"}}
    page = watched
    page.goto(STEP)
    submit(page, "Mark as done")
    page.locator('a[href^="/accounts/signup/"]').first.click()
    page.locator('input[name="email"]').fill("new.reader@example.org")
    page.locator('input[name="password1"]').fill(PASSWORD)
    page.locator('input[name="password2"]').fill(PASSWORD)
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_url(lambda url: "/accounts/signup/" not in url)

    printed = capsys.readouterr().out
    (line,) = [line for line in printed.splitlines() if "/confirm-email/" in line]
    link = re.search(r"https?://\S+", line).group(0)
    # The printed link names the address `make run` serves on; the test server's port differs.
    page.goto(urlsplit(link).path)
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_load_state()
    assert EmailAddress.objects.get(email="new.reader@example.org").verified
    assert StepProgress.objects.filter(step_key=STEP_KEY).count() == 1
    page.goto(STEP)
    assert "You've marked this step as done" in page.content()


def test_the_conversation_planner_from_plan_to_journal_and_back(watched, user, sign_in):
    page = watched
    sign_in(user)
    page.goto("/conversation-planner/")
    answer_safety_check(page)  # the planner plans a talk with the partner: the check first
    page.get_by_role("link", name="Start a new plan").click()
    page.get_by_label("I feel …").fill("lonely")
    page.get_by_label("when …").fill("we eat in silence")
    page.get_by_label("My opening line").fill("Can I share something with you?")
    submit(page, "Save plan")
    expect(page.locator("body")).to_contain_text("Your conversation plan is saved")

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("What happened").fill("We talked, briefly.")
    page.get_by_label("What I felt").fill("Relieved.")
    submit(page, "Save plan")
    submit(page, "Save the debrief to my journal")
    expect(page.locator("body")).to_contain_text("Your debrief is saved in your journal")
    entry = JournalEntry.objects.get()
    page.get_by_role("link", name="Open the journal entry").wait_for()
    submit(page, "Update the journal entry")
    expect(page.locator("body")).to_contain_text("already in your journal")
    assert JournalEntry.objects.count() == 1
    assert page.get_by_role("link", name="Open the journal entry").get_attribute("href") == (
        entry.get_absolute_url()
    )

    page.get_by_role("link", name="Delete").click()
    submit(page, "Delete the plan")
    assert ConversationPlan.objects.count() == 0


def test_the_self_check_taken_twice_compared_and_deleted(watched, user, sign_in):
    page = watched
    sign_in(user)
    for value in ("2", "4"):
        page.goto("/self-check/")
        for radio in page.locator(f'input[type="radio"][value="{value}"]').all():
            radio.check()
        page.get_by_label("A note to your future self").fill(f"Sitting {value}")
        submit(page, "Save my answers")
        expect(page.locator("body")).to_contain_text("Your answers are saved")
    page.goto("/self-check/")
    submit(page, "Compare side by side")
    assert urlsplit(page.url).path == "/self-check/compare/"
    page.goto(SelfCheck.objects.first().get_absolute_url())
    page.locator('a[href$="/delete/"]').first.click()
    submit(page, "Delete")
    assert SelfCheck.objects.count() == 1


def test_a_boundary_plan_built_printed_compared_restored_and_deleted(
    watched, user, sign_in, tmp_path
):
    page = watched
    sign_in(user)
    page.goto("/plans/")
    page.get_by_role("link", name="Start a new plan").click()
    answer_safety_check(page)  # the builder is where consequences are written: the check first
    page.get_by_label("Title").fill("Evenings")
    page.get_by_label("The boundary: what I will do").first.fill("I will go to bed at ten.")
    submit(page, "Save plan")
    plan = Plan.objects.get()
    page.goto(f"/plans/{plan.pk}/edit/")
    page.get_by_label("Title").fill("My evenings")
    submit(page, "Save plan")

    page.goto(plan.get_absolute_url())
    submit(page, "Download PDF")  # made by the worker: its job's page, then its button
    page.wait_for_url("**/jobs/*/")
    run_tasks()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download", exact=True).click(timeout=10_000)
    assert download.value.suggested_filename.endswith(".pdf")

    page.goto(f"/plans/{plan.pk}/history/")
    submit(page, "Compare side by side")
    submit(page, "Restore version 1")
    plan.refresh_from_db()
    assert plan_title(plan, user_keys(plan.user)) == "Evenings"

    page.goto(plan.get_absolute_url())
    submit(page, "Duplicate")
    assert Plan.objects.count() == 2
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Delete").first.click()
    submit(page, "Delete the plan")
    assert Plan.objects.count() == 1


def test_search_and_mark_as_done_work_without_javascript(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/guides/search/")
        page.get_by_label("Search the guides").fill("boundaries")
        submit(page, "Search")
        assert page.locator(".search-results li").count() > 0
        page.goto(STEP)
        submit(page, "Mark as done")
        page.locator('input[name="login"]').fill(user.email)
        page.locator('input[name="password"]').fill(PASSWORD)
        page.locator('form button[type="submit"]').first.click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        assert StepProgress.objects.filter(user=user, step_key=STEP_KEY).exists()
    finally:
        context.close()
