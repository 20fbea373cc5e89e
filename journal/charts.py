"""The mood-over-time chart: averages per day, week or month, laid out here as SVG geometry.

The chart is drawn twice, at two shapes: a wide one for laptops and the PDF, and a narrow
one for phones, each scaling to its box through its viewBox, so it fits the screen at every
width with text that stays readable; CSS shows the one that fits (no JavaScript).

Points a reader can follow: the days written are joined by a line unless a long silence
separates them; with many days the chart averages per week (or month); the newest point is
marked and named; the axes carry their own labels; and a few sentences under the heading
say, newest first, what the chart shows (the table gives every value).

The template draws it with SVG presentation attributes (which WeasyPrint's PDF renderer
reads) and classes (which the site's CSS uses for dark mode); there are no style attributes,
which the CSP would block.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from django.utils.translation import gettext, gettext_lazy, ngettext

from .models import MOODS, OpenedTry

# Daily points while there are few enough to tell apart; weekly averages beyond that.
DAILY_UP_TO_DAYS = 92
DAILY_UP_TO_POINTS = 45
WEEKLY_UP_TO_DAYS = 2 * 366
# A line joins two points unless this long a silence lies between them: then it breaks,
# rather than drawing a made-up straight line across weeks nobody wrote.
JOIN_WITHIN = {"day": timedelta(days=14), "week": timedelta(weeks=5), "month": timedelta(days=95)}
UNIT_LABEL = {
    "day": gettext_lazy("Day written"),
    "week": gettext_lazy("Week starting"),
    "month": gettext_lazy("Month"),
}


@dataclass(frozen=True)
class Frame:
    """One shape of the chart, in viewBox units."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: int
    font_size: float


WIDE = Frame(width=640, height=270, left=84, right=28, top=28, bottom=52, x_ticks=5, font_size=13)
NARROW = Frame(width=340, height=260, left=70, right=18, top=28, bottom=52, x_ticks=3, font_size=12)


class Framed:
    """Where a chart's parts go in its frame (shared by the mood and the closeness charts)."""

    frame: Frame

    @property
    def width(self) -> int:
        return self.frame.width

    @property
    def height(self) -> int:
        return self.frame.height

    @property
    def left(self) -> int:
        return self.frame.left

    @property
    def right_edge(self) -> int:
        return self.frame.width - self.frame.right

    @property
    def bottom_edge(self) -> int:
        return self.frame.height - self.frame.bottom

    @property
    def label_x(self) -> int:
        return self.frame.left - 8

    @property
    def tick_y(self) -> int:
        return self.bottom_edge + 20

    @property
    def axis_title_y(self) -> int:
        return self.frame.height - 6

    @property
    def font_size(self) -> float:
        return self.frame.font_size


@dataclass(frozen=True)
class Bucket:
    start: date
    label: str
    average: float
    count: int

    @property
    def words(self) -> str:
        return str(MOODS[round(self.average)])

    @property
    def short_label(self) -> str:
        return self.label.removeprefix("Week of ")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    bucket: Bucket


@dataclass(frozen=True)
class Plot(Framed):
    """The chart laid out in one frame."""

    frame: Frame
    points: list[Point]
    lines: list[str]  # SVG polyline points, one string per unbroken run
    x_ticks: list[tuple[float, str, str]]  # x, label, text-anchor
    y_ticks: list[tuple[float, str]]
    latest_label: tuple[float, float, str]  # x, y, text-anchor of the note on the newest point

    @property
    def middle_x(self) -> float:
        return (self.frame.left + self.right_edge) / 2

    @property
    def point_radius(self) -> float:
        crowded = len(self.points) > (self.right_edge - self.left) / 8
        return 2.5 if crowded else 4


