"""The reminders page, the "Remind me" boxes, the calendar file, and the email's links."""

import datetime

import icalendar
from django.core import mail
from django.test import Client

from reminders import tokens
from reminders.emails import reminder_message
from reminders.models import Kind, Reminder, Way
from tests.factories import (
    BoundaryContentFactory,
    PlanFactory,
    SelfCheckFactory,
    StepProgressFactory,
)

SETTINGS = "/accounts/reminders/"


def test_the_page_sets_a_self_check_reminder_by_email(
    signed_in, user, django_assert_max_num_queries
):
    PlanFactory(user=user, boundaries=[BoundaryContentFactory(review_on=datetime.date(2099, 1, 1))])
    with django_assert_max_num_queries(14):
        page = signed_in.get(SETTINGS)
    assert page.status_code == 200
    assert "You have no reminders" in page.text
    response = signed_in.post(
        SETTINGS,
        {
            "intent": "self-check",
            "self-check-weeks": "8",
            "self-check-at": "18:00",
            "self-check-way": "email",
        },
    )
    reminder = Reminder.objects.get(user=user)
    assert response.headers["Location"] == f"{SETTINGS}#reminder-{reminder.pk}"
    assert (reminder.kind, reminder.weeks, reminder.at, reminder.way) == (
        Kind.SELF_CHECK, 8, datetime.time(18), Way.EMAIL,
    )  # fmt: skip
    assert reminder.next_due is not None
    page = signed_in.get(SETTINGS)
    assert "Every 8 weeks at 18:00" in page.text and "by email." in page.text
    with django_assert_max_num_queries(14):
        signed_in.get(SETTINGS)


