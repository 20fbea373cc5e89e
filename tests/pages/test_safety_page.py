"""/safety/: the crisis lines by region, the crisis content, and a page plain enough to
read in a bad moment (Flesch-Kincaid grade 6 or below, tests/readability.py)."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from pages.checks import problems_in
from tests.readability import counts, grade, page_grade, syllables, visible_text

DEFAULT_FILE = Path(settings.BASE_DIR) / "pages" / "data" / "crisis_lines.yaml"
DEFAULT_LINES = yaml.safe_load(DEFAULT_FILE.read_text("utf-8"))


@pytest.fixture
def page(client):
    response = client.get("/safety/")
    assert response.status_code == 200
    return response.text


@pytest.fixture
def main_text(page):
    return " ".join(visible_text(page).split())


def section(page: str, heading_id: str) -> str:
    """The text of the <article> or <section> whose heading has *heading_id*."""
    start = page.index(f'id="{heading_id}"')
    end = min(i for i in (page.find("<article", start), page.find("</main>", start)) if i > 0)
    return " ".join(visible_text(f"<main>{page[start:end]}</main>").split())


# --- Reading grade ---------------------------------------------------------------------


def test_the_page_reads_at_grade_six_or_below(page):
    assert page_grade(page) <= 6.0


def test_the_grade_counter_matches_hand_counts():
    assert syllables("cat") == 1 and syllables("make") == 1 and syllables("table") == 2
    assert syllables("emergency") == 4 and syllables("being") == 2 and syllables("abuse") == 2
    assert counts("The cat sat on the mat.") == (1, 6, 6)
    assert grade("The cat sat on the mat.") == pytest.approx(0.39 * 6 + 11.8 - 15.59)
    hard = (
        "Notwithstanding considerable organisational difficulties, the administration "
        "systematically communicated comprehensive recommendations."
    )
    assert grade(hard) > 12


def test_headings_and_list_items_count_as_sentences_and_numbers_are_not_words():
    html = (
        "<main><h2>Lines you can call</h2>"
        "<ul><li>Call 0808 2000 247</li><li>Visit galop.org.uk</li></ul></main>"
    )
    assert counts(visible_text(html)) == (3, 6, 7)  # "vis-it" is two


def test_the_header_footer_and_hidden_text_are_not_measured():
    html = (
        "<header>Antidisestablishmentarianism</header>"
        "<main><p>I am here.</p><p hidden>Incomprehensibility.</p></main>"
    )
    assert counts(visible_text(html)) == (1, 3, 3)


# --- What abuse can look like ------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        r"physical harm",
        r"emotional or verbal abuse",
        r"sexual pressure",
        r"birth control or a pregnancy",  # reproductive coercion, in plain words
        r"control of money",
        r"reading your messages, tracking where you go",  # phone, messages, location
        r"cutting you off.{0,10}from friends and family",
        r"threats about the children or pets",
        r"threats of self-harm.{0,10}used to make you stay",
        r"coercive control",
    ],
)
def test_the_page_names_each_kind_of_abuse(main_text, kind):
    assert re.search(kind, main_text, re.IGNORECASE)


# --- The lines -----------------------------------------------------------------------------


def test_the_emergency_sentence_is_said_once(page):
    # Once in the whole page: the site-wide footer leaves it to the page's own notice here.
    assert page.count("call your local emergency number") == 1
    main = page[page.index("<main") : page.index("</main>")]
    assert "call your local emergency number" in main


def test_the_reading_choices_page_says_the_emergency_sentence_once(client):
    page = client.get("/guides/reading-choices/").text
    assert page.count("call your local emergency number") == 1
    assert "call your local emergency number" in page[page.index("<main") : page.index("</main>")]


def test_other_pages_keep_the_emergency_sentence_in_their_footer(client):
    page = client.get("/privacy/").text
    assert "call your local emergency number" in page[page.index("<footer") :]


def test_the_regions_are_listed_apart_in_order(page):
    headings = re.findall(r'<h3 id="region-\d+">([^<]+)</h3>', page)
    assert headings == [
        "United States", "All of the United Kingdom", "England", "Scotland", "Wales",
        "Northern Ireland", "Ireland", "Canada", "Australia",
    ]  # fmt: skip


def test_every_default_line_says_where_and_when_it_was_checked():
    for line in DEFAULT_LINES:
        sources = line["source"] if isinstance(line["source"], list) else [line["source"]]
        assert sources and all(s.startswith(("https://", "http://")) for s in sources), line
        assert datetime.date.fromisoformat(line["checked"]) == datetime.date(2026, 12, 6), line
    assert problems_in(DEFAULT_LINES) == []


def test_lines_that_are_not_open_all_day_say_when_they_are():
    for line in DEFAULT_LINES:
        if line["name"].startswith("Emergency") or not line["phone"]:
            continue
        detail = line["detail"]
        assert (
            "24 hours" in detail or "Monday" in detail or "times are on their website" in detail
        ), line


def test_press_55_is_said_to_work_from_a_mobile(page):
    (uk,) = [
        line
        for line in DEFAULT_LINES
        if line["phone"] == "999" and line["region"] == "All of the United Kingdom"
    ]
    assert "press 55" in uk["detail"] and "mobile" in uk["detail"]
    assert "press 55 when you are asked" in page


def test_there_is_a_line_for_lgbt_people_and_one_for_people_worried_about_their_own_behaviour(
    main_text,
):
    assert "LGBT+ people" in main_text
    assert "worried about their own behaviour" in main_text


def test_men_facing_abuse_in_any_part_of_the_uk_have_a_line_and_it_fills_in_their_plan():
    from safety import lines

    # England's and Ireland's domestic-abuse lines are for women.
    for region in ("England", "Scotland", "Wales", "Northern Ireland"):
        assert "Men's Advice Line: 0808 801 0327" in lines.filled_in(region), region


def test_each_phone_number_is_a_link_that_dials_it(page):
    for line in DEFAULT_LINES:
        if line["phone"]:
            digits = line["phone"].replace(" ", "").replace("-", "")
            assert f'href="tel:{digits}"' in page, line["name"]


def test_a_link_keeps_its_path(page):
    assert ">gov.wales/live-fear-free</a>" in page


# --- Crisis content -------------------------------------------------------------------------


def test_a_partners_threats_of_self_harm_get_their_own_section(page):
    text = section(page, "their-threats")
    assert "not yours to carry alone" in text
    assert "If their life is at risk right now, call emergency services." in text
    assert "suicide crisis line" in text
    for number in ("988", "116 123", "13 11 14"):
        assert number in text


def test_threats_used_as_control_are_named_and_both_sections_link_the_safety_plan(page):
    assert "are a known form of abuse" in section(page, "their-threats")
    theirs = page[page.index('id="their-threats"') : page.index('id="your-crisis"')]
    yours = page[page.index('id="your-crisis"') :]
    assert 'href="/safety/plan/"' in theirs
    assert 'href="/safety/plan/#hard-moments"' in yours[: yours.index("</article>")]


def test_your_own_darkest_moments_get_a_section_with_the_same_lines(page):
    text = section(page, "your-crisis")
    assert "thoughts of hurting yourself" in text
    for number in ("988", "116 123", "13 11 14"):
        assert number in text


def test_the_crisis_sections_follow_the_configured_lines(client, settings):
    settings.SAFETY_LINES = [
        {"region": "Ireland", "name": "Pieta", "detail": "24 hours.", "phone": "1800 247 247",
         "url": "", "crisis": True},
        {"region": "Ireland", "name": "Women's Aid", "detail": "24 hours.", "phone": "1800 341 900",
         "url": ""},
    ]  # fmt: skip
    page = client.get("/safety/").text
    assert "1800 247 247" in section(page, "your-crisis")
    assert "1800 341 900" not in section(page, "your-crisis")


def test_the_page_is_served_without_a_query(client, django_assert_num_queries, db):
    client.get("/safety/")
    with django_assert_num_queries(0):
        assert client.get("/safety/").status_code == 200


# --- The data file and SAFETY_LINES_FILE ---------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ([], "non-empty list"),
        ([{"region": "X"}], "needs a name"),
        ([{"region": "X", "name": "Y", "phone": "call us"}], "not a number that can be dialled"),
        ([{"region": "X", "name": "Y", "url": "http://example.org/"}], "must start with https://"),
        ([{"region": "X", "name": "Y", "detail": ["a", "b"]}], "detail must be text"),
        ([{"region": "X", "name": "Y", "hours": "9-5"}], "unknown keys: hours"),
        ([{"region": "X", "name": "Y", "crisis": "yes"}], "crisis must be true or false"),
        ([{"region": "X", "name": "Y", "checked": datetime.date(2026, 12, 6)}], "quoted date"),
    ],
)
def test_a_malformed_list_is_named_line_by_line(lines, problem):
    assert any(problem in found for found in problems_in(lines))


RUN = """
import django, json
django.setup()
from django.conf import settings
from django.core.management import call_command
print(json.dumps([line["name"] for line in settings.SAFETY_LINES]))
call_command("check", fail_level="ERROR")
"""


def run_with(path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "SAFETY_LINES_FILE": str(path),
    }
    return subprocess.run(
        [sys.executable, "-c", RUN], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_safety_lines_file_replaces_the_default_list(tmp_path):
    path = tmp_path / "lines.yaml"
    path.write_text('- {region: Ireland, name: Pieta, phone: "1800 247 247", crisis: true}\n')
    done = run_with(path)
    assert done.returncode == 0, done.stderr
    assert '["Pieta"]' in done.stdout


def test_a_bad_safety_lines_file_stops_the_check_with_the_reason(tmp_path):
    path = tmp_path / "lines.yaml"
    path.write_text('- {region: Ireland, name: Pieta, phone: "ring us"}\n')
    done = run_with(path)
    assert done.returncode != 0
    assert "pages.E001" in done.stderr and "not a number that can be dialled" in done.stderr
