"""What a person sees, measured in Chromium at a phone's and a laptop's width: radios beside
their labels, the self-check scale on one row, filters as tall as the boxes beside them,
underlined links in entries, a mood chart that fits the screen, 24-hour times, messages
that agree with each other, and a Tools page that can be found."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from guides.content import site_content
from guides.models import SelfCheck
from journal.models import EntryContent
from journal.services import entry_create
from tests.factories import PlanFactory, SelfCheckFactory

from .axe import assert_accessible
from .signin import sign_in_through_form

# Layout and wording, measured in the browser, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = pytest.mark.any_engine

PHONE, LAPTOP = 390, 1280

# For each label holding a radio: how far the radio's middle is from the middle of the
# label's first line of text, and whether the radio is to the left of that text.
RADIO_PLACEMENT = """
() => [...document.querySelectorAll("label")].filter(l => l.querySelector("input[type=radio]"))
  .map(label => {
    const input = label.querySelector("input[type=radio]").getBoundingClientRect();
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT,
      {acceptNode: n => n.textContent.trim()
        ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
    const range = document.createRange();
    range.selectNodeContents(walker.nextNode());
    const line = range.getClientRects()[0];
    return {text: label.textContent.trim(),
            offset: Math.abs((input.top + input.bottom) / 2 - (line.top + line.bottom) / 2),
            beside: input.right <= line.left};
  })
"""


def write(user, **fields):
    values = {"title": "", "body": "Words.", "entry_date": timezone.localdate(), "mood": None,
              "tags": (), "prompt": "", "step_key": ""}  # fmt: skip
    values.update(fields)
    return entry_create(user=user, content=EntryContent(**values)).entry


def self_check(user):
    answers = {question.id: 3 for question in site_content().questions}
    return SelfCheckFactory(user=user, answers=answers)


@pytest.fixture
def sign_in(page, password):
    """Sign in through the real form (Enter in the password box, whatever the button says)."""

    def _sign_in(user):
        sign_in_through_form(page, user.email, password, press_enter=True)

    return _sign_in


def confirm_password(page, password):
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(password)
        page.get_by_label("Password").press("Enter")
        page.wait_for_url(lambda url: "/reauthenticate/" not in url)


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_every_radio_sits_beside_the_first_line_of_its_label(page, user, sign_in, password, width):
    plan = PlanFactory(user=user)
    sign_in(user)
    page.set_viewport_size({"width": width, "height": 900})
    for path in ["/journal/new/", "/journal/export/", f"/plans/{plan.pk}/", "/self-check/"]:
        page.goto(path)
        confirm_password(page, password)
        placements = page.evaluate(RADIO_PLACEMENT)
        assert placements, path
        for radio in placements:
            assert radio["beside"] and radio["offset"] <= 3, (path, radio)


def test_the_self_checks_agree_scale_keeps_to_one_row_on_a_laptop(page, user, sign_in):
    sign_in(user)
    page.goto("/self-check/")
    for scale in page.locator(".self-check-form .scale").all():
        tops = {
            round(box["y"]) for box in map(lambda o: o.bounding_box(), scale.locator("label").all())
        }
        assert len(tops) == 1, scale.inner_text()


def test_filter_drop_downs_are_as_tall_as_the_boxes_beside_them(page, user, sign_in):
    sign_in(user)
    page.goto("/journal/")
    page.get_by_text("Filter by tag, mood, guide or date").click()  # opens the filters
    heights = page.evaluate(
        """() => [...document.querySelectorAll('.journal-filters input, .journal-filters select')]
             .map(e => [e.tagName + ':' + (e.type || ''),
                        Math.round(e.getBoundingClientRect().height)])"""
    )
    assert len({height for _, height in heights}) == 1, heights


def test_links_in_an_entry_are_underlined(page, user, sign_in):
    entry = write(user, body="Read [the guide](https://example.org/guide) again.")
    sign_in(user)
    page.goto(f"/journal/{entry.pk}/")
    link = page.locator(".entry__body a")
    assert "underline" in link.evaluate("a => getComputedStyle(a).textDecorationLine")


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_the_mood_chart_fits_the_screen_and_shows_the_newest_day(page, user, sign_in, width):
    today = timezone.localdate()
    for n in range(20):  # entries four days apart
        write(user, mood=1 + n % 5, entry_date=today - timedelta(days=4 * n))
    sign_in(user)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/journal/moods/")
    chart = page.locator(".mood-chart").first
    box, svg = chart.bounding_box(), chart.locator("svg:visible").bounding_box()
    assert svg["x"] >= box["x"] and svg["x"] + svg["width"] <= box["x"] + box["width"] + 0.5
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    newest = chart.locator("svg:visible .mood-chart__point").last.bounding_box()
    assert newest["x"] + newest["width"] <= box["x"] + box["width"]
    # the days written are joined by a line, not left as loose dots
    assert chart.locator("svg:visible .mood-chart__line").count() == 1
    # the words under the chart give the newest period first, for every reader
    summary = page.locator(".mood-chart__summary").inner_text()
    assert summary.startswith("Latest") and today.strftime("%b") in summary


def test_the_mood_chart_works_without_javascript(page_without_js, user):
    write(user, mood=4)
    page_without_js.goto("/journal/moods/")
    assert page_without_js.locator(".mood-chart svg:visible").count() == 1


def test_autosave_tells_the_time_on_a_24_hour_clock(page, user, sign_in):
    sign_in(user)
    page.clock.install(time="2026-12-06T14:01:00")
    page.goto("/journal/new/")
    page.get_by_label("Your entry").press_sequentially("A few words.")
    page.clock.fast_forward(5000)
    status = page.locator("[data-autosave-status]")
    status.filter(has_text="Draft kept at").wait_for(timeout=8000)
    assert "Draft kept at 14:01." in status.inner_text()


def test_an_entry_over_the_limit_is_not_offered_for_saving(page, user, sign_in):
    sign_in(user)
    page.goto("/journal/new/")
    limit = int(page.locator("form[data-max-length]").get_attribute("data-max-length"))
    body = page.get_by_label("Your entry")
    # pasted in one go (typing 60,000 characters would take minutes)
    body.evaluate(
        "(box, text) => { box.value = text;"
        " box.dispatchEvent(new Event('input', {bubbles: true})); }",
        "word " * ((limit + 10_000) // 5),
    )
    counter = page.locator("[data-char-count]")
    assert "over the limit" in counter.inner_text()
    status = page.locator("[data-autosave-status]")
    page.wait_for_timeout(4000)  # past the autosave delay
    status.filter(has_text="Draft kept at").wait_for(timeout=8000)
    text = status.inner_text()
    assert "Save the entry" not in text and "shorten it to save it" in text, text


def test_the_tools_page_is_in_the_menu_and_leads_to_both_tools(page, user, sign_in):
    sign_in(user)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Tools").click()
    page.wait_for_url("**/tools/")
    page.get_by_role("link", name="Plan a conversation").click()
    page.wait_for_url("**/conversation-planner/")
    page.go_back()
    page.get_by_role("link", name="Take the self-check").click()
    page.wait_for_url("**/self-check/")


def test_same_day_self_checks_are_told_apart_by_their_time(page, user, sign_in):
    first, second = self_check(user), self_check(user)
    SelfCheck.objects.filter(pk=first.pk).update(created_at=second.created_at - timedelta(hours=3))
    sign_in(user)
    page.goto(f"/self-check/{first.pk}/")
    first_heading = page.get_by_role("heading", level=1).inner_text()
    page.goto(f"/self-check/{second.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() != first_heading
    assert re.search(r"\d{2}:\d{2}", first_heading)


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_the_tools_page_and_the_mood_chart_pass_axe(page, user, sign_in, width):
    today = timezone.localdate()
    for n in range(8):
        write(user, mood=1 + n % 5, entry_date=today - timedelta(days=3 * n))
    sign_in(user)
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/tools/", "/journal/moods/", "/self-check/"):
        page.goto(path)
        assert_accessible(page)


# --- Checked without a browser: every time the site writes is on a 24-hour clock ---------

TWELVE_HOUR = re.compile(r'\|date:"[^"]*(?<!\\)[aAgfhP]')


def test_no_template_formats_a_time_on_a_12_hour_clock():
    found = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder).rglob("*.html"):
            found += [f"{path}: {m.group()}" for m in TWELVE_HOUR.finditer(path.read_text())]
    assert found == []


def test_no_script_asks_the_browser_for_its_own_clock_format():
    scripts = Path(settings.BASE_DIR, "static", "js").glob("*.js")
    assert [s.name for s in scripts if "toLocaleTimeString" in s.read_text()] == []