@dataclass(frozen=True)
class Chart:
    buckets: list[Bucket]  # oldest first
    unit: str  # "day", "week" or "month"
    wide: Plot
    narrow: Plot

    # The wide plot's geometry, as the PDF and older callers read it.
    @property
    def lines(self) -> list[str]:
        return self.wide.lines

    @property
    def x_ticks(self) -> list[tuple[float, str, str]]:
        return self.wide.x_ticks

    @property
    def first_label(self) -> str:
        return self.buckets[0].short_label

    @property
    def last_label(self) -> str:
        return self.buckets[-1].short_label

    @property
    def axis_title(self) -> str:
        return str(UNIT_LABEL[self.unit])

    @property
    def latest(self) -> Bucket:
        return self.buckets[-1]

    @property
    def summary(self) -> list[str]:
        """What the chart shows, in sentences, newest first."""
        latest = self.latest
        sentences = [
            gettext("Latest: %(when)s, %(mood)s (%(average).1f of 5, %(entries)s).")
            % {
                "when": _in(latest, self.unit),
                "mood": latest.words,
                "average": latest.average,
                "entries": _entries(latest.count),
            }
        ]
        if len(self.buckets) > 1:
            before = self.buckets[-2]
            sentences.append(
                gettext("Before that: %(when)s, %(mood)s.")
                % {"when": _in(before, self.unit), "mood": before.words}
            )
            total = sum(b.count for b in self.buckets)
            overall = sum(b.average * b.count for b in self.buckets) / total
            high = max(reversed(self.buckets), key=lambda b: b.average)
            low = min(reversed(self.buckets), key=lambda b: b.average)
            sentences.append(
                gettext(
                    "From %(first)s to %(last)s: %(mood)s on average (%(average).1f of 5); "
                    "highest %(high)s (%(high_when)s), lowest %(low)s (%(low_when)s)."
                )
                % {
                    "first": self.first_label,
                    "last": self.last_label,
                    "mood": MOODS[round(overall)],
                    "average": overall,
                    "high": high.words,
                    "high_when": _in(high, self.unit),
                    "low": low.words,
                    "low_when": _in(low, self.unit),
                }
            )
        return sentences


def _in(bucket: Bucket, unit: str) -> str:
    if unit == "day":
        return bucket.label
    if unit == "week":
        return gettext("the week of %(day)s") % {"day": bucket.short_label}
    return bucket.label


def _entries(count: int) -> str:
    return ngettext("%(count)d entry", "%(count)d entries", count) % {"count": count}


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


def _unit(points: list[tuple[date, int]]) -> str:
    days = {day for day, _ in points}
    span = (max(days) - min(days)).days
    if span <= DAILY_UP_TO_DAYS and len(days) <= DAILY_UP_TO_POINTS:
        return "day"
    return "week" if span <= WEEKLY_UP_TO_DAYS else "month"


def mood_chart(points: list[tuple[date, int]]) -> Chart | None:
    """Average the (date, mood) *points* per day, week or month; None when there are none."""
    if not points:
        return None
    unit = _unit(points)
    groups: dict[date, list[int]] = defaultdict(list)
    for day, mood in points:
        groups[_bucket_start(day, unit)].append(mood)
    buckets = [
        Bucket(
            start, _label(start, unit), sum(groups[start]) / len(groups[start]), len(groups[start])
        )
        for start in sorted(groups)
    ]
    return Chart(
        buckets=buckets,
        unit=unit,
        wide=_plot(buckets, unit, WIDE),
        narrow=_plot(buckets, unit, NARROW),
    )


def _plot(buckets: list[Bucket], unit: str, frame: Frame) -> Plot:
    origin, end = buckets[0].start, buckets[-1].start
    length = (end - origin).days
    plot_width = frame.width - frame.left - frame.right
    plot_height = frame.height - frame.top - frame.bottom

    def x_of(day: date) -> float:
        if length == 0:
            return round(frame.left + plot_width / 2, 1)
        return round(frame.left + (day - origin).days / length * plot_width, 1)

    def y_of(mood: float) -> float:
        return round(frame.top + (5 - mood) * plot_height / 4, 1)

    points = [Point(x_of(b.start), y_of(b.average), b) for b in buckets]
    newest = points[-1]
    # The note on the newest point sits above it (below when it is at the top), and ends
    # at it when the point is near the right edge, so it never leaves the chart.
    note_y = newest.y - 10 if newest.y - 10 > frame.top - 4 else newest.y + 18
    anchor = "end" if newest.x > frame.left + plot_width * 0.6 else "start"
    note_x = newest.x + 6 if anchor == "start" else newest.x - 6
    return Plot(
        frame=frame,
        points=points,
        lines=_lines(points, unit),
        x_ticks=_x_ticks(origin, end, x_of, frame.x_ticks),
        y_ticks=[(y_of(value), str(label)) for value, label in MOODS.items()],
        latest_label=(note_x, note_y, anchor),
    )


def _lines(points: list[Point], unit: str) -> list[str]:
    runs: list[list[Point]] = [[points[0]]]
    for previous, point in pairwise(points):
        if point.bucket.start - previous.bucket.start > JOIN_WITHIN[unit]:
            runs.append([])
        runs[-1].append(point)
    return [" ".join(f"{p.x},{p.y}" for p in run) for run in runs if len(run) > 1]


