"""Crisis content in the guides (issue 15, items 3 and 6): guide 6 says what to do when a
partner threatens to hurt themselves and where to turn in your own crisis, guide 4's
support step links both, and every step that suggests the partner page says to share it
only if that is safe."""

import re

import pytest

from guides.content import CONTENT_DIR, site_content

THEIR_THREATS = "/safety/#their-threats"
YOUR_CRISIS = "/safety/#your-crisis"
PLAN = "/safety/plan/"


def steps_of(guide_slug: str):
    guide = site_content().guide(guide_slug)
    assert guide is not None, guide_slug
    return guide.steps


def test_guide_six_says_what_to_do_when_a_partner_threatens_self_harm_and_in_your_own_crisis():
    [step] = [s for s in steps_of("reevaluate") if THEIR_THREATS in s.html]
    text = " ".join(step.body_text.split())
    assert "not yours to carry alone" in text
    assert "If their life is in danger right now, call emergency services." in text
    assert "suicide crisis line" in text and "known form of abuse" in text
    assert YOUR_CRISIS in step.html and f'href="{PLAN}"' in step.html


def test_the_support_for_you_step_links_both_crisis_sections_and_the_safety_plan():
    [step] = [s for s in steps_of("grow-yourself") if s.slug == "support-for-you"]
    for target in (THEIR_THREATS, YOUR_CRISIS, PLAN):
        assert f'href="{target}"' in step.html


def paragraphs_suggesting_the_partner_page() -> list[tuple[str, str]]:
    found = []
    for path in sorted(CONTENT_DIR.rglob("*.md")):
        if path.parent.name == "pages":
            continue  # the partner page itself
        for paragraph in re.split(r"\n\s*\n", path.read_text("utf-8")):
            if "(/for-your-partner/)" in paragraph:
                found.append((path.name, paragraph))
    return found


def test_a_step_that_suggests_the_partner_page_says_to_share_it_only_if_that_is_safe():
    found = paragraphs_suggesting_the_partner_page()
    assert found, "no step suggests the partner page any more: drop this test"
    for name, paragraph in found:
        assert "only if that is safe" in paragraph and "(/safety/)" in paragraph, name


@pytest.mark.parametrize("anchor", ["their-threats", "your-crisis"])
def test_the_sections_the_guides_link_to_exist_on_the_safety_page(client, anchor):
    assert f'id="{anchor}"' in client.get("/safety/").text


# Warning signs are not conflict material (a user-at-risk review of issue 15): where a step
# names hurtful talk as a habit to work on, the same section says when it is abuse and links
# /safety/; a step that gives the reader a part in the pattern links /safety/ too.
HURTFUL_TALK = re.compile(
    r"name-calling|called names|\binsults\b|\bmock(?:s|ing|ery)\b|\bsneer|belittl|put-?downs?", re.I
)
SHARED_PATTERN = re.compile(r"\bsystemic\b|\byour (?:own )?part\b|whole dance", re.I)


def test_a_section_naming_hurtful_talk_says_when_it_is_abuse_and_links_the_safety_page():
    named = 0
    for step in site_content().steps:
        for section in re.split(r"<h2\b", step.html):
            if HURTFUL_TALK.search(section):
                named += 1
                assert 'href="/safety/' in section, (step.key, HURTFUL_TALK.search(section)[0])
    assert named >= 3


def test_a_step_giving_the_reader_a_part_in_the_pattern_links_the_safety_page():
    steps = [s for s in site_content().steps if SHARED_PATTERN.search(s.body_text)]
    assert len(steps) >= 4
    for step in steps:
        assert 'href="/safety/' in step.html, step.key


def test_name_calling_in_when_talks_turn_sour_is_not_a_habit_to_fix_together():
    [step] = [s for s in steps_of("open-the-conversation") if s.slug == "when-talks-turn-sour"]
    section = re.split(r"<h2\b", step.html)[1]
    text = " ".join(section.split())
    assert "not a communication habit" in text and "verbal abuse" in text
