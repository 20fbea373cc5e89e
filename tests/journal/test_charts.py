"""The mood chart: readable at any width, points joined or averaged, newest first in words."""

import re
from datetime import date, timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from journal.charts import NARROW, WIDE, mood_chart

START = date(2026, 9, 7)  # a Monday


def every(days, count, moods=(2, 3, 4, 5, 3)):
    return [(START + timedelta(days=days * n), moods[n % len(moods)]) for n in range(count)]


def test_entries_a_few_days_apart_are_joined_by_one_line():
    chart = mood_chart(every(4, 15))
    assert chart.unit == "day"
    assert len(chart.wide.lines) == 1 and len(chart.narrow.lines) == 1
    assert chart.wide.lines[0].count(",") == 15  # every day written is on the line


def test_a_silence_of_weeks_still_breaks_the_line():
    chart = mood_chart(
        [*every(2, 5), (START + timedelta(days=60), 3), (START + timedelta(days=62), 4)]
    )
    assert len(chart.wide.lines) == 2


def test_many_days_are_averaged_per_week():
    chart = mood_chart(every(1, 80))
    assert chart.unit == "week"
    assert len(chart.buckets) == 12 and len(chart.wide.lines) == 1
    assert chart.buckets[0].label == "Week of 7 Sep 2026" and chart.buckets[0].count == 7


def test_both_shapes_keep_every_point_and_label_inside_the_frame():
    chart = mood_chart(every(3, 30))
    for plot, frame in ((chart.wide, WIDE), (chart.narrow, NARROW)):
        assert plot.width == frame.width
        xs = [p.x for p in plot.points]
        assert min(xs) == frame.left and max(xs) == frame.width - frame.right
        assert all(frame.top <= p.y <= frame.height - frame.bottom for p in plot.points)
        x, y, anchor = plot.latest_label
        assert 0 <= y <= frame.height and (anchor == "end") == (x < plot.points[-1].x)
        assert len(plot.x_ticks) == frame.x_ticks
    assert len(chart.narrow.x_ticks) < len(chart.wide.x_ticks)  # fewer dates on a phone


def test_the_summary_gives_the_newest_period_first():
    points = every(4, 10)
    chart = mood_chart(points)
    newest_day, newest_mood = points[-1]
    first, before, overall = chart.summary
    assert first.startswith(f"Latest: {newest_day.day} {newest_day:%b %Y}, ")
    assert f"({newest_mood:.1f} of 5, 1 entry)" in first
    assert before.startswith("Before that: ")
    assert overall.startswith("From 7 Sep 2026 to ") and "highest Very good" in overall
    weekly = mood_chart(every(1, 80))
    assert weekly.summary[0].startswith("Latest: the week of ")


def test_one_entry_has_a_summary_of_one_sentence():
    chart = mood_chart([(START, 4)])
    assert chart.summary == ["Latest: 7 Sep 2026, Good (4.0 of 5, 1 entry)."]


def test_the_page_scales_each_shape_to_its_box_with_labelled_axes(signed_in, user, write):
    today = timezone.localdate()
    for n in range(6):
        write(user, mood=3 + n % 2, entry_date=today - timedelta(days=5 * n))
    page = signed_in.get("/journal/moods/").text
    svgs = re.findall(r'<svg class="mood-chart__svg"[^>]*>', page)
    assert len(svgs) == 2
    assert all("viewBox=" in svg and " width=" not in svg and " height=" not in svg for svg in svgs)
    assert 'viewBox="0 0 640 ' in svgs[0] and 'viewBox="0 0 340 ' in svgs[1]
    assert page.count(">Mood</text>") == 2 and page.count(">Day written</text>") == 2
    assert page.count("Latest: ") >= 3  # the summary and the note in each shape
    assert page.index('class="mood-chart__summary"') < page.index('<svg class="mood-chart__svg"')
    assert "style=" not in page and 'tabindex="0"' not in page  # nothing scrolls any more


def test_the_pdf_draws_the_wide_shape_only():
    chart = mood_chart(every(4, 10))
    html = render_to_string(
        "journal/_mood_chart.html", {"chart": chart, "chart_id": "pdf", "chart_only": True}
    )
    assert html.count("<svg") == 1 and 'viewBox="0 0 640 ' in html
    assert "mood-chart__summary" not in html and "<table" not in html
