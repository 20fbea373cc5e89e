"""A reminder as an iCalendar file to add to the person's own calendar (no email needed).

One VEVENT per reminder: its UID is the reminder's id, so downloading the file again
after a change replaces the event (SEQUENCE goes up with every change); DTSTART is
the chosen hour in the person's time zone, with that zone's VTIMEZONE; the repeating
self-check carries an RRULE; a VALARM makes the calendar app alert at that time.
The title and description are the same neutral words as the email, and the link is
the same /r/<token>/ that leads to the page after sign-in.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import schedule, tokens
from .emails import absolute
from .models import Kind

if TYPE_CHECKING:
    from .models import Reminder

FILE_NAME = "check-in.ics"
CONTENT_TYPE = "text/calendar; charset=utf-8"
DURATION = datetime.timedelta(minutes=15)


def first_time(reminder: Reminder, now: datetime.datetime) -> datetime.datetime | None:
    """When the event starts: the reminder's first time (a plan's next review date)."""
    from .services import due_after

    if reminder.kind == Kind.PLAN_REVIEW:
        return due_after(reminder, now)
    if reminder.starts_on is None:
        return None
    tz = schedule.zone(reminder.user.time_zone)
    return schedule.moment(reminder.starts_on, reminder.at, tz)


def calendar_file(reminder: Reminder, *, now: datetime.datetime | None = None) -> bytes | None:
    """The .ics file for *reminder*, or None when it has no time ahead (a plan with no
    review date to come)."""
    now = now or timezone.now()
    start = first_time(reminder, now)
    if start is None:
        return None
    tz = schedule.zone(reminder.user.time_zone)
    open_url = absolute(
        reverse("reminders:open", args=[tokens.make(reminder.pk, tokens.Purpose.OPEN)])
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("Your check-in")
        text = gettext("It's time for the check-in you asked for.")

    event = icalendar.Event()
    event.add("uid", f"{reminder.pk}")
    event.add("sequence", reminder.revision)
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", start.astimezone(tz))
    event.add("duration", DURATION)
    event.add("summary", title)
    event.add("description", f"{text}\n\n{open_url}")
    event.add("url", open_url)
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy meeting
    if reminder.kind == Kind.SELF_CHECK:
        event.add("rrule", {"freq": "weekly", "interval": reminder.weeks})
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", datetime.timedelta(0))
    event.add_component(alarm)

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Check-in//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
