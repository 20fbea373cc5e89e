"""Failures in the middle of a save leave no half-written entry; a restart keeps everything."""

import os
import signal

import pytest

from .helpers import migrate, run, start

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs on its own SQLite file; once is enough"
)

SETUP = """
import datetime
from accounts.models import User
from journal.models import EntryContent
from journal.services import entry_create
user = User.objects.create_user("faults@example.org", "unused-password-123")
saved = entry_create(user=user, content=EntryContent(title="Kept", body="Saved before the fault.",
    entry_date=datetime.date(2026, 1, 1), mood=None, tags=(), prompt="", step_key=""))
print(json.dumps({"user": user.pk, "entry": str(saved.entry.pk)}))
"""

KILLED_MID_SAVE = """
import datetime, os, signal
import journal.services as services
from accounts.models import User
from journal.models import EntryContent

real_index = services._index
def index_then_die(*args, **kwargs):
    real_index(*args, **kwargs)        # the entry row and its search index are written...
    os.kill(os.getpid(), signal.SIGKILL)   # ...and the process dies before the commit
services._index = index_then_die
user = User.objects.get(pk=int(sys.argv[1]))
services.entry_create(user=user, content=EntryContent(title="Half", body="Never committed.",
    entry_date=datetime.date(2026, 1, 2), mood=2, tags=("x",), prompt="", step_key=""))
"""

FULL_DISK = """
import datetime
from django.db import OperationalError, connection
from accounts.models import User
from journal.models import EntryContent
from journal.services import entry_create
user = User.objects.get(pk=int(sys.argv[1]))
with connection.cursor() as cursor:
    cursor.execute("PRAGMA page_count")
    pages = cursor.fetchone()[0]
    cursor.execute(f"PRAGMA max_page_count = {pages + 2}")   # the disk is all but full
error = None
try:
    entry_create(user=user, content=EntryContent(title="Big", body="word " * 9000,
        entry_date=datetime.date(2026, 1, 3), mood=None, tags=(), prompt="", step_key=""))
except OperationalError as caught:
    error = str(caught)
print(json.dumps({"error": error}))
"""

STATE = """
from journal.models import Draft, EntryToken, JournalEntry
print(json.dumps({
    "entries": [str(pk) for pk in JournalEntry.objects.values_list("pk", flat=True)],
    "orphan_tokens": EntryToken.objects.exclude(entry__in=JournalEntry.objects.all()).count(),
    "drafts": Draft.objects.count(),
}))
"""

DRAFT = """
from accounts.models import User
from journal.services import draft_save
user = User.objects.get(pk=int(sys.argv[1]))
draft = draft_save(user=user, draft_id=None, entry_id=None, base_version=None,
                   fields={"title": "Unfinished", "body": "Half a thought"})
print(json.dumps({"draft": str(draft)}))
"""


@pytest.fixture
def database(tmp_path):
    db = tmp_path / "db.sqlite3"
    migrate(db)
    return db, run(db, SETUP)


def test_a_worker_killed_mid_save_leaves_no_half_written_entry(database):
    db, setup = database
    process = start(db, KILLED_MID_SAVE, str(setup["user"]))
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    state = run(db, STATE)
    assert state["entries"] == [setup["entry"]]
    assert state["orphan_tokens"] == 0


def test_a_full_disk_on_save_leaves_no_half_written_entry(database):
    db, setup = database
    result = run(db, FULL_DISK, str(setup["user"]))
    assert result["error"] and "full" in result["error"]
    state = run(db, STATE)
    assert state["entries"] == [setup["entry"]]
    assert state["orphan_tokens"] == 0


def test_a_restart_keeps_every_saved_entry_and_draft(database):
    db, setup = database
    run(db, DRAFT, str(setup["user"]))
    # A new process is a restarted server: it reads what the old one committed.
    state = run(db, STATE)
    assert state["entries"] == [setup["entry"]]
    assert state["drafts"] == 1
