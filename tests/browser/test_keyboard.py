"""Keyboard only: signing in, reading a guide step, writing an entry and exporting a plan.

Only page.keyboard moves through the site: Tab, Shift+Tab, Enter, Space and typing,
never a click. At every focus stop the focused element must show a focus ring
(an outline, or a box-shadow) and be in the viewport, not hidden under anything.
"""

import pytest
from django.utils import timezone

from accounts.crypto import user_keys
from boundaries.models import BoundaryContent, PlanContent
from boundaries.services import plan_create
from guides.content import site_content
from guides.models import StepProgress
from journal.models import JournalEntry
from journal.selectors import entry_content
from tests.tasks import run_tasks

# Focus order and keyboard use, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = pytest.mark.any_engine

MAX_STOPS = 80  # Tab presses to reach a control before the walk gives up

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const hit = document.elementFromPoint(
    Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1),
    Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1),
  );
  return {
    what: el.outerHTML.slice(0, 160),
    ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
      || (style.boxShadow !== "none" && style.boxShadow !== ""),
    // Seen: all of it, or for a tall element (a textarea) a good part of it.
    inside: box.width > 1 && box.height > 1
      && Math.min(box.bottom, innerHeight) - Math.max(box.top, 0) >= Math.min(box.height, 24) - 1
      && Math.min(box.right, innerWidth) - Math.max(box.left, 0) >= Math.min(box.width, 24) - 1,
    uncovered: !!hit && (el.contains(hit) || hit.contains(el)
      || [...(el.labels || [])].some(label => label.contains(hit))),
  };
}"""


def focus_stop(page) -> dict:
    """The focused element, asserted to be visibly focused, in view and not covered."""
    focus = page.evaluate(FOCUS)
    assert focus is not None, f"Focus was lost on {page.url}"
    assert focus["ring"], f"No visible focus ring on {page.url}: {focus['what']}"
    assert focus["inside"], f"Focused element outside the viewport on {page.url}: {focus['what']}"
    assert focus["uncovered"], f"Focused element covered on {page.url}: {focus['what']}"
    return focus


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, target, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until *target* has focus, checking every stop on the way."""
    for _ in range(MAX_STOPS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus_stop(page)
        if is_focused(target):
            return
    raise AssertionError(f"{MAX_STOPS} Tab presses did not reach {target} on {page.url}")


def follow(page, target, key: str = "Enter") -> None:
    """Tab to *target* and press *key* on it, waiting for the page it leads to."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press(key)


def test_the_skip_link_comes_first_and_the_quick_exit_next(page):
    page.goto("/guides/")
    page.keyboard.press("Tab")
    focus_stop(page)
    assert is_focused(page.get_by_role("link", name="Skip to main content"))
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focus_stop(page)
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")

    page.goto("/guides/")
    quick_exit = page.get_by_role("link", name="Exit this page")
    for _ in range(3):
        page.keyboard.press("Tab")
        focus_stop(page)
        if is_focused(quick_exit):
            break
    else:
        raise AssertionError("The quick exit is not among the first three Tab stops")


def test_sign_in_read_a_step_write_an_entry_and_export_a_plan(page, user, password):
    plan_create(
        user=user,
        content=PlanContent(
            title="Evenings",
            boundaries=(BoundaryContent(need="Rest", action="I will go to bed at ten."),),
        ),
    )
    nav = page.get_by_role("navigation", name="Main")

    # Sign in.
    page.goto("/")
    follow(page, nav.get_by_role("link", name="Sign in"))
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(user.email)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(password)
    follow(page, page.get_by_role("button", name="Sign In"))
    assert "/accounts/login/" not in page.url

    # Read a guide step and mark it done (Space presses a button too).
    guide = site_content().guides[0]
    step = guide.steps[0]
    follow(page, nav.get_by_role("link", name="Guides"))
    follow(page, page.get_by_role("link", name=guide.title, exact=True).first)
    follow(page, page.get_by_role("link", name=step.title).first)
    assert page.url.endswith(step.get_absolute_url())
    follow(page, page.get_by_role("button", name="Mark as done"), key="Space")
    assert StepProgress.objects.filter(user=user, step_key=step.key).exists()

    # Write a journal entry.
    follow(page, nav.get_by_role("link", name="Journal"))
    follow(page, page.get_by_role("link", name="Write an entry"))
    tab_to(page, page.get_by_label("Title"))
    page.keyboard.type("Typed, not clicked")
    tab_to(page, page.get_by_label("Your entry"))
    page.keyboard.type("We talked at the kitchen table.")
    tab_to(page, page.get_by_label("Tags"))
    page.keyboard.type("kitchen, calm")
    follow(page, page.get_by_role("button", name="Save entry"))
    entry = JournalEntry.objects.get(user=user)
    content = entry_content(entry, user_keys(user), body=True)
    assert (content.title, content.body) == (
        "Typed, not clicked",
        "We talked at the kitchen table.",
    )
    assert set(content.tags) == {"kitchen", "calm"}
    assert content.entry_date == timezone.localdate()

    # Export a boundary plan's PDF, leaving out one part (Space unticks it).
    follow(page, nav.get_by_role("link", name="Boundary plans"))
    follow(page, page.get_by_role("link", name="Evenings"))
    tab_to(page, page.get_by_role("button", name="Download PDF"))
    tab_to(page, page.get_by_label("Who supports me"), backwards=True)
    page.keyboard.press("Space")
    assert not page.get_by_label("Who supports me").is_checked()
    tab_to(page, page.get_by_role("button", name="Download PDF"))
    page.keyboard.press("Enter")  # not made before: its job's page, then its button
    page.wait_for_url("**/jobs/*/")
    run_tasks()
    ready = page.get_by_role("button", name="Download", exact=True)
    ready.wait_for()
    tab_to(page, ready)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "evenings.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
