"""The reminder email: the same neutral words whatever it is about.

The subject, the sender, the body and every link in it say nothing of what the
site is for: "Your check-in", a link to /r/<token>/ that leads to the page after
sign-in, and a one-click way to stop it (a link, and the List-Unsubscribe headers
of RFC 8058 that mail apps show as their own "Unsubscribe" button). In discreet mode
the sender's name and the site's name in the text read "Notes" (core.discreet).
"""

from __future__ import annotations

import email.message
import email.policy
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core import discreet

from . import tokens

if TYPE_CHECKING:
    from .models import Reminder


# RFC 5322's hard limit on a line. Under the 78 characters email.policy folds at, the
# List-Unsubscribe address (a signed token in it) has no space to fold at, so the policy
# would wrap it in RFC 2047 "=?utf-8?q?...?=" words that no mail app reads as an address.
LINE_LIMIT = 998


class ReminderEmail(EmailMessage):
    """An EmailMessage whose headers are written whole, up to RFC 5322's line limit."""

    def message(
        self, *, policy: email.policy.Policy | None = email.policy.default
    ) -> email.message.EmailMessage:
        whole = (policy or email.policy.default).clone(max_line_length=LINE_LIMIT)
        return super().message(policy=whole)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def links(reminder: Reminder) -> dict[str, str]:
    """The reminder's three links: open it, stop it, change reminders."""
    return {
        "open_url": absolute(
            reverse("reminders:open", args=[tokens.make(reminder.pk, tokens.Purpose.OPEN)])
        ),
        "stop_url": absolute(
            reverse("reminders:stop", args=[tokens.make(reminder.pk, tokens.Purpose.STOP)])
        ),
        "settings_url": absolute(reverse("reminders:settings")),
    }


def reminder_message(reminder: Reminder) -> EmailMessage:
    """The email for *reminder*, to its person's address, ready to send."""
    plain = bool(reminder.user.discreet)
    context = {
        **links(reminder),
        "site_name": str(discreet.NEUTRAL_NAME) if plain else settings.SITE_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("reminders/email/subject.txt", context).strip()
        body = render_to_string("reminders/email/message.txt", context)
    return ReminderEmail(
        subject=" ".join(subject.split()),
        body=body,
        from_email=discreet.sender(plain),
        to=[reminder.user.email],
        headers={
            # RFC 8058: the mail app's own "Unsubscribe" posts here, in one click.
            "List-Unsubscribe": f"<{context['stop_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
