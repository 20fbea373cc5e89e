"""Reminder emails: sent by the worker at the person's hour, in their time zone, once."""

import datetime
import logging
from unittest import mock

from django.core import mail

from boundaries.models import BoundaryContent, PlanContent
from boundaries.services import plan_create, plan_update
from reminders import schedule
from reminders.models import Kind, Reminder, Way
from reminders.services import reminder_send_if_due, reminders_send_missed
from tests.factories import BoundaryContentFactory, PlanFactory, StepProgressFactory
from tests.tasks import run_tasks

from .conftest import UTC, clock


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def test_a_self_check_reminder_comes_at_nine_local_on_both_sides_of_the_clock_change(
    london_user, set_reminder
):
    # Set on Monday 2 March 2026, every 2 weeks: 16 March (GMT) and 30 March (BST, from 29 March).
    reminder = set_reminder(london_user, weeks=2, now=at(2026, 3, 2, 10, 0))
    assert reminder.next_due == at(2026, 3, 16, 9, 0)  # 09:00 GMT
    with clock(at(2026, 3, 16, 8, 59)):
        assert run_tasks() == 0
    assert mail.outbox == []
    with clock(at(2026, 3, 16, 9, 0, 30)):
        assert run_tasks() == 1
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.next_due == at(2026, 3, 30, 8, 0)  # 09:00 BST is 08:00 UTC
    with clock(at(2026, 3, 30, 7, 59)):
        assert run_tasks() == 0
    with clock(at(2026, 3, 30, 8, 0, 5)):
        assert run_tasks() == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == [london_user.email]


def test_local_hours_hold_across_clock_changes_in_any_zone():
    cases = [  # zone, start, weeks, the UTC instant of the second time
        ("America/New_York", datetime.date(2026, 3, 1), 2, at(2026, 3, 15, 13, 0)),  # EDT
        ("Pacific/Auckland", datetime.date(2026, 3, 29), 1, at(2026, 4, 4, 21, 0)),  # NZST, +12
        ("Asia/Kolkata", datetime.date(2026, 3, 1), 8, at(2026, 4, 26, 3, 30)),  # no DST
    ]
    for name, start, weeks, second in cases:
        tz = schedule.zone(name)
        first = schedule.moment(start, datetime.time(9), tz)
        got = schedule.repeating_after(
            starts_on=start, weeks=weeks, at=datetime.time(9), tz=tz, after=first
        )
        assert got == second, name
        assert got.astimezone(tz).time() == datetime.time(9)


def test_a_worker_down_for_weeks_sends_one_catch_up_then_keeps_the_rhythm(user, set_reminder):
    reminder = set_reminder(user, weeks=2, now=at(2026, 1, 5, 12, 0))  # due 19 Jan, 09:00 UTC
    assert reminder_send_if_due(reminder_id=reminder.pk, now=at(2026, 3, 3, 12, 0))
    assert not reminder_send_if_due(reminder_id=reminder.pk, now=at(2026, 3, 3, 12, 1))
    reminder.refresh_from_db()
    assert reminder.next_due == at(2026, 3, 16, 9, 0)  # back on the fortnightly rhythm
    assert len(mail.outbox) == 1


def test_two_runs_of_the_sender_never_send_twice(user, set_reminder):
    reminder = set_reminder(user, weeks=2)
    from reminders.tasks import send_reminder

    send_reminder.using(run_after=reminder.next_due).enqueue(str(reminder.pk))  # a stale copy
    with clock(reminder.next_due + datetime.timedelta(seconds=1)):
        assert run_tasks() == 1  # the send queued the next one in place of the waiting copy
        send_reminder.call(str(reminder.pk))  # a copy a worker had claimed before that
        assert run_tasks() == 0
    assert len(mail.outbox) == 1


def test_two_workers_holding_the_same_read_claim_it_once(user, set_reminder):
    reminder = set_reminder(user, weeks=2)
    due = reminder.next_due
    stale = Reminder.objects.get(pk=reminder.pk)  # what the second worker read
    now = due + datetime.timedelta(seconds=1)
    assert reminder_send_if_due(reminder_id=reminder.pk, now=now)
    # The second worker's claim: the same conditional UPDATE on what it read.
    with mock.patch.object(Reminder.objects, "select_related") as read:
        read.return_value.filter.return_value.first.return_value = stale
        stale.user = user
        assert not reminder_send_if_due(reminder_id=reminder.pk, now=now)
    assert len(mail.outbox) == 1


def test_a_reminder_turned_off_sends_nothing_though_its_send_was_queued(user, set_reminder):
    reminder = set_reminder(user)
    due = reminder.next_due
    reminder.delete()
    with clock(due + datetime.timedelta(minutes=1)):
        assert run_tasks() == 1  # the task ran, and found nothing to send
    assert mail.outbox == []


