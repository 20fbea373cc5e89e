"""Reminders in Chromium: set one through the real form, download its calendar file, stop one."""

from pathlib import Path

import icalendar
from playwright.sync_api import expect

from reminders import tokens
from reminders.models import DEFAULT_AT, Kind, Reminder, Way
from reminders.services import reminder_set


def test_set_a_calendar_reminder_and_download_it(page, sign_in, user):
    sign_in(user)
    page.goto("/accounts/reminders/")
    card = page.locator("#add-self-check")
    card.get_by_label("Every 2 weeks").check()
    card.get_by_label("At").select_option("19:00")
    card.get_by_label("In my own calendar").check()
    card.get_by_role("button", name="Remind me").click()
    expect(page.get_by_text("Download its calendar file below")).to_be_visible()
    expect(page.locator("#yours")).to_contain_text("Every 2 weeks at 19:00")
    reminder = Reminder.objects.get(user=user)
    assert (reminder.way, reminder.weeks) == (Way.CALENDAR, 2)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download calendar file").click()
    assert download.value.suggested_filename == "check-in.ics"
    cal = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Your check-in"
    assert event["RRULE"]["INTERVAL"] == [2]


def test_stop_a_reminder_from_its_link_without_signing_in(page, user):
    reminder = reminder_set(user=user, kind=Kind.SELF_CHECK, way=Way.EMAIL, at=DEFAULT_AT, weeks=4)
    page.goto(f"/r/{tokens.make(reminder.pk, tokens.Purpose.STOP)}/stop/")
    page.get_by_role("button", name="Stop this reminder").click()
    expect(page.get_by_role("heading", name="Reminder stopped")).to_be_visible()
    assert not Reminder.objects.exists()
