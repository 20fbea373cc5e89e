"""When a reminder comes: local dates and hours in the person's time zone, turned into UTC.

Every time is reckoned on the local calendar first (a date, then the chosen hour on
that date in the person's zone) and only then turned into an instant, so "every 2
weeks at 09:00" stays at 09:00 on the wall clock when the clocks change, and the
UTC instant moves instead.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from collections.abc import Iterable

UTC = datetime.UTC


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every IANA time zone this machine knows, sorted (the settings page's choices)."""
    names = zoneinfo.available_timezones() - {"localtime", "Factory"}
    return tuple(sorted(names))


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone called *name*, or UTC when the name is unknown (an old tz database)."""
    if name in zone_names():
        return zoneinfo.ZoneInfo(name)
    return zoneinfo.ZoneInfo("UTC")


def moment(day: datetime.date, at: datetime.time, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The instant (UTC) at which it is *at* o'clock on *day* in *tz*."""
    return datetime.datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def local_date(instant: datetime.datetime, tz: zoneinfo.ZoneInfo) -> datetime.date:
    return instant.astimezone(tz).date()


def repeating_after(
    *,
    starts_on: datetime.date,
    weeks: int,
    at: datetime.time,
    tz: zoneinfo.ZoneInfo,
    after: datetime.datetime,
) -> datetime.datetime:
    """The first time strictly after *after* of "every *weeks* weeks from *starts_on* at *at*"."""
    step = datetime.timedelta(weeks=weeks)
    day = starts_on
    behind = (local_date(after, tz) - starts_on).days
    if behind > 0:
        day = starts_on + step * (behind // step.days)
    while moment(day, at, tz) <= after:
        day += step
    return moment(day, at, tz)


def once_after(
    *, day: datetime.date, at: datetime.time, tz: zoneinfo.ZoneInfo, after: datetime.datetime
) -> datetime.datetime | None:
    """*day* at *at*, if that is still after *after*."""
    when = moment(day, at, tz)
    return when if when > after else None


def first_of_dates_after(
    *,
    days: Iterable[datetime.date],
    at: datetime.time,
    tz: zoneinfo.ZoneInfo,
    after: datetime.datetime,
) -> datetime.datetime | None:
    """The earliest of *days* at *at* that is after *after* (a plan's review dates)."""
    times = [moment(day, at, tz) for day in set(days)]
    ahead = [when for when in times if when > after]
    return min(ahead, default=None)