def test_deleting_the_account_cancels_every_reminder(client, user, password, set_reminder):
    plan = PlanFactory(user=user)
    due = set_reminder(user).next_due
    set_reminder(user, Kind.PLAN_REVIEW, plan=plan)
    set_reminder(user, Kind.GUIDE, guide_slug="reevaluate", way=Way.CALENDAR)
    client.post("/accounts/login/", {"login": user.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    response = client.post("/accounts/delete/", {"confirm": "delete my account"})
    assert response.status_code == 302
    assert Reminder.objects.count() == 0
    mail.outbox.clear()  # the goodbye note
    with clock(due + datetime.timedelta(minutes=1)):
        assert run_tasks() == 0  # its waiting send went with it
    assert mail.outbox == []


def test_a_plan_reminder_follows_its_review_date_and_keeps_no_plan_text(
    user, set_reminder, django_capture_on_commit_callbacks
):
    def content(day):
        return PlanContent(
            title="Evenings of my own",
            boundaries=(BoundaryContent(action="I will read upstairs", review_on=day),),
        )

    plan = plan_create(user=user, content=content(datetime.date(2026, 4, 10)))
    reminder = set_reminder(user, Kind.PLAN_REVIEW, plan=plan)
    assert reminder.next_due == at(2026, 4, 10, 9, 0)
    assert "Evenings" not in repr(list(Reminder.objects.values_list()))
    with django_capture_on_commit_callbacks(execute=True):
        plan_update(plan=plan, content=content(datetime.date(2026, 4, 20)))
    reminder.refresh_from_db()
    assert reminder.next_due == at(2026, 4, 20, 9, 0)
    with clock(at(2026, 4, 10, 9, 1)):
        run_tasks()
    assert mail.outbox == []
    with clock(at(2026, 4, 20, 9, 1)):
        run_tasks()
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.next_due is None  # no later review date: nothing ahead


def test_a_plan_date_changed_without_the_signal_is_read_when_due(user, set_reminder):
    boundary = BoundaryContentFactory(review_on=datetime.date(2026, 4, 10))
    plan = PlanFactory(user=user, boundaries=[boundary])
    reminder = set_reminder(user, Kind.PLAN_REVIEW, plan=plan)
    plan.boundaries.update(review_on=datetime.date(2026, 5, 1))  # no save signal
    assert not reminder_send_if_due(reminder_id=reminder.pk, now=at(2026, 4, 10, 9, 0))
    reminder.refresh_from_db()
    assert reminder.next_due == at(2026, 5, 1, 9, 0)
    assert mail.outbox == []


def test_a_guide_reminder_is_not_sent_once_the_guide_is_finished(user, set_reminder):
    from guides.content import site_content

    guide = site_content().guide("reevaluate")
    reminder = set_reminder(user, Kind.GUIDE, guide_slug=guide.slug, weeks=1)
    for step in guide.steps:
        StepProgressFactory(user=user, step_key=step.key)
    assert not reminder_send_if_due(reminder_id=reminder.pk, now=reminder.next_due)
    assert mail.outbox == []


def test_a_refused_send_is_tried_again_later(user, set_reminder):
    reminder = set_reminder(user, weeks=2)
    due = reminder.next_due
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        assert not reminder_send_if_due(reminder_id=reminder.pk, now=due)
    reminder.refresh_from_db()
    assert reminder.next_due == due + datetime.timedelta(minutes=15)
    assert reminder_send_if_due(reminder_id=reminder.pk, now=reminder.next_due)
    assert len(mail.outbox) == 1


def test_a_send_whose_task_was_lost_is_sent_by_the_safety_net(user, set_reminder):
    reminder = set_reminder(user, weeks=2)
    assert reminders_send_missed(now=reminder.next_due + datetime.timedelta(minutes=5)) == 0
    assert reminders_send_missed(now=reminder.next_due + datetime.timedelta(minutes=11)) == 1
    assert len(mail.outbox) == 1


def test_the_log_names_the_reminder_and_nothing_of_the_person(user, set_reminder, caplog):
    reminder = set_reminder(user)
    with caplog.at_level(logging.INFO, logger="reminders"):
        reminder_send_if_due(reminder_id=reminder.pk, now=reminder.next_due)
        reminder_send_if_due(reminder_id=reminder.pk, now=reminder.next_due)
    text = caplog.text
    assert str(reminder.pk) in text
    assert user.email not in text and user.email.split("@")[0] not in text


def test_changing_a_reminder_replaces_its_queued_send_and_turning_it_off_removes_it(
    user, set_reminder
):
    """One waiting task row per reminder, however often it is changed: each change left
    one more row waiting for weeks (1,500 a day within the write limit, per person)."""
    from django_tasks_db.models import DBTaskResult

    from reminders.services import reminder_off, time_zone_set

    def waiting(reminder):
        return DBTaskResult.objects.filter(status="READY", args_kwargs__args=[str(reminder.pk)])

    other = set_reminder(user, Kind.GUIDE, guide_slug="reevaluate")
    for hour in (7, 8, 9, 10, 11):
        reminder = set_reminder(user, at=datetime.time(hour))
    time_zone_set(user=user, name="Asia/Tokyo")
    assert [row.run_after for row in waiting(reminder)] == [
        Reminder.objects.get(pk=reminder.pk).next_due
    ]
    reminder_off(reminder=reminder)
    assert not waiting(reminder).exists()
    assert waiting(other).count() == 1  # another reminder's send stays queued
