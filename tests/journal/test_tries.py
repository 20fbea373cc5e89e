"""What we tried (guide 3's tracker): one row per try, sealed under the person's key,
shown as a list and a small chart; bad input is a 400 that keeps what was typed."""

from datetime import date

from django.db import connection

from journal.charts import TRIES_SHOWN, closeness_chart
from journal.models import MAX_TRIES, Try, TryContent
from journal.personal_data import erase, export
from journal.selectors import tries_of
from journal.services import try_create

URL = "/journal/tried/"
VALID = {
    "tried_on": "2026-03-14",
    "what": "Phone-free dinner",
    "suggested_by": "partner",
    "closeness": "7",
    "note": "We laughed about the cat.",
}


def tried(user, what="Walk", closeness=5, day=date(2026, 3, 1)):
    return try_create(
        user=user,
        content=TryContent(tried_on=day, what=what, suggested_by="me", closeness=closeness),
    )


def test_a_try_is_saved_sealed_and_shown_in_the_list_and_chart(signed_in, user):
    response = signed_in.post(URL, VALID)
    assert response.status_code == 302 and response["Location"] == URL
    with connection.cursor() as cursor:
        cursor.execute("SELECT tried_on, sealed FROM journal_try")
        (stored,) = cursor.fetchall()
    assert str(stored[0]) == "2026-03-14" and stored[1].startswith("gAAAAA")
    assert "Phone-free" not in str(stored) and "cat" not in str(stored)
    (opened,) = tries_of(user)
    assert (opened.what, opened.suggested_by, opened.closeness) == (
        "Phone-free dinner",
        "partner",
        7,
    )
    assert "Phone-free dinner" not in repr(opened)
    page = signed_in.get(URL).text
    assert "Phone-free dinner" in page and "My partner" in page
    assert 'class="tries-chart__bar"' in page and "Latest: 14 Mar 2026, 7 of 10." in page


def test_bad_input_is_a_400_naming_each_problem_and_keeping_what_was_typed(signed_in):
    response = signed_in.post(
        URL, {**VALID, "closeness": "11", "suggested_by": "", "tried_on": "2999-01-01"}
    )
    assert response.status_code == 400
    page = response.text
    assert "Choose who suggested it." in page
    assert "Select a valid choice" in page  # 11 is not on the 0-10 scale
    assert "The date is in the future." in page
    assert 'value="Phone-free dinner"' in page and "We laughed about the cat." in page
    assert not Try.objects.exists()


def test_the_list_stops_at_its_bound_with_a_message_and_keeps_the_input(signed_in, user):
    sealed = tried(user).sealed
    Try.objects.bulk_create(
        Try(user=user, tried_on=date(2026, 1, 1), sealed=sealed) for _ in range(MAX_TRIES - 1)
    )
    response = signed_in.post(URL, VALID)
    assert response.status_code == 400
    assert (
        "the most this list keeps" in response.text and 'value="Phone-free dinner"' in response.text
    )
    assert Try.objects.count() == MAX_TRIES


def test_deleting_a_try_needs_a_post_and_only_the_owner_can(signed_in, user, other_user, client):
    mine = tried(user)
    theirs = tried(other_user)
    assert signed_in.get(f"{URL}{mine.pk}/delete/").status_code == 405
    assert signed_in.post(f"{URL}{theirs.pk}/delete/").status_code == 404
    assert signed_in.post(f"{URL}{mine.pk}/delete/").status_code == 302
    assert list(Try.objects.all()) == [theirs]
    assert "Walk" not in signed_in.get(URL).text


def test_export_holds_every_try_and_erase_removes_them(user, other_user):
    tried(user, what="Yoga video", closeness=8)
    tried(other_user)
    files = export(user, pdfs=None)
    assert b'"what": "Yoga video"' in files["journal/tried.json"]
    assert b'"closeness_0_to_10": 8' in files["journal/tried.json"]
    erase(user)
    assert list(Try.objects.values_list("user", flat=True)) == [other_user.pk]


def test_the_chart_shows_the_newest_tries_and_compares_recent_with_earlier(user):
    for day in range(1, TRIES_SHOWN + 5):
        tried(user, closeness=2 if day <= 14 else 8, day=date(2026, 1, day))
    chart = closeness_chart(tries_of(user))
    assert len(chart.wide.bars) == TRIES_SHOWN == len(chart.narrow.bars)
    assert chart.tries[-1].tried_on == date(2026, 1, TRIES_SHOWN + 4)
    heights = [bar.height for bar in chart.wide.bars]
    assert heights[0] < heights[-1]  # a 2 draws shorter than an 8
    summary = " ".join(chart.summary)
    assert "Average of the last 12: 8.0 of 10; of the 12 before them: 3.0." in summary
    assert f"newest {TRIES_SHOWN} of {TRIES_SHOWN + 4}" in summary
    assert closeness_chart([]) is None


def test_a_zero_still_draws_a_visible_bar(user):
    tried(user, closeness=0)
    (bar,) = closeness_chart(tries_of(user)).wide.bars
    assert bar.height >= 2
