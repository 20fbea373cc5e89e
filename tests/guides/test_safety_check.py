"""The safety check in front of every partner-facing step (issue 15, item 1).

The partner-facing steps are read from the content, so a step added to a flagged guide
later is covered by these tests without a change here.
"""

import io
import logging
import re
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core import safety_gate
from guides import safety_check as gate
from guides.content import ContentError, load_content, site_content
from tests.factories import StepProgressFactory
from tests.readability import page_grade

CHECK = reverse("guides:check")
SAFER = reverse("guides:reading-choices")
HEADING = "A few questions first"
ALL_NO = {question.name: gate.NO for question in gate.QUESTIONS}


def partner_facing_steps():
    return [step for step in site_content().steps if step.safety_check]


def answers(**changed):
    return {**ALL_NO, **{name.replace("_", "-"): value for name, value in changed.items()}}


def shows_check(response, target):
    html = response.text
    return (
        response.status_code == 200
        and HEADING in html
        and f'action="{CHECK}"' in html
        and f'name="next" value="{target}"' in html
    )


def test_the_partner_facing_steps_are_guides_2_3_5_6_and_telling_your_partner():
    content = site_content()
    flagged = {guide.slug for guide in content.guides if guide.safety_check}
    assert flagged == {
        "open-the-conversation",
        "alternatives-to-try-together",
        "set-boundaries",
        "reevaluate",
    }
    for guide in content.guides:
        if guide.safety_check:
            assert all(step.safety_check for step in guide.steps)
    assert [s.key for s in content.guide("grow-yourself").steps if s.safety_check] == [
        "grow-yourself/go-first"
    ]
    assert not any(step.safety_check for step in content.guide("understand-the-resistance").steps)


@pytest.mark.parametrize("step", partner_facing_steps(), ids=lambda step: step.key)
def test_a_partner_facing_step_shows_the_check_first_then_the_step(db, step):
    client = Client()  # a new sitting
    path = step.get_absolute_url()
    first = client.get(path)
    assert shows_check(first, path)
    assert step.html not in first.text
    answered = client.post(CHECK, {**ALL_NO, "next": path})
    assert answered.status_code == 303
    assert answered.headers["Location"] == path
    after = client.get(path)
    assert after.status_code == 200
    assert HEADING not in after.text
    assert f'id="step-title">{step.title}' in after.text.replace("&#x27;", "'")


def test_every_way_to_a_partner_facing_step_meets_the_check(db, user):
    """Start, the step list, search, continue, next and previous all link to the step's own
    address, and that address shows the check in a new sitting, signed in or out."""
    guide = site_content().guide("open-the-conversation")
    first, second, third = guide.steps[:3]
    links = set()
    reader = Client()
    reader.post(CHECK, {**ALL_NO, "next": second.get_absolute_url()})
    guide_page = reader.get(guide.get_absolute_url()).text
    assert "Start with step 1" in guide_page
    links.add(("start", first.get_absolute_url(), first.get_absolute_url() in guide_page))
    search = reader.post(reverse("guides:search"), {"q": third.title}).text
    links.add(("search", third.get_absolute_url(), f'href="{third.get_absolute_url()}"' in search))
    middle = reader.get(second.get_absolute_url()).text
    for name, step in (("previous", first), ("next", third)):
        links.add((name, step.get_absolute_url(), f'href="{step.get_absolute_url()}"' in middle))
    StepProgressFactory(user=user, step_key=first.key)
    signed_in = Client()
    signed_in.force_login(user)
    home = signed_in.get("/").text
    links.add(("continue", second.get_absolute_url(), second.get_absolute_url() in home))
    assert {(name, linked) for name, _, linked in links} == {
        (name, True) for name in ("start", "search", "previous", "next", "continue")
    }
    for _, path, _ in links:
        assert shows_check(Client().get(path), path)
    assert shows_check(signed_in.get(second.get_absolute_url()), second.get_absolute_url())


@pytest.mark.parametrize(
    "guide_slug, needed",
    [
        ("open-the-conversation", True),
        ("grow-yourself", True),
        ("understand-the-resistance", False),
    ],
)
def test_a_printed_guide_with_a_partner_facing_step_needs_the_check(db, client, guide_slug, needed):
    path = reverse("guides:guide-print", args=[guide_slug])
    response = client.get(path)
    assert shows_check(response, path) is needed
    if needed:
        client.post(CHECK, {**ALL_NO, "next": path})
        assert HEADING not in client.get(path).text


