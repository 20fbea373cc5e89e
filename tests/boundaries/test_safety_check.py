"""The safety check in front of the boundary plan builder (core.safety_gate.checked_first).

The check itself (questions, answers, the yes page) is tested in tests/guides/test_safety_check.py;
here: which builder pages it stands in front of, and the way back to them.
"""

import pytest
from django.urls import reverse

from core import safety_gate
from guides import safety_check as gate
from tests.boundaries.test_views import builder_post
from tests.factories import PASSWORD

CHECK = reverse("guides:check")
HEADING = "A few questions first"
ALL_NO = {question.name: gate.NO for question in gate.QUESTIONS}
BUILDER = 'value="save"'  # the builder's "Save plan" button


def guarded_paths(plan):
    return ["/plans/new/", f"/plans/{plan.pk}/edit/"]


@pytest.mark.parametrize("which", [0, 1], ids=["new", "edit"])
def test_the_builder_shows_the_check_first_then_the_page_asked_for(signed_in, plan, which):
    path = guarded_paths(plan)[which]
    first = signed_in.get(path)
    assert first.status_code == 200
    assert HEADING in first.text and BUILDER not in first.text
    assert f'name="next" value="{path}"' in first.text
    assert "<title>" in first.text and "boundary plan" in first.text.split("</title>")[0]
    assert "no-store" in first.headers["Cache-Control"]

    answered = signed_in.post(CHECK, {**ALL_NO, "next": path})
    assert answered.status_code == 303 and answered.headers["Location"] == path
    assert BUILDER in signed_in.get(path).text
    # Once a sitting: the other builder page opens at once too.
    other = guarded_paths(plan)[1 - which]
    assert BUILDER in signed_in.get(other).text
    # What the session keeps of the check is when it was answered, no answer.
    kept = signed_in.session
    assert isinstance(kept[safety_gate.SAFETY_CHECKED], int)
    assert not any(key.startswith("answer") for key, _ in kept.items())


def test_a_yes_leads_to_the_reading_choices_which_offer_the_builder_still(signed_in):
    answers = {**ALL_NO, "answer-fear": gate.YES, "next": "/plans/new/"}
    response = signed_in.post(CHECK, answers)
    assert response.status_code == 303
    assert response.headers["Location"] == "/guides/reading-choices/?next=%2Fplans%2Fnew%2F"
    assert (
        "answer" not in response.headers["Location"] and "yes" not in response.headers["Location"]
    )
    html = signed_in.get(response.headers["Location"]).text
    assert "“Boundary plans”. What you write stays private" in html  # among the risks
    assert 'href="/plans/new/">Go on to the page you chose' in html
    assert BUILDER in signed_in.get("/plans/new/").text


def test_reading_and_printing_a_saved_plan_need_no_check(signed_in, plan):
    for path in ("/plans/", f"/plans/{plan.pk}/", f"/plans/{plan.pk}/history/"):
        response = signed_in.get(path)
        assert response.status_code == 200 and HEADING not in response.text, path


def test_a_plan_being_saved_is_never_turned_away_by_the_check(signed_in, plan):
    data = builder_post("Kept", rows=[{"action": "I will take a walk."}])
    response = signed_in.post(f"/plans/{plan.pk}/edit/", data)
    assert response.status_code == 302 and response.headers["Location"] == f"/plans/{plan.pk}/"


def test_another_persons_plan_is_a_404_before_the_check(signed_in, others_plan):
    assert signed_in.get(f"/plans/{others_plan.pk}/edit/").status_code == 404


def test_signed_out_people_sign_in_first_then_meet_the_check_then_the_builder(client, user):
    response = client.get("/plans/new/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=/plans/new/"
    signed = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD, "next": "/plans/new/"}
    )
    assert signed.status_code == 302 and signed.headers["Location"] == "/plans/new/"
    check = client.get("/plans/new/")
    assert HEADING in check.text and 'name="next" value="/plans/new/"' in check.text
    answered = client.post(CHECK, {**ALL_NO, "next": "/plans/new/"})
    assert answered.headers["Location"] == "/plans/new/"
    assert BUILDER in client.get("/plans/new/").text


def test_only_the_builders_pages_are_ways_back_from_the_check(plan):
    assert safety_gate.safe_target("/plans/new/") == "/plans/new/"
    assert safety_gate.safe_target(f"/plans/{plan.pk}/edit/") == f"/plans/{plan.pk}/edit/"
    for path in ("/plans/", f"/plans/{plan.pk}/", "/plans/new/?x=1", "/plans/new/" + "a" * 300):
        assert safety_gate.safe_target(path) is None, path
