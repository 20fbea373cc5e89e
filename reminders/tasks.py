"""The worker's side of reminders: one task, queued per send at the minute it is due.

Its only argument is the reminder's id (never an address or any text); what it
does, and why it never sends twice, is in reminders.services.
"""

from __future__ import annotations

import uuid

from django.tasks import task

from . import services


@task()
def send_reminder(reminder_id: str) -> None:
    """Send the reminder *reminder_id* if it is due; queue its next time."""
    services.reminder_send_if_due(reminder_id=uuid.UUID(reminder_id))