def test_other_steps_have_no_check(client, db):
    step = site_content().guide("grow-yourself").step("support-for-you")
    assert HEADING not in client.get(step.get_absolute_url()).text


def test_the_check_is_six_questions_in_fieldsets_with_three_answers_each(client, db):
    step = partner_facing_steps()[0]
    html = client.get(step.get_absolute_url()).text
    assert html.count("<fieldset") == len(gate.QUESTIONS) == 6
    assert html.count("<legend>") == 6
    for question in gate.QUESTIONS:
        for value in (gate.YES, gate.NO, gate.UNSAID):
            assert f'name="{question.name}" value="{value}"' in html
    assert "I&#x27;d rather not say" in html
    assert f"<title>{step.title} · " in html.replace("&#x27;", "'")  # the step's own title


@pytest.mark.parametrize("changed", [{"answer_harm": "yes"}, {"answer_fear": "unsaid"}])
def test_any_yes_or_rather_not_say_goes_to_the_safer_page_with_the_same_status_as_no(
    client, db, changed
):
    path = partner_facing_steps()[0].get_absolute_url()
    no = Client().post(CHECK, {**ALL_NO, "next": path})
    other = client.post(CHECK, {**answers(**changed), "next": path})
    assert no.status_code == other.status_code == 303
    assert other.headers["Location"] == gate.safer_page_url(path)
    # Kept in the browser's history: its address and tab title tell nobody what was answered.
    assert other.headers["Location"].startswith("/guides/reading-choices/?next=")
    assert not re.search(r"safe|check|danger|abuse|yes", other.headers["Location"].split("?")[0])
    # Answered in this sitting either way: the step opens from the safer page's button.
    safer = client.get(other.headers["Location"])
    assert f'class="button" href="{path}"' in safer.text
    assert re.search(r"<title>\s*Choosing what to read\b", safer.text)
    assert HEADING not in client.get(path).text


@pytest.mark.parametrize(
    "changed", [{}, {"answer_sex": "yes", "answer_leverage": "unsaid"}], ids=["no", "yes"]
)
def test_the_answers_are_never_in_a_url_a_log_the_database_or_the_session(
    client, db, caplog, changed
):
    caplog.set_level(logging.DEBUG)
    path = partner_facing_steps()[-1].get_absolute_url()
    client.get(path)
    response = client.post(CHECK, {**answers(**changed), "next": path}, follow=True)
    assert response.status_code == 200
    urls = [url for url, _ in response.redirect_chain]
    assert urls and not any("answer" in url or "yes" in url or "unsaid" in url for url in urls)
    assert "answer-" not in caplog.text and "unsaid" not in caplog.text
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert "answer-" not in dump.getvalue() and "unsaid" not in dump.getvalue()
    # The sealed session, read through the site's own store: when it was checked, nothing else.
    store = client.session.__class__(client.session.session_key)
    kept = store.load()
    assert set(kept) == {safety_gate.SAFETY_CHECKED}
    assert abs(kept[safety_gate.SAFETY_CHECKED] - time.time()) < 60


def test_a_sitting_ends_after_a_quiet_half_hour_and_reading_on_keeps_it_open(
    client, db, monkeypatch, settings
):
    now = [1_000_000]
    monkeypatch.setattr(safety_gate.time, "time", lambda: now[0])
    first, second = partner_facing_steps()[:2]
    client.post(CHECK, {**ALL_NO, "next": first.get_absolute_url()})
    now[0] += settings.SESSION_IDLE_TIMEOUT - 60
    assert HEADING not in client.get(first.get_absolute_url()).text  # and freshened
    now[0] += settings.SESSION_IDLE_TIMEOUT - 60
    assert HEADING not in client.get(second.get_absolute_url()).text
    now[0] += settings.SESSION_IDLE_TIMEOUT + 1
    assert shows_check(client.get(second.get_absolute_url()), second.get_absolute_url())


def test_a_mark_left_by_the_older_check_does_not_count(client, db):
    session = client.session
    session[safety_gate.SAFETY_CHECKED] = True
    session.save()
    path = partner_facing_steps()[0].get_absolute_url()
    assert shows_check(client.get(path), path)


def test_a_question_left_out_is_asked_again_with_the_other_answers_kept(client, db):
    path = partner_facing_steps()[0].get_absolute_url()
    data = {**ALL_NO, "answer-fear": gate.YES, "next": path}
    del data["answer-harm"]
    response = client.post(CHECK, data)
    assert response.status_code == 400
    assert "One question has no answer yet" in response.text
    assert 'aria-describedby="answer-harm-error"' in response.text
    assert 'value="yes" id="answer-fear-yes" checked' in response.text
    assert f'name="next" value="{path}"' in response.text
    assert safety_gate.SAFETY_CHECKED not in client.session


