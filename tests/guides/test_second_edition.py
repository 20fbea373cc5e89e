"""Guides, second edition (issue 16): every step names its sources in its own text, at
least half the exercises are things to do with a way to note how they went, the folded
step's old address and progress lead to the step it became, and /sources/ lists the
further sources and the claim-to-source table."""

import importlib
import re

from django.apps import apps

from guides.content import site_content
from guides.models import StepProgress
from journal.models import step_for
from tests.factories import UserFactory

from .content_problems import problems_of

OLD = "alternatives-to-try-together/keep-track"
NEW = "alternatives-to-try-together/smaller-steps"


def step_file(root, guide, step):
    return next((root / guide).glob(f"*-{step}.md"))


# --- Every listed source is named in the step's own text -----------------------------


def test_a_step_that_never_names_a_listed_source_fails_the_check(content_copy):
    path = step_file(content_copy, "04-grow-yourself", "support-groups")
    text = path.read_text("utf-8")
    assert "Psychotherapy for Women" in text
    text = text.replace("Psychotherapy for Women", "a therapy practice")
    path.write_text(text.replace("What If My Partner Won't Go To Therapy?", "an article"))
    problems = problems_of(content_copy)
    assert any("07-support-groups.md: the text never names source '004'" in p for p in problems), (
        problems
    )


def test_a_short_name_from_cited_as_is_enough_and_an_empty_source_list_fails(content_copy):
    path = step_file(content_copy, "01-understand-the-resistance", "the-stuck-cycle")
    text = path.read_text("utf-8")
    path.write_text(text.replace('sources: ["000", "003"]', "sources: []"))
    problems = problems_of(content_copy)
    assert any("04-the-stuck-cycle.md: sources must list at least one" in p for p in problems)
    # "Tasha Seiter" (cited_as) credits 003 though neither its title nor publisher is there
    assert "Psychology Today" in text
    path.write_text(text.replace("Psychology Today", "magazine"))
    assert not any("04-the-stuck-cycle.md" in p for p in problems_of_or_none(content_copy))


def problems_of_or_none(root):
    from guides.content import ContentError, load_content

    try:
        load_content(root)
    except ContentError as error:
        return error.problems
    return []


def test_every_real_step_names_each_of_its_sources():
    for step in site_content().steps:
        said = " ".join(step.body_text.replace("\u2019", "'").split()).lower()
        for source in step.sources:
            assert any(name.lower() in said for name in source.names), (step.key, source.id)


# --- Exercises: at least half are something to do, with a way to note how it went -----


def test_at_least_half_the_exercises_are_things_to_do_with_a_note():
    steps = site_content().steps
    doing = [step for step in steps if step.exercise == "do"]
    assert len(doing) * 2 >= len(steps), f"{len(doing)} of {len(steps)}"


def test_a_do_exercise_without_a_way_to_note_how_it_went_fails_the_check(content_copy):
    path = step_file(content_copy, "02-open-the-conversation", "small-moments")
    text = path.read_text("utf-8")
    assert "exercise: do" in text
    path.write_text(text.replace("[journal](/journal/)", "notebook"))
    assert any(
        "06-small-moments.md: a 'do' exercise needs a way to note how it went" in p
        for p in problems_of(content_copy)
    )


# --- Shape: the fold, the merges and the different jobs ---------------------------------


def test_the_old_keep_track_address_redirects_permanently_to_start_smaller(client):
    response = client.get("/guides/alternatives-to-try-together/keep-track/")
    assert response.status_code == 301
    assert response["Location"] == "/guides/alternatives-to-try-together/smaller-steps/"
    assert client.get("/guides/alternatives-to-try-together/no-such-step/").status_code == 404


def test_a_journal_entry_that_answered_the_old_step_links_to_the_new_one():
    assert step_for(OLD).key == NEW


