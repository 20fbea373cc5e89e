"""The mood-over-time chart: averages per day, week or month, laid out here as SVG geometry.

The template draws it with SVG presentation attributes (which WeasyPrint's PDF
renderer reads) and classes (which the site's CSS uses for dark mode); there are
no style attributes, which the CSP would block. The same buckets fill the table
that is the chart's text alternative.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from .models import MOODS

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 92, 24, 16, 40
DAILY_UP_TO_DAYS = 92
WEEKLY_UP_TO_DAYS = 2 * 366
X_TICKS = 5
# A line joins two averages only if no more than this many buckets are missing between
# them; a longer silence shows as a gap, not as a made-up straight line.
JOIN_ACROSS = 2
UNIT_DAYS = {"day": 1, "week": 7, "month": 31}


@dataclass(frozen=True)
class Bucket:
    start: date
    label: str
    average: float
    count: int
    x: float
    y: float

    @property
    def words(self) -> str:
        return MOODS[round(self.average)]


@dataclass(frozen=True)
class Chart:
    buckets: list[Bucket]
    unit: str  # "day", "week" or "month"
    lines: list[str]  # SVG polyline points, one string per unbroken run
    x_ticks: list[tuple[float, str, str]]  # x, label, text-anchor
    y_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM
    label_x: int = LEFT - 10
    tick_y: int = HEIGHT - 14

    @property
    def first_label(self) -> str:
        return self.buckets[0].label.removeprefix("Week of ")

    @property
    def last_label(self) -> str:
        return self.buckets[-1].label.removeprefix("Week of ")

    @property
    def point_radius(self) -> float:
        return 2.5 if len(self.buckets) > 60 else 4.5


def _y(mood: float) -> float:
    return round(TOP + (5 - mood) * (HEIGHT - TOP - BOTTOM) / 4, 1)


def _bucket_start(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _label(start: date, unit: str) -> str:
    if unit == "day":
        return f"{start.day} {start:%b %Y}"
    if unit == "week":
        return f"Week of {start.day} {start:%b %Y}"
    return f"{start:%B %Y}"


def mood_chart(points: list[tuple[date, int]]) -> Chart | None:
    """Average the (date, mood) *points* per day, week or month; None when there are none."""
    if not points:
        return None
    first, last = min(day for day, _ in points), max(day for day, _ in points)
    span = (last - first).days
    unit = "day" if span <= DAILY_UP_TO_DAYS else "week" if span <= WEEKLY_UP_TO_DAYS else "month"
    groups: dict[date, list[int]] = defaultdict(list)
    for day, mood in points:
        groups[_bucket_start(day, unit)].append(mood)
    starts = sorted(groups)
    origin, end = starts[0], starts[-1]
    length = (end - origin).days
    plot_width = WIDTH - LEFT - RIGHT

    def x_of(day: date) -> float:
        if length == 0:
            return round(LEFT + plot_width / 2, 1)
        return round(LEFT + (day - origin).days / length * plot_width, 1)

    buckets = []
    for start in starts:
        moods = groups[start]
        average = sum(moods) / len(moods)
        buckets.append(
            Bucket(start, _label(start, unit), average, len(moods), x_of(start), _y(average))
        )
    return Chart(
        buckets=buckets,
        unit=unit,
        lines=_lines(buckets, unit),
        x_ticks=_x_ticks(origin, end, x_of),
        y_ticks=[(_y(value), label) for value, label in MOODS.items()],
    )


def _lines(buckets: list[Bucket], unit: str) -> list[str]:
    runs: list[list[Bucket]] = [[buckets[0]]]
    longest_gap = timedelta(days=UNIT_DAYS[unit] * (JOIN_ACROSS + 1))
    for previous, bucket in pairwise(buckets):
        if bucket.start - previous.start > longest_gap:
            runs.append([])
        runs[-1].append(bucket)
    return [" ".join(f"{b.x},{b.y}" for b in run) for run in runs if len(run) > 1]


def _x_ticks(origin: date, end: date, x_of) -> list[tuple[float, str, str]]:
    """Dates evenly spread in time along the axis, the first and last kept inside the chart."""
    length = (end - origin).days
    if length == 0:
        return [(x_of(origin), f"{origin.day} {origin:%b %Y}", "middle")]
    ticks = []
    for index in range(X_TICKS):
        day = origin + timedelta(days=round(index * length / (X_TICKS - 1)))
        label = f"{day:%b %Y}" if length > 300 else f"{day.day} {day:%b}"
        anchor = "start" if index == 0 else "end" if index == X_TICKS - 1 else "middle"
        ticks.append((x_of(day), label, anchor))
    return ticks