@pytest.mark.parametrize(
    "target",
    [
        "https://example.com/",
        "//example.com/guides/",
        "/\\example.com",
        "/accounts/email/",
        "/guides/open-the-conversation/go-first/?x=1",
        "/guides/no-such-guide/nothing/",
        "/guides/understand-the-resistance/not-about-you/",
        "/guides/understand-the-resistance/print/",
        "/guides/" + "a" * 400,
        "",
    ],
)
def test_the_check_only_sends_people_on_to_a_page_it_stands_in_front_of(client, db, target):
    response = client.post(CHECK, {**ALL_NO, "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == reverse("guides:index")
    safer = client.get(SAFER, {"next": target})
    assert "Go on to the page you chose" not in safer.text


def test_a_get_of_the_check_address_carries_nothing_and_marks_nothing(client, db):
    response = client.get(CHECK, {"answer-fear": "no", "next": "/guides/reevaluate/"})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("guides:index")
    assert safety_gate.SAFETY_CHECKED not in client.session


def test_the_old_check_address_shows_the_guide_and_marks_nothing(client, db):
    old = "/guides/open-the-conversation/check/"
    for response in (client.get(old + "?afraid=no"), client.post(old, {"afraid": "no"})):
        assert response.status_code == 302
        assert response.headers["Location"] == "/guides/open-the-conversation/"
    assert safety_gate.SAFETY_CHECKED not in client.session


def test_the_safer_page_opens_for_anyone_and_says_what_fits_what_to_watch_and_where_to_call(
    client, db
):
    response = client.get(SAFER)
    assert response.status_code == 200
    html = response.text
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "safety" not in title.lower() and "abuse" not in title.lower()
    assert 'href="/guides/grow-yourself/"' in html
    assert 'href="/guides/grow-yourself/support-for-you/"' in html
    for slug in ("open-the-conversation", "set-boundaries", "reevaluate"):
        assert site_content().guide(slug).title in html
    assert "Let them know what you" in html  # the one flagged step of guide 4
    assert 'href="/safety/plan/"' in html and 'href="/safety/"' in html
    first_line = next(line for line in settings.SAFETY_LINES if line.get("phone"))
    assert first_line["phone"] in html
    assert "Go on to the page you chose" not in html  # no chosen page, no button
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("which", ["check", "safer"])
def test_the_check_and_the_safer_page_read_at_grade_six_or_below(client, db, which):
    path = partner_facing_steps()[0].get_absolute_url()
    html = client.get(path if which == "check" else SAFER).text
    assert page_grade(html) <= 6.0


def test_a_signed_out_first_visit_to_the_check_makes_no_query(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        client.get(partner_facing_steps()[0].get_absolute_url())


def test_a_step_flag_must_be_true_or_false(content_copy):
    step = content_copy / "01-understand-the-resistance" / "01-not-about-you.md"
    step.write_text(step.read_text().replace("---\n", "---\nsafety_check: maybe\n", 1))
    with pytest.raises(
        ContentError, match=r"01-not-about-you\.md: safety_check must be true or false"
    ):
        load_content(content_copy)


def test_a_step_flag_alone_puts_the_check_in_front_of_that_step(content_copy):
    step = content_copy / "01-understand-the-resistance" / "02-the-fears-underneath.md"
    step.write_text(step.read_text().replace("---\n", "---\nsafety_check: true\n", 1))
    guide = load_content(content_copy).guide("understand-the-resistance")
    assert [s.slug for s in guide.steps if s.safety_check] == ["the-fears-underneath"]
    assert guide.has_checked_steps


def test_the_conversation_planner_shows_the_check_first_then_the_page(signed_in, user):
    """The planner plans a talk with the partner: its list, new plan and plan pages meet the
    check once in a sitting, like the steps that embed it. Saving (a POST) is never held."""
    from tests.factories import ConversationPlanFactory

    plan = ConversationPlanFactory(user=user)
    pages = [
        "/conversation-planner/",
        "/conversation-planner/new/",
        f"/conversation-planner/{plan.pk}/",
    ]
    for path in pages:
        assert gate.safe_target(path) == path
        assert HEADING in signed_in.get(path).text, path
    answered = signed_in.post(CHECK, {**ALL_NO, "next": pages[1]})
    assert answered.status_code == 303 and answered.headers["Location"] == pages[1]
    for path in pages:
        assert HEADING not in signed_in.get(path).text, path
