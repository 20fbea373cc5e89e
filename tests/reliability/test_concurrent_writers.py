"""Eight processes write journal entries into one SQLite file for 30 seconds."""

import os

import pytest

from .helpers import migrate, run, start

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="about SQLite's locking; PostgreSQL run skips it"
)

WRITERS = 8
SECONDS = float(os.environ.get("CONCURRENCY_SECONDS", "30"))

MAKE_USER = """
from accounts.models import User
user = User.objects.create_user("writer@example.org", "unused-password-123")
print(json.dumps({"user": user.pk}))
"""

WRITER = """
import datetime, time
from django.db import OperationalError
from accounts.models import User
from journal.models import EntryContent
from journal.services import entry_create

user = User.objects.get(pk=int(sys.argv[1]))
worker, seconds = sys.argv[2], float(sys.argv[3])
ids, locked, other = [], 0, []
deadline = time.monotonic() + seconds
n = 0
while time.monotonic() < deadline:
    n += 1
    # Read, then write: the pattern that upgrades a read lock and used to fail.
    list(user.journal_entries.order_by("-created_at").values_list("pk", flat=True)[:5])
    try:
        saved = entry_create(user=user, content=EntryContent(
            title=f"w{worker}-{n}", body=f"Entry {n} from writer {worker}.",
            entry_date=datetime.date(2026, 1, 1), mood=3, tags=("load",), prompt="", step_key=""))
        ids.append(str(saved.entry.pk))
    except OperationalError as error:
        if "locked" in str(error):
            locked += 1
        else:
            other.append(str(error))
print(json.dumps({"ids": ids, "locked": locked, "other": other}))
"""

COUNT = """
from journal.models import JournalEntry
print(json.dumps({"ids": [str(pk) for pk in JournalEntry.objects.values_list("pk", flat=True)]}))
"""


def test_eight_writers_for_thirty_seconds_lose_nothing_and_never_lock(tmp_path):
    db = tmp_path / "db.sqlite3"
    migrate(db)
    user = run(db, MAKE_USER)["user"]
    writers = [start(db, WRITER, str(user), str(i), str(SECONDS)) for i in range(WRITERS)]
    results = []
    for process in writers:
        out, err = process.communicate(timeout=SECONDS + 120)
        assert process.returncode == 0, err
        results.append(__import__("json").loads(out.strip().splitlines()[-1]))
    committed = {pk for result in results for pk in result["ids"]}
    assert sum(r["locked"] for r in results) == 0
    assert [o for r in results for o in r["other"]] == []
    assert len(committed) > WRITERS * 10, "the writers barely wrote anything"
    stored = set(run(db, COUNT)["ids"])
    assert committed == stored
    print(f"{len(committed)} entries committed by {WRITERS} writers in {SECONDS:.0f} s")
