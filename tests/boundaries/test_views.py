import datetime
import re

import pytest
from django.utils import timezone

from boundaries import services
from boundaries.examples import EXAMPLES
from boundaries.forms import BOUNDARY_PREFIX
from boundaries.models import Boundary, Plan, PlanContent, PlanVersion
from tests.factories import BoundaryContentFactory, PlanFactory
from tests.sealed import boundary_action, plan_content

P = BOUNDARY_PREFIX


def builder_post(title="My plan", why="", rows=(), *, action="save", extra=None):
    """What the builder form posts: the plan, then one formset row per boundary."""
    data = {
        "title": title,
        "why": why,
        "builder": action,
        f"{P}-TOTAL_FORMS": str(len(rows)),
        f"{P}-INITIAL_FORMS": "0",
        f"{P}-MIN_NUM_FORMS": "0",
        f"{P}-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        values = {"status": "drafting", "review_on": "", "ORDER": str(index + 1)} | row
        for name, value in values.items():
            data[f"{P}-{index}-{name}"] = value
    data.update(extra or {})
    return data


def text_areas(html: str, name: str) -> list[str]:
    """The contents of every textarea for *name* in each boundary, in page order."""
    found = re.findall(rf'<textarea name="{P}-(\d+)-{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    return [value for _, value in found]


# --- Access ------------------------------------------------------------------------------------

PLAN_GETS = ["", "edit/", "pdf/", "history/", "versions/1/", "compare/?a=1&b=1", "delete/"]
PLAN_POSTS = ["edit/", "versions/1/restore/", "duplicate/", "delete/"]


@pytest.mark.parametrize("suffix", sorted({*PLAN_GETS, *PLAN_POSTS}))
def test_another_users_plan_is_404_on_every_page_whatever_the_method(
    signed_in, others_plan, suffix
):
    url = f"/plans/{others_plan.pk}/{suffix}"
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url).status_code == 404


def test_the_wrong_method_on_my_own_plan_is_405(signed_in, plan):
    assert signed_in.get(f"/plans/{plan.pk}/duplicate/").status_code == 405
    assert signed_in.post(f"/plans/{plan.pk}/pdf/").status_code == 405


@pytest.mark.parametrize("suffix", PLAN_POSTS)
def test_another_users_plan_cannot_be_changed(signed_in, others_plan, suffix):
    response = signed_in.post(f"/plans/{others_plan.pk}/{suffix}", builder_post("Mine now"))
    assert response.status_code == 404
    others_plan.refresh_from_db()
    assert plan_content(others_plan).title != "Mine now"
    assert Plan.objects.count() == 1 and others_plan.versions.count() == 1


@pytest.mark.parametrize("suffix", ["", "new/", *PLAN_GETS])
def test_signed_out_visitors_are_sent_to_sign_in(client, plan, suffix):
    path = f"/plans/{suffix}" if suffix in ("", "new/") else f"/plans/{plan.pk}/{suffix}"
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/?next=")


def test_plan_ids_are_not_sequential(plan):
    assert re.fullmatch(r"[0-9a-f-]{36}", str(plan.pk))


def test_plan_text_is_sealed_at_rest_with_the_owners_own_key(plan):
    from django.db import connection

    from accounts.crypto import InvalidToken, decrypt_text

    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM boundaries_plan")
        [(head,)] = cursor.fetchall()
        cursor.execute("SELECT sealed FROM boundaries_boundary")
        texts = [value for (value,) in cursor.fetchall()]
        cursor.execute("SELECT sealed FROM boundaries_planversion")
        [(snapshot,)] = cursor.fetchall()
    assert "Looking after myself" not in head and "evenings" not in head
    assert texts and not any("I will" in value or "Sam" in value for value in texts)
    assert "I will" not in snapshot
    for token in (head, snapshot, *texts):  # not the server keys: the owner's data key
        with pytest.raises(InvalidToken):
            decrypt_text(token)
    assert plan_content(plan).title.startswith("Looking after myself")


# --- The list and the home page -----------------------------------------------------------------


def test_the_list_shows_only_my_plans_with_their_counts(signed_in, user, plan, others_plan):
    PlanFactory(user=user, title="A second plan", boundaries=[
        BoundaryContentFactory(status="holding"), BoundaryContentFactory(status="revisit"),
    ])  # fmt: skip
    html = signed_in.get("/plans/").text
    assert plan_content(plan).title in html and "A second plan" in html
    assert plan_content(others_plan).title not in html
    assert "3 drafting" in html and "1 holding" in html and "1 to revisit" in html


def test_an_empty_list_points_to_the_guide_and_the_builder(signed_in):
    html = signed_in.get("/plans/").text
    assert "No plans yet" in html
    assert 'href="/guides/set-boundaries/write-your-boundary-plan/"' in html
    assert 'href="/plans/new/"' in html


def test_boundaries_due_for_review_show_on_the_list_and_the_home_page(signed_in, user, other_user):
    today = timezone.localdate()
    days = datetime.timedelta(days=1)
    PlanFactory(user=user, title="Winter plan", boundaries=[
        BoundaryContentFactory(action="I will rest on Sundays.", review_on=today - 3 * days),
        BoundaryContentFactory(action="I will call Sam weekly.", review_on=today + 9 * days),
    ])  # fmt: skip
    PlanFactory(user=other_user, boundaries=[
        BoundaryContentFactory(action="Someone else's boundary", review_on=today),
    ])  # fmt: skip
    for path in ("/plans/", "/"):
        html = signed_in.get(path).text
        assert "I will rest on Sundays." in html, path
        assert "I will call Sam weekly." not in html, path
        assert "Someone else" not in html, path
        assert "Winter plan" in html, path


def test_the_home_page_stays_cheap_and_shows_nothing_due_when_signed_out(
    client, signed_in, user, django_assert_max_num_queries
):
    PlanFactory(user=user, boundaries=[
        BoundaryContentFactory(review_on=timezone.localdate()) for _ in range(8)
    ])  # fmt: skip
    signed_in.get("/")  # the first request of a session records its start
    # The user, the guide progress, and the due boundaries with their plans.
    with django_assert_max_num_queries(3):
        html = signed_in.get("/").text
    assert html.count("review date") == 5  # the home page shows the first five
    signed_in.logout()
    assert "Time to look again" not in client.get("/").text


def test_the_guide_step_opens_the_builder(safety_checked):
    html = safety_checked.get("/guides/set-boundaries/write-your-boundary-plan/").text
    assert 'href="/plans/"' in html and "Open the boundary plan builder" in html


@pytest.mark.parametrize(
    ("path", "most"),
    [
        ("/plans/", 3),
        # and a PDF of it being made (boundaries.tasks.plan_pdf_job), and its reminder if set
        ("{plan}/", 5),
        ("{plan}/edit/", 3),
        ("{plan}/history/", 3),
        ("{plan}/versions/1/", 4),
        ("{plan}/compare/?a=1&b=2", 4),
        ("{plan}/delete/", 3),
    ],
)
def test_plan_pages_need_few_queries(
    signed_in, safety_checked, user, path, most, django_assert_max_num_queries
):
    # Past the safety check in front of the builder: the page itself is measured.
    # The user (the session is cached), then the page's own reads, whatever the sizes.
    plan = PlanFactory(user=user, boundaries=12)
    services.plan_update(plan=plan, content=PlanContent(title="Changed", boundaries=()))
    for _ in range(3):
        PlanFactory(user=user)
    url = path.format(plan=f"/plans/{plan.pk}")
    signed_in.get("/")  # the first request of a session records its start
    with django_assert_max_num_queries(most):
        assert signed_in.get(url).status_code == 200


# --- Building a plan ------------------------------------------------------------------------------


def test_a_new_plan_starts_with_one_blank_boundary_and_the_guides_examples(
    signed_in, safety_checked
):
    html = signed_in.get("/plans/new/").text
    assert len(text_areas(html, "action")) == 1
    for example in EXAMPLES:
        assert example.title in html and f'value="example:{example.slug}"' in html
    # Browsers cut pasted text at maxlength; the server refuses it with a message instead.
    assert "maxlength" not in html


def test_saving_a_new_plan_keeps_it_for_me_as_version_one(signed_in, user):
    rows = [
        {"action": "I will stop at ten.", "status": "holding", "review_on": "2031-05-01"},
        {"need": "", "action": ""},  # left blank: not kept
        {"action": "I will call Sam.", "support": "Sam"},
    ]
    response = signed_in.post("/plans/new/", builder_post("Winter", "Because.", rows))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == f"/plans/{plan.pk}/"
    content = plan_content(plan)
    assert plan.user == user and content.title == "Winter" and content.why == "Because."
    assert [b.action for b in content.boundaries] == ["I will stop at ten.", "I will call Sam."]
    first = plan.boundaries.first()
    assert first.status == "holding" and first.review_on == datetime.date(2031, 5, 1)
    assert [v.number for v in plan.versions.all()] == [1]


def test_order_and_removal_set_in_the_page_are_what_is_saved(signed_in, plan):
    # plans.js reorders by the hidden ORDER fields and removes by DELETE.
    rows = [
        {"action": "First", "ORDER": "3"},
        {"action": "Second", "ORDER": "1"},
        {"action": "Third", "ORDER": "2", "DELETE": "on"},
        {"action": "Fourth", "ORDER": "2"},
    ]
    signed_in.post(f"/plans/{plan.pk}/edit/", builder_post("Plan", rows=rows))
    assert [b.action for b in plan_content(plan).boundaries] == ["Second", "Fourth", "First"]


@pytest.mark.parametrize(
    ("action", "expected", "note"),
    [
        ("up:1", ["Two", "One", "Three"], "Boundary 2 is now boundary 1"),
        ("down:0", ["Two", "One", "Three"], "Boundary 1 is now boundary 2"),
        ("remove:1", ["One", "Three"], "Boundary 2 is removed"),
        ("add", ["One", "Two", "Three", ""], "A new boundary is added as boundary 4"),
        ("up:0", ["One", "Two", "Three"], ""),
    ],
)
def test_the_builder_works_without_javascript_and_saves_nothing_until_asked(
    signed_in, plan, action, expected, note
):
    rows = [{"action": "One", "need": "typed, not saved"}, {"action": "Two"}, {"action": "Three"}]
    response = signed_in.post(
        f"/plans/{plan.pk}/edit/", builder_post("Typed title", rows=rows, action=action)
    )
    assert response.status_code == 200
    html = response.text
    assert text_areas(html, "action") == expected
    assert note in html
    assert 'value="Typed title"' in html and "typed, not saved" in html
    plan.refresh_from_db()
    assert plan_content(plan).title != "Typed title" and plan.versions.count() == 1


@pytest.mark.parametrize(
    ("action", "focused"),
    [
        ("up:2", 'value="up:1"'),  # boundary 3 moved to 2: still on its "Move up"
        ("up:1", 'value="down:0"'),  # now first, where "Move up" is off: on "Move down"
        ("add", f'name="{P}-3-need"'),  # the new boundary's first field
        ("remove:1", "data-status"),  # the note saying what happened
    ],
)
def test_without_javascript_the_focus_lands_where_the_change_happened(
    signed_in, plan, action, focused
):
    rows = [{"action": "One"}, {"action": "Two"}, {"action": "Three"}]
    html = signed_in.post(f"/plans/{plan.pk}/edit/", builder_post(rows=rows, action=action)).text
    [tag] = re.findall(r"<[^>]*\bautofocus\b[^>]*>", html)
    assert focused in tag


def test_an_example_can_be_added_without_javascript(signed_in):
    response = signed_in.post(
        "/plans/new/", builder_post(rows=[{"action": "Mine"}], action="example:time-limit")
    )
    actions = text_areas(response.text, "action")
    assert actions[0] == "Mine"
    assert actions[1].startswith("I will give difficult talks about us a set time")
    assert not Plan.objects.exists()


def test_a_field_over_the_limit_is_refused_with_a_message_and_the_text_kept(signed_in, plan):
    long_text = "word " * 430  # 2,150 characters
    rows = [{"action": "I will rest.", "say": long_text}]
    response = signed_in.post(f"/plans/{plan.pk}/edit/", builder_post("Plan", rows=rows))
    assert response.status_code == 400
    assert "This is 2,150 characters; the limit is 2,000. Shorten it by 150" in response.text
    assert long_text in response.text
    assert plan.versions.count() == 1


def test_a_title_over_its_limit_is_refused_and_kept(signed_in):
    response = signed_in.post("/plans/new/", builder_post("T" * 201, rows=[{"action": "I will."}]))
    assert response.status_code == 400
    assert "the limit is 200" in response.text and "T" * 201 in response.text
    assert not Plan.objects.exists()


def test_a_plan_over_thirty_boundaries_is_refused_with_the_text_kept(signed_in):
    rows = [{"action": f"I will do thing {n}."} for n in range(31)]
    response = signed_in.post("/plans/new/", builder_post("Big", rows=rows))
    assert response.status_code == 400
    assert "A plan holds up to 30 boundaries, and this one has 31" in response.text
    assert "I will do thing 30." in response.text
    assert not Plan.objects.exists()


def test_adding_a_thirty_first_boundary_is_refused_politely(signed_in):
    rows = [{"action": f"I will {n}."} for n in range(30)]
    response = signed_in.post("/plans/new/", builder_post(rows=rows, action="add"))
    assert len(text_areas(response.text, "action")) == 30
    assert "A plan holds up to 30 boundaries." in response.text


def test_a_plan_needs_a_title(signed_in):
    response = signed_in.post("/plans/new/", builder_post("  ", rows=[{"action": "I will."}]))
    assert "Give the plan a title" in response.text
    assert not Plan.objects.exists()


def test_a_hostile_number_of_forms_is_refused(signed_in):
    data = builder_post(rows=[{"action": "x"}])
    data[f"{P}-TOTAL_FORMS"] = "5000"
    response = signed_in.post("/plans/new/", data)
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_the_wording_check_advises_and_the_plan_is_saved_anyway(signed_in):
    rows = [{"action": "You must stop raising your voice at me."}]
    response = signed_in.post("/plans/new/", builder_post("Plan", rows=rows), follow=True)
    assert boundary_action(Plan.objects.get().boundaries.get()) == rows[0]["action"]
    html = response.text
    assert "your plan is saved either way" in html
    assert "“You must stop raising your voice…” tells your partner what they have to do" in html
    assert "Try starting with “I will …”" in html


def test_the_edit_page_shows_the_advice_beside_the_boundary(signed_in, safety_checked, user):
    plan = PlanFactory(user=user, boundaries=[BoundaryContentFactory(say="You need to listen.")])
    html = signed_in.get(f"/plans/{plan.pk}/edit/").text
    assert "How I&#x27;ll say it:</span> “You need to listen” tells your partner" in html


# --- Copy and delete -----------------------------------------------------------------------------


def test_a_plan_can_be_duplicated_as_a_new_plan_of_mine(signed_in, user, plan):
    response = signed_in.post(f"/plans/{plan.pk}/duplicate/")
    copy = Plan.objects.exclude(pk=plan.pk).get()
    assert response.headers["Location"] == f"/plans/{copy.pk}/"
    assert copy.user == user
    assert plan_content(copy).title == f"Copy of {plan_content(plan).title}"
    assert plan_content(copy).boundaries == plan_content(plan).boundaries
    assert copy.versions.get().reason == "Copied from another plan"


def test_deleting_a_plan_asks_first_then_removes_it_and_its_history(signed_in, plan):
    assert "deleted for good" in signed_in.get(f"/plans/{plan.pk}/delete/").text
    response = signed_in.post(f"/plans/{plan.pk}/delete/")
    assert response.headers["Location"] == "/plans/"
    assert not Plan.objects.exists()
    assert not Boundary.objects.exists() and not PlanVersion.objects.exists()
