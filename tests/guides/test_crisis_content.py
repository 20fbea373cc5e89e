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
