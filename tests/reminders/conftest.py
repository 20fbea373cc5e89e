import datetime
from contextlib import contextmanager
from unittest import mock

import pytest

from reminders.models import DEFAULT_AT, Kind, Way
from reminders.services import reminder_set

UTC = datetime.UTC


@contextmanager
def clock(moment: datetime.datetime):
    """Freeze django.utils.timezone.now (the worker's 'is it ready?' and our services)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def london_user(user):
    user.time_zone = "Europe/London"
    user.save(update_fields=["time_zone"])
    return user


@pytest.fixture
def set_reminder():
    def _set(user, kind=Kind.SELF_CHECK, *, way=Way.EMAIL, weeks=None, now=None, **more):
        if weeks is None:
            weeks = {Kind.SELF_CHECK: 4, Kind.GUIDE: 1}.get(kind, 0)
        return reminder_set(
            user=user,
            kind=kind,
            way=way,
            at=more.pop("at", DEFAULT_AT),
            weeks=weeks,
            now=now or datetime.datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
            **more,
        )

    return _set
