import re
from datetime import date, timedelta

from django.utils import timezone

from journal.charts import mood_chart


def test_the_mood_page_draws_an_svg_chart_with_a_table_as_its_text_alternative(
    signed_in, user, write
):
    today = timezone.localdate()
    for days_ago, mood in [(1, 2), (1, 4), (2, 5), (2, 3)]:
        write(user, mood=mood, entry_date=today - timedelta(days=days_ago))
    write(user, mood=None, entry_date=today)
    page = signed_in.get("/journal/moods/").text
    svg = page[page.index('<svg class="mood-chart__svg"') :].split("</svg>")[0]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count("<circle") == 2 and svg.count("<polyline") == 1  # two days, averaged
    assert "style=" not in page  # the CSP blocks style attributes
    table = page[page.index("<table") : page.index("</table>")]
    assert "Average mood per day" in table
    assert 'Mixed <span class="meta">(3.0 of 5)</span>' in table  # (2 + 4) / 2
    assert 'Good <span class="meta">(4.0 of 5)</span>' in table  # (5 + 3) / 2
    assert "4 entries with a mood" in page


def test_the_mood_page_keeps_to_the_range_chosen(signed_in, user, write):
    today = timezone.localdate()
    write(user, mood=1, entry_date=today - timedelta(days=200))
    write(user, mood=5, entry_date=today - timedelta(days=10))
    assert "1 entry with a mood" in signed_in.get("/journal/moods/?range=3m").text
    assert "2 entries with a mood" in signed_in.get("/journal/moods/?range=12m").text
    assert "2 entries with a mood" in signed_in.get("/journal/moods/?range=nonsense").text


def test_without_moods_the_page_says_how_to_add_one(signed_in, user, write):
    write(user)
    page = signed_in.get("/journal/moods/").text
    assert "No entries with a mood in this time range yet" in page and "mood-chart__svg" not in page


def test_the_chart_averages_per_week_or_month_as_the_span_grows():
    start = date(2026, 1, 5)  # a Monday
    weekly = mood_chart(
        [(start, 1), (start + timedelta(days=2), 3), (start + timedelta(days=100), 5)]
    )
    assert weekly.unit == "week" and [b.average for b in weekly.buckets] == [2, 5]
    assert weekly.buckets[0].label == "Week of 5 Jan 2026" and weekly.buckets[0].words == "Low"
    monthly = mood_chart([(start, 4), (start + timedelta(days=800), 2)])
    assert monthly.unit == "month" and monthly.buckets[1].label == "March 2028"


def test_a_long_silence_breaks_the_line_instead_of_bridging_it():
    start = date(2026, 1, 1)
    points = [(start + timedelta(days=n), 3) for n in (0, 1, 2, 40, 41)]
    chart = mood_chart(points)
    assert len(chart.lines) == 2
    assert all(re.fullmatch(r"[\d., ]+", line) for line in chart.lines)
    assert [anchor for _, _, anchor in chart.x_ticks] == [
        "start",
        "middle",
        "middle",
        "middle",
        "end",
    ]


def test_no_moods_no_chart():
    assert mood_chart([]) is None