def _x_ticks(origin: date, end: date, x_of, count: int) -> list[tuple[float, str, str]]:
    """Dates evenly spread in time along the axis, the first and last kept inside the chart."""
    length = (end - origin).days
    if length == 0:
        return [(x_of(origin), f"{origin.day} {origin:%b %Y}", "middle")]
    ticks = []
    for index in range(count):
        day = origin + timedelta(days=round(index * length / (count - 1)))
        label = f"{day:%b %Y}" if length > 300 else f"{day.day} {day:%b}"
        anchor = "start" if index == 0 else "end" if index == count - 1 else "middle"
        ticks.append((x_of(day), label, anchor))
    return ticks


# --- What we tried: how close each one felt, 0 to 10 ---------------------------------------

# The chart shows the newest tries, oldest on the left; the list under it has them all.
TRIES_SHOWN = 24
CLOSENESS_TICKS = (0, 5, 10)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    tried: OpenedTry


@dataclass(frozen=True)
class BarPlot(Framed):
    """The closeness bars laid out in one frame (the same frames as the mood chart)."""

    frame: Frame
    bars: list[Bar]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str, str]]  # x, label, text-anchor: the first and last bar's dates


@dataclass(frozen=True)
class ClosenessChart:
    tries: list[OpenedTry]  # the ones drawn, oldest first
    total: int  # how many there are in all
    wide: BarPlot
    narrow: BarPlot

    @property
    def summary(self) -> list[str]:
        """What the chart shows, in sentences: the latest, and recent against earlier."""
        latest = self.tries[-1]
        sentences = [
            gettext("Latest: %(when)s, %(score)d of 10.")
            % {"when": _day(latest.tried_on), "score": latest.closeness}
        ]
        if len(self.tries) >= 4:
            half = len(self.tries) // 2
            earlier, recent = self.tries[:half], self.tries[half:]
            sentences.append(
                gettext(
                    "Average of the last %(recent)d: %(recent_average).1f of 10; "
                    "of the %(earlier)d before them: %(earlier_average).1f."
                )
                % {
                    "recent": len(recent),
                    "recent_average": sum(t.closeness for t in recent) / len(recent),
                    "earlier": len(earlier),
                    "earlier_average": sum(t.closeness for t in earlier) / len(earlier),
                }
            )
        if self.total > len(self.tries):
            sentences.append(
                gettext("The chart shows the newest %(shown)d of %(total)d; the list has them all.")
                % {"shown": len(self.tries), "total": self.total}
            )
        return sentences


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def closeness_chart(tries: list[OpenedTry]) -> ClosenessChart | None:
    """Bars of how close each of the newest *tries* (oldest first) felt; None when none."""
    if not tries:
        return None
    shown = tries[-TRIES_SHOWN:]
    return ClosenessChart(
        tries=shown,
        total=len(tries),
        wide=_bars(shown, WIDE),
        narrow=_bars(shown, NARROW),
    )


def _bars(tries: list[OpenedTry], frame: Frame) -> BarPlot:
    plot_width = frame.width - frame.left - frame.right
    plot_height = frame.height - frame.top - frame.bottom
    bottom = frame.top + plot_height
    slot = plot_width / len(tries)
    width = round(min(slot * 0.7, 48), 1)

    def y_of(score: float) -> float:
        return round(frame.top + (10 - score) * plot_height / 10, 1)

    bars = []
    for index, tried in enumerate(tries):
        x = round(frame.left + index * slot + (slot - width) / 2, 1)
        top = y_of(tried.closeness)
        # A zero still shows as a sliver on the axis, so "0" is not mistaken for "missing".
        bars.append(Bar(x, min(top, bottom - 2), width, max(round(bottom - top, 1), 2), tried))
    first, last = bars[0], bars[-1]
    x_ticks = [(first.x + first.width / 2, _day(first.tried.tried_on), "start")]
    if len(bars) > 1:
        x_ticks.append((last.x + last.width / 2, _day(last.tried.tried_on), "end"))
    else:
        x_ticks = [(first.x + first.width / 2, _day(first.tried.tried_on), "middle")]
    return BarPlot(
        frame=frame,
        bars=bars,
        y_ticks=[(y_of(value), str(value)) for value in CLOSENESS_TICKS],
        x_ticks=x_ticks,
    )