def test_bad_choices_are_named_keep_what_was_typed_and_change_nothing(signed_in, user):
    response = signed_in.post(
        SETTINGS,
        {
            "intent": "self-check",
            "self-check-weeks": "3",
            "self-check-at": "18:00",
            "self-check-way": "email",
        },
    )
    assert response.status_code == 400
    assert "Choose one from the list." in response.text
    assert 'value="18:00" selected' in response.text
    response = signed_in.post(SETTINGS, {"intent": "time-zone", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "Choose a time zone from the list." in response.text
    response = signed_in.post(SETTINGS, {"intent": "nonsense"})
    assert response.status_code == 400
    assert Reminder.objects.count() == 0
    user.refresh_from_db()
    assert user.time_zone == "UTC"


def test_another_persons_plan_cannot_be_chosen(signed_in, other_user):
    plan = PlanFactory(user=other_user)
    response = signed_in.post(
        SETTINGS,
        {
            "intent": "plan-review",
            "plan-review-target": str(plan.pk),
            "plan-review-at": "09:00",
            "plan-review-way": "email",
        },
    )
    assert response.status_code == 400
    assert Reminder.objects.count() == 0


def test_the_time_zone_moves_email_reminders(signed_in, user, set_reminder):
    reminder = set_reminder(user, weeks=2)
    response = signed_in.post(SETTINGS, {"intent": "time-zone", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "Asia/Tokyo"
    before = reminder.next_due
    reminder.refresh_from_db()
    assert before - reminder.next_due == datetime.timedelta(hours=9)  # 09:00 JST is 00:00 UTC


def test_the_calendar_file_parses_back_with_the_right_rule(signed_in, user, set_reminder):
    user.time_zone = "Europe/Paris"
    user.save()
    reminder = set_reminder(user, weeks=4, way=Way.CALENDAR)
    assert reminder.next_due is None  # a calendar reminder needs no email
    response = signed_in.get(f"/accounts/reminders/{reminder.pk}/check-in.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="check-in.ics"'
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["INTERVAL"] == [4]
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Paris" and start.time() == datetime.time(9)
    assert start.date() == datetime.date(2026, 3, 30)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert str(event["UID"]) == str(reminder.pk)
    again = icalendar.Calendar.from_ical(
        signed_in.get(f"/accounts/reminders/{reminder.pk}/check-in.ics").content
    )
    assert str(again.walk("VEVENT")[0]["UID"]) == str(reminder.pk)  # the same event, replaced


def test_a_plan_with_no_review_date_ahead_has_no_calendar_file_yet(signed_in, user, set_reminder):
    reminder = set_reminder(user, Kind.PLAN_REVIEW, plan=PlanFactory(user=user), way=Way.CALENDAR)
    response = signed_in.get(f"/accounts/reminders/{reminder.pk}/check-in.ics")
    assert response.status_code == 302
    assert "no date ahead" in signed_in.get(response.headers["Location"]).text


def test_turning_off_from_the_page(signed_in, user, set_reminder):
    reminder = set_reminder(user)
    response = signed_in.post(f"/accounts/reminders/{reminder.pk}/off/")
    assert response.status_code == 302
    assert not Reminder.objects.exists()


def test_the_stop_link_works_signed_out_and_stops_only_its_reminder(client, user, set_reminder):
    one = set_reminder(user)
    other = set_reminder(user, Kind.GUIDE, guide_slug="reevaluate")
    url = f"/r/{tokens.make(one.pk, tokens.Purpose.STOP)}/stop/"
    page = client.get(url)
    assert page.status_code == 200 and "Stop this reminder" in page.text
    assert Reminder.objects.count() == 2  # a GET (a mail scanner following links) changes nothing
    assert client.post(url).status_code == 200
    assert list(Reminder.objects.all()) == [other]
    assert "already stopped" in client.get(url).text
    assert client.get(f"/r/{tokens.make(other.pk, tokens.Purpose.OPEN)}/stop/").status_code == 404
    assert client.get(url[:-8] + "x/stop/").status_code == 404
    assert Reminder.objects.count() == 1


def test_a_mail_apps_one_click_unsubscribe_needs_no_cookie_or_csrf_token(user, set_reminder):
    reminder = set_reminder(user)
    message = reminder_message(reminder)
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_app = Client(enforce_csrf_checks=True)
    response = mail_app.post(url.split("8000", 1)[1], {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Reminder.objects.exists()


def test_the_open_link_leads_to_its_page_after_sign_in(client, user, other_user, set_reminder):
    plan = PlanFactory(user=user)
    reminder = set_reminder(user, Kind.PLAN_REVIEW, plan=plan)
    url = f"/r/{tokens.make(reminder.pk, tokens.Purpose.OPEN)}/"
    assert client.get(url).headers["Location"].startswith("/accounts/login/")
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    client.force_login(user)
    assert client.get(url).headers["Location"] == f"/plans/{plan.pk}/"
    assert client.get(f"/r/{tokens.make(reminder.pk, tokens.Purpose.STOP)}/").status_code == 404


def test_remind_me_boxes_on_the_self_check_plan_and_guide_pages(signed_in, user):
    check = SelfCheckFactory(user=user)
    plan = PlanFactory(
        user=user, boundaries=[BoundaryContentFactory(review_on=datetime.date(2099, 1, 1))]
    )
    StepProgressFactory(user=user, step_key="reevaluate/the-real-question")
    for url, kind in (
        (f"/self-check/{check.pk}/", "self-check"),
        (f"/plans/{plan.pk}/", "plan-review"),
        ("/guides/reevaluate/", "guide"),
    ):
        page = signed_in.get(url)
        assert 'id="remind-me"' in page.text, url
        assert f'name="intent" value="{kind}"' in page.text, url
    posted = {
        "self-check": {"self-check-weeks": "2"},
        "plan-review": {"plan-review-target": str(plan.pk)},
        "guide": {"guide-target": "reevaluate", "guide-weeks": "1"},
    }
    for kind, fields in posted.items():
        response = signed_in.post(
            SETTINGS, {"intent": kind, f"{kind}-at": "09:00", f"{kind}-way": "calendar", **fields}
        )
        assert response.status_code == 302, (
            kind,
            response.text[:2000] if response.status_code != 302 else "",
        )
    assert Reminder.objects.filter(user=user, way=Way.CALENDAR).count() == 3
    assert "You have a reminder for this" in signed_in.get("/guides/reevaluate/").text


def test_the_archive_has_the_reminders_and_erase_removes_them(user, set_reminder):
    from reminders import personal_data

    reminder = set_reminder(user)
    files = personal_data.export(user, None)
    assert str(reminder.pk) in files["reminders/reminders.json"].decode()
    personal_data.erase(user)
    assert not Reminder.objects.exists()
    assert mail.outbox == []


def test_the_page_shows_times_on_the_persons_own_clock(signed_in, user, set_reminder):
    user.time_zone = "America/New_York"
    user.save()
    set_reminder(user, weeks=4, now=datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC))
    page = signed_in.get(SETTINGS).text
    assert "Next: Monday 30 March 2026, 09:00 (America/New_York)" in page


def test_the_stop_page_says_nothing_of_the_site_to_whoever_opens_the_email(
    client, user, set_reminder
):
    """Whoever follows the link (the person, or someone reading their mail) sees a quiet
    page: a neutral title, no site menu, footer or exit bar naming what the site is for."""
    import re

    from tests.reminders.test_wording import words_in

    url = f"/r/{tokens.make(set_reminder(user).pk, tokens.Purpose.STOP)}/stop/"
    pages = [client.get(url), client.post(url), client.get(url)]  # ask, stopped, already off
    for page in pages:
        assert page.status_code == 200
        assert re.search(r"<title>\s*Check-in\s*</title>", page.text)
        shown = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", page.text, flags=re.S)
        assert "Common Ground" not in shown and words_in(shown) == [], words_in(shown)
