"""Make a benchmark user with journal entries and a plan, and a signed-in session cookie."""

import datetime
import json

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore

from accounts.models import User
from boundaries.models import BoundaryContent, PlanContent
from boundaries.services import plan_create
from journal.models import EntryContent
from journal.services import entry_create

SENTENCE = (
    "today we talked about the weekend and I noticed how tired I felt after the call "
    "with my sister so I went for a walk and wrote down three things I want to try"
)
WORDS = SENTENCE.split(" ")


def seed(*, entries: int) -> str:
    user = User.objects.create_user("bench@example.org", "bench-password-123")
    first = None
    start = datetime.date(2024, 1, 1)
    for number in range(entries):
        body = " ".join(WORDS[(number + i) % len(WORDS)] for i in range(120))
        saved = entry_create(
            user=user,
            content=EntryContent(
                title=f"Evening note {number}",
                body=body,
                entry_date=start + datetime.timedelta(days=number % 700),
                mood=number % 5 + 1,
                tags=("evening", f"week-{number % 52}"),
                prompt="",
                step_key="",
            ),
        )
        first = first or saved.entry
    if first is None:
        raise ValueError("seed() needs at least one entry to link to")
    plan = plan_create(
        user=user,
        content=PlanContent(
            title="My limits",
            why="So that I keep my evenings.",
            boundaries=(BoundaryContent(need="Rest", action="I will leave the room."),),
        ),
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return json.dumps(
        {
            "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
            "private_paths": [
                "/journal/",
                f"/journal/{first.pk}/",
                "/journal/?q=walk",
                "/plans/",
                f"/plans/{plan.pk}/",
            ],
        }
    )