def test_the_migration_moves_done_marks_and_keeps_one_per_step(db):
    migration = importlib.import_module("guides.migrations.0004_move_keep_track_progress")
    only_old, both = UserFactory(), UserFactory()
    StepProgress.objects.create(user=only_old, step_key=OLD)
    StepProgress.objects.create(user=both, step_key=OLD)
    StepProgress.objects.create(user=both, step_key=NEW)
    migration.move_marks(apps, None)
    assert sorted(StepProgress.objects.values_list("user_id", "step_key")) == sorted(
        [(only_old.pk, NEW), (both.pk, NEW)]
    )


def test_a_moved_step_that_still_exists_or_leads_nowhere_fails_the_check(content_copy):
    (content_copy / "moved.yaml").write_text(
        f"- {{from: {NEW}, to: grow-yourself/go-first, why: w}}\n"
        f"- {{from: {OLD}, to: grow-yourself/nowhere, why: w}}\n"
    )
    problems = problems_of(content_copy)
    assert any(f"'{NEW}' is still a step" in p for p in problems)
    assert any("'grow-yourself/nowhere' is not a step" in p for p in problems)


def body(key):
    guide, step = key.split("/")
    return site_content().guide(guide).step(step).body_text


def try_this(key):
    text = body(key)
    return text[text.index("Try this") :]


def test_the_cannot_argue_them_into_it_idea_is_said_once_in_guide_six():
    said = [
        step.key
        for step in site_content().guide("reevaluate").steps
        if re.search(
            r"can't (?:argue|make) (?:them|your partner|someone)",
            step.body_text.replace("\u2019", "'"),
        )
    ]
    assert said == ["reevaluate/the-real-question"]


def test_stop_waiting_has_no_list_of_links_to_the_rest_of_its_guide():
    links = re.findall(
        r'href="/guides/grow-yourself/[a-z-]+/"', _html("grow-yourself/stop-waiting")
    )
    assert len(links) <= 1


def _html(key):
    guide, step = key.split("/")
    return site_content().guide(guide).step(step).html


def test_the_two_loop_exercises_do_different_jobs():
    seeing = try_this("understand-the-resistance/the-stuck-cycle")
    changing = try_this("grow-yourself/change-your-part")
    assert "both sides" in seeing and "Stop there" in seeing
    assert "Try it" in changing and "0 to 10" in changing


def test_small_moments_and_rituals_no_longer_offer_the_same_habits():
    moments = body("open-the-conversation/small-moments").lower()
    rituals = body("alternatives-to-try-together/small-daily-rituals").lower()
    for habit in ("phone face down", "ten minutes in the evening without a screen"):
        assert habit not in moments
    assert "phones away at meals" in rituals
    assert "on your own" in moments and "agree on" in rituals


# --- /sources/ ----------------------------------------------------------------------


def test_sources_lists_the_five_articles_then_the_further_sources_and_the_claims(client):
    page = client.get("/sources/").text
    content = site_content()
    five = page.index("The five articles")
    further = page.index("Further sources in this edition")
    claims = page.index("Facts and figures, and where to check them")
    assert five < further < claims
    for source in content.sources.values():
        at = page.index(f'id="source-{source.id}"')
        assert (five < at < further) if source.edition == 1 else (further < at < claims)
    assert sum(1 for s in content.sources.values() if s.edition == 1) == 5
    assert page.count('<td><a href="#source-') == len(content.claims)
    assert "<strong>70 to 73%</strong>" in page


def test_the_partner_page_and_01_05_say_eft_is_not_used_where_there_is_ongoing_abuse(client):
    page = " ".join(client.get("/for-your-partner/").text.split())
    step = " ".join(body("understand-the-resistance/facts-that-answer-fears").split())
    for text in (page, step):
        assert "Relationships Australia South Australia" in text
        assert "names ongoing abuse as the main reason not to use EFT at all" in text
    assert {c.step for c in site_content().claims if c.source == "rasa-eft"} == {
        "pages/for-your-partner",
        "understand-the-resistance/facts-that-answer-fears",
    }
