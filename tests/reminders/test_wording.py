"""Every reminder says nothing of what it is for: email subject, sender, body, links, calendar."""

import re

import icalendar
import pytest
from django.core import mail

from reminders import calendar
from reminders.models import Kind, Way
from reminders.services import reminder_send_if_due
from tests.factories import BoundaryContentFactory, PlanFactory

FORBIDDEN = (
    "relationship", "partner", "couple", "therap", "counsel", "boundar", "safe", "abuse",
    "violen", "plan", "guide", "self-check", "journal", "reevaluat", "resist", "marriage",
    "divorce", "crisis", "danger", "control",
)  # fmt: skip


def words_in(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in FORBIDDEN if word in lowered]


def without_tokens(text: str) -> str:
    """The signed tokens are random letters: take them out before looking for words."""
    return re.sub(r"/r/[^/\s]+/", "/r/TOKEN/", text)


@pytest.fixture
def one_of_each(user, set_reminder):
    import datetime

    plan = PlanFactory(
        user=user,
        title="Safety from my partner's control",
        boundaries=[BoundaryContentFactory(review_on=datetime.date(2026, 4, 1))],
    )
    return [
        set_reminder(user, Kind.SELF_CHECK),
        set_reminder(user, Kind.PLAN_REVIEW, plan=plan),
        set_reminder(user, Kind.GUIDE, guide_slug="reevaluate"),
    ]


@pytest.mark.parametrize("discreet", [False, True])
def test_the_email_names_nothing_in_subject_sender_body_or_links(user, one_of_each, discreet):
    user.discreet = discreet
    user.save()
    for reminder in one_of_each:
        assert reminder_send_if_due(reminder_id=reminder.pk, now=reminder.next_due)
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert message.subject == "Your check-in"
        assert "It's time for the check-in you asked for." in message.body
        for part in (message.subject, message.from_email, without_tokens(message.body)):
            assert words_in(part) == [], part
        headers = " ".join(message.extra_headers.values())
        assert words_in(without_tokens(headers)) == []
        if discreet:
            assert message.from_email == "Notes <no-reply@example.org>"
            assert "Common Ground" not in message.body and message.body.rstrip().endswith("Notes")
        else:
            assert message.from_email == "Common Ground <no-reply@example.org>"
    assert len({message.body for message in mail.outbox}) == 3  # only the tokens differ


def test_the_calendar_entry_names_nothing(user, set_reminder, one_of_each):
    for reminder in one_of_each:
        reminder.way = Way.CALENDAR
        data = calendar.calendar_file(reminder, now=reminder.changed_at)
        event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
        assert str(event["SUMMARY"]) == "Your check-in"
        fields = [str(event["SUMMARY"]), str(event["DESCRIPTION"]), str(event["URL"])]
        fields += [str(alarm["DESCRIPTION"]) for alarm in event.walk("VALARM")]
        fields.append(str(icalendar.Calendar.from_ical(data)["PRODID"]))
        for text in fields:
            assert words_in(without_tokens(text)) == [], text
    assert words_in(calendar.FILE_NAME) == []


def test_the_one_click_header_reaches_a_mail_app_as_a_plain_address(user, set_reminder, settings):
    """The SMTP backend writes headers under email.policy.SMTP, which folds a line over
    78 characters and, finding no space to fold at, wraps the whole address in RFC 2047
    "=?utf-8?q?...?=" words: mail apps then see no List-Unsubscribe address at all."""
    import email
    import email.policy

    settings.SITE_URL = "https://check-in.example.org"
    reminder = set_reminder(user, Kind.SELF_CHECK)
    assert reminder_send_if_due(reminder_id=reminder.pk, now=reminder.next_due)
    raw = mail.outbox[0].message(policy=email.policy.SMTP).as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    line = next(line for line in head.split("\r\n") if line.startswith("List-Unsubscribe:"))
    assert re.fullmatch(r"List-Unsubscribe: <https://check-in\.example\.org/r/[^/\s]+/stop/>", line)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == mail.outbox[0].extra_headers["List-Unsubscribe"]
