import datetime

import pytest

from boundaries import services
from boundaries.models import BoundaryContent, PlanContent, PlanVersion
from tests.factories import BoundaryContentFactory, PlanFactory
from tests.sealed import plan_content, version_content

# Text that a careless round trip would change: spacing, line ends, quotes, non-Latin letters.
TRICKY = BoundaryContent(
    need="  Rest,\r\nand calm.  \n\n",
    action="I will say “enough for tonight” — and mean it.\tReally.",
    say="Je suis fatiguée. Я устала. 私は疲れた. 🌙",
    if_crossed="",
    support="<Sam> & 'Priya'",
    status="revisit",
    review_on=datetime.date(2030, 2, 28),
)


def test_every_change_keeps_a_version_and_an_unchanged_save_does_not(plan):
    content = plan_content(plan)
    assert services.plan_update(plan=plan, content=content) is None
    changed = PlanContent(title="New title", why=content.why, boundaries=content.boundaries)
    version = services.plan_update(plan=plan, content=changed)
    assert version.number == 2 and version.reason == "Edited"
    assert [v.number for v in plan.versions.all()] == [2, 1]
    assert version_content(plan.versions.get(number=1)) == content


def test_a_version_holds_the_plan_exactly_and_restoring_it_brings_back_exactly_that(user):
    original = PlanContent(
        title="  Winter — “plan” ",
        why="Line one\nLine two\n",
        boundaries=(TRICKY, BoundaryContentFactory(), BoundaryContentFactory(status="holding")),
    )
    plan = services.plan_create(user=user, content=original)
    plan.refresh_from_db()
    assert plan_content(plan) == original
    assert version_content(plan.versions.get(number=1)) == original

    reordered = PlanContent(
        title="Something else",
        why="",
        boundaries=(original.boundaries[2], BoundaryContentFactory(action="I will go.")),
    )
    services.plan_update(plan=plan, content=reordered)
    assert plan_content(plan) == reordered

    restored = services.plan_restore_version(plan=plan, version=plan.versions.get(number=1))
    assert restored.number == 3 and restored.reason == "Restored version 1"
    plan.refresh_from_db()
    assert plan_content(plan) == original
    assert version_content(restored) == original
    # The version restored over is still there.
    assert version_content(plan.versions.get(number=2)) == reordered


def test_restoring_from_the_pages_saves_a_new_version(signed_in, plan):
    services.plan_update(plan=plan, content=PlanContent(title="Changed", boundaries=()))
    response = signed_in.post(f"/plans/{plan.pk}/versions/1/restore/", follow=True)
    assert "Version 1 is restored, and saved as version 3." in response.text
    plan.refresh_from_db()
    assert plan_content(plan) == version_content(plan.versions.get(number=1))
    # Restoring what is already there changes nothing.
    response = signed_in.post(f"/plans/{plan.pk}/versions/3/restore/", follow=True)
    assert "already matches version 3" in response.text
    assert plan.versions.count() == 3


def test_restore_only_accepts_post(signed_in, plan):
    assert signed_in.get(f"/plans/{plan.pk}/versions/1/restore/").status_code == 405


def test_the_history_lists_every_version_newest_first(signed_in, plan):
    services.plan_update(plan=plan, content=PlanContent(title="Second", boundaries=()))
    html = signed_in.get(f"/plans/{plan.pk}/history/").text
    assert html.index("Version 2") < html.index("Version 1")
    assert "Created" in html and "Edited" in html
    assert f'action="/plans/{plan.pk}/compare/"' in html


def test_an_earlier_version_can_be_read_in_full(signed_in, user):
    plan = PlanFactory(user=user, boundaries=[TRICKY])
    services.plan_update(plan=plan, content=PlanContent(title="Later", boundaries=()))
    html = signed_in.get(f"/plans/{plan.pk}/versions/1/").text
    assert "Je suis fatiguée. Я устала." in html
    assert "Restore this version" in html
    assert f"/plans/{plan.pk}/compare/?a=1&amp;b=2" in html
    assert "Restore this version" not in signed_in.get(f"/plans/{plan.pk}/versions/2/").text


def test_two_versions_compare_side_by_side_with_changes_marked(signed_in, user):
    first = BoundaryContentFactory(action="I will stop at ten.", support="Sam")
    plan = PlanFactory(user=user, title="Plan", boundaries=[first])
    second = BoundaryContent(**{**vars(first), "action": "I will stop at half past nine."})
    services.plan_update(
        plan=plan,
        content=PlanContent(title="Plan", why=plan_content(plan).why, boundaries=(second, TRICKY)),
    )
    html = signed_in.get(f"/plans/{plan.pk}/compare/", {"a": 2, "b": 1}).text
    assert "Version 1 and version 2, side by side" in html
    start = html.index("The boundary: what I will do")
    row = html[start : html.index("</tr>", start)]
    assert "Changed" in row
    assert row.index("I will stop at ten.") < row.index("I will stop at half past nine.")
    # One changed action, and boundary 2 is new in all but its empty if_crossed.
    assert html.count("badge--changed") == 1 + 6
    assert "Boundary 2" in html and "Je suis fatiguée" in html


@pytest.mark.parametrize("query", [{}, {"a": "1"}, {"a": "x", "b": "1"}, {"a": "1", "b": "1"}])
def test_compare_asks_for_two_different_versions(signed_in, plan, query):
    response = signed_in.get(f"/plans/{plan.pk}/compare/", query)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/plans/{plan.pk}/history/"


def test_a_version_of_another_plan_is_404(signed_in, user, plan):
    other = PlanFactory(user=user)
    services.plan_update(plan=other, content=PlanContent(title="Other 2", boundaries=()))
    assert signed_in.get(f"/plans/{plan.pk}/versions/2/").status_code == 404
    assert signed_in.get(f"/plans/{plan.pk}/compare/", {"a": 1, "b": 2}).status_code == 404


def test_the_oldest_versions_go_once_the_history_is_full(plan, monkeypatch):
    monkeypatch.setattr(services, "VERSIONS_KEPT", 3)
    for number in range(2, 6):
        services.plan_update(plan=plan, content=PlanContent(title=f"T{number}", boundaries=()))
    assert list(plan.versions.values_list("number", flat=True)) == [5, 4, 3]
    assert PlanVersion.objects.count() == 3


def test_the_comparison_can_show_only_what_changed(signed_in, user):
    plan = PlanFactory(user=user, title="Plan", boundaries=2)
    content = plan_content(plan)
    edited = BoundaryContent(**{**vars(content.boundaries[1]), "support": "Priya now."})
    services.plan_update(
        plan=plan, content=PlanContent("Plan", content.why, (content.boundaries[0], edited))
    )
    html = signed_in.get(f"/plans/{plan.pk}/compare/", {"a": 1, "b": 2, "show": "changes"}).text
    assert "Showing only what changed" in html
    assert "Priya now." in html and "Boundary 2" in html
    assert "Boundary 1" not in html and "The need or value behind it" not in html
