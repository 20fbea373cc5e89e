"""The signed tokens in a reminder's links: one to open it, one to stop it.

A token is the reminder's id signed with SECRET_KEY under a salt per purpose, so
the stop link of one reminder neither stops another nor opens anything, and
nothing in it names what the reminder is about (a random id and a signature).
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from django.core import signing


class Purpose(StrEnum):
    OPEN = "reminders.open"
    STOP = "reminders.stop"


def make(reminder_id: uuid.UUID, purpose: Purpose) -> str:
    return signing.Signer(salt=purpose.value).sign(reminder_id.hex)


def read(token: str, purpose: Purpose) -> uuid.UUID | None:
    """The reminder id in *token*, or None when it was not made by us for *purpose*."""
    if len(token) > 200:
        return None
    try:
        return uuid.UUID(hex=signing.Signer(salt=purpose.value).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
