"""Reminders' part of "Download your data" and "Delete your account" (yourdata.parts).

The archive gets each reminder as it is set: what it is about (the self-check, a
plan by its id, a guide by its slug), how it comes, when. Erasing deletes them all,
so a send already queued for one finds nothing and sends nothing.
"""

from __future__ import annotations

import json
from typing import Any

from .models import Reminder
from .services import reminders_erase

README = """\
reminders/reminders.json      the reminders you set: what each is about, how and when it comes
"""


def _time(value: Any) -> str | None:
    return value.isoformat() if value else None


def export(user: Any, pdfs: Any) -> dict[str, bytes]:
    rows = [
        {
            "id": str(reminder.pk),
            "about": reminder.kind,
            "plan_id": str(reminder.plan_id) if reminder.plan_id else None,
            "guide": reminder.guide_slug or None,
            "way": reminder.way,
            "weeks": reminder.weeks or None,
            "at": reminder.at.strftime("%H:%M"),
            "time_zone": user.time_zone,
            "starts_on": _time(reminder.starts_on),
            "next_email": _time(reminder.next_due),
            "last_email": _time(reminder.last_sent_at),
            "set_at": _time(reminder.changed_at),
        }
        for reminder in Reminder.objects.for_user(user).order_by("created_at")
    ]
    if not rows:
        return {}
    return {"reminders/reminders.json": json.dumps(rows, indent=2).encode("utf-8")}


def erase(user: Any) -> None:
    """Remove every reminder of *user* (a queued send for one then does nothing)."""
    reminders_erase(user)
