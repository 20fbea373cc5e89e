"""Backups restore: an online copy taken while the site writes holds every committed entry.

And a backup is readable by its owner only (0600) from the moment the file exists.
"""

import io
import json
import os
import stat
import subprocess
import sys
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from .helpers import ROOT, environment, migrate, run, start

WRITE = """
import datetime, time
from accounts.models import User
from journal.models import EntryContent
from journal.services import entry_create
user, _ = User.objects.get_or_create(email="backup@example.org")
count = int(sys.argv[1])
for n in range(count):
    entry_create(user=user, content=EntryContent(title=f"Entry {n}", body=f"Body {n}",
        entry_date=datetime.date(2026, 1, 1), mood=None, tags=(), prompt="", step_key=""))
print(json.dumps({"written": count}))
"""

READ = """
from accounts.crypto import user_keys
from accounts.models import User
from journal.models import JournalEntry
from journal.selectors import entry_content
user = User.objects.get(email="backup@example.org")
keys = user_keys(user)
titles = sorted(
    entry_content(e, keys, body=True).title for e in JournalEntry.objects.filter(user=user)
)
print(json.dumps({"titles": titles}))
"""


def backup(env, destination):
    subprocess.run(
        [sys.executable, "manage.py", "backup_db", str(destination)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite backup path")
def test_an_online_sqlite_backup_taken_during_writes_restores_every_committed_entry(tmp_path):
    db = tmp_path / "db.sqlite3"
    migrate(db)
    run(db, WRITE, "20")
    writer = start(db, WRITE, "40")  # keeps writing while the backup is taken
    copy = tmp_path / "backup.sqlite3"
    backup(environment(db), copy)
    writer.communicate(timeout=120)
    restored = run(copy, READ)["titles"]
    # Every entry committed before the backup is there, decrypted, and nothing is torn.
    assert len(restored) >= 20
    assert all(title.startswith("Entry ") for title in restored)
    assert len(run(db, READ)["titles"]) == 60


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="the PostgreSQL backup path")
def test_a_pg_dump_backup_restores_into_an_empty_database(tmp_path):
    import dj_database_url
    import psycopg

    base = os.environ["DATABASE_URL"]
    settings = dj_database_url.parse(base)
    names = [f"cg_backup_{uuid.uuid4().hex[:8]}", f"cg_restore_{uuid.uuid4().hex[:8]}"]
    admin = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
        password=settings["PASSWORD"], dbname="postgres", autocommit=True,
    )  # fmt: skip
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        source_url = base.rsplit("/", 1)[0] + f"/{names[0]}"
        target_url = base.rsplit("/", 1)[0] + f"/{names[1]}"
        env = {**environment(tmp_path / "unused.sqlite3"), "DATABASE_URL": source_url}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        code = "import django, json, sys\ndjango.setup()\n"
        subprocess.run([sys.executable, "-c", code + WRITE, "15"], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
        dump = tmp_path / "backup.dump"
        backup(env, dump)
        assert stat.S_IMODE(os.stat(dump).st_mode) == 0o600
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={target_url}", str(dump)],
            check=True, capture_output=True,
        )  # fmt: skip
        restored_env = {**env, "DATABASE_URL": target_url}
        out = subprocess.run(
            [sys.executable, "-c", code + READ], cwd=ROOT, env=restored_env, check=True,
            capture_output=True, text=True,
        ).stdout  # fmt: skip
        assert len(json.loads(out.strip().splitlines()[-1])["titles"]) == 15
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def usual_umask():
    """The umask most systems start with (0022), which makes new files world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite backup path")
def test_a_sqlite_backup_is_readable_by_its_owner_only(tmp_path, usual_umask):
    db = tmp_path / "db.sqlite3"
    migrate(db)
    copy = tmp_path / "backup.sqlite3"
    backup(environment(db), copy)
    assert mode_of(copy) == 0o600
    assert not list(tmp_path.glob("backup.sqlite3-*"))  # no journal left beside it


FAKE_PG_DUMP = """#!{python}
import os, stat, sys
# The mode of the file it is writing to, as it starts: 0600 already, or a window.
with open(os.environ["PG_DUMP_SAW"], "w") as seen:
    seen.write(oct(stat.S_IMODE(os.fstat(1).st_mode)))
sys.stdout.buffer.write(b"PGDMP" + b"\\0" * 100)
sys.exit(int(os.environ.get("PG_DUMP_EXIT", "0")))
"""


@pytest.fixture
def fake_pg_dump(tmp_path, monkeypatch):
    """pg_dump stood in by a script that reports the mode of its output as it starts."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "pg_dump"
    script.write_text(FAKE_PG_DUMP.format(python=sys.executable))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("PG_DUMP_SAW", str(tmp_path / "seen"))
    monkeypatch.setattr(connection, "vendor", "postgresql")
    return tmp_path / "seen"


@pytest.mark.django_db
def test_a_pg_dump_backup_is_0600_before_the_first_byte_is_written(
    tmp_path, fake_pg_dump, usual_umask
):
    dump = tmp_path / "backup.dump"
    out = io.StringIO()
    call_command("backup_db", str(dump), stdout=out)
    assert "mode 0600" in out.getvalue()
    assert fake_pg_dump.read_text() == "0o600"
    assert mode_of(dump) == 0o600
    assert dump.read_bytes().startswith(b"PGDMP")


@pytest.mark.django_db
def test_a_failed_pg_dump_leaves_no_file_and_says_why(tmp_path, fake_pg_dump, monkeypatch):
    monkeypatch.setenv("PG_DUMP_EXIT", "1")
    dump = tmp_path / "backup.dump"
    with pytest.raises(CommandError, match="pg_dump failed"):
        call_command("backup_db", str(dump))
    assert not dump.exists()


@pytest.mark.django_db
def test_a_backup_never_writes_over_an_existing_file(tmp_path, fake_pg_dump):
    dump = tmp_path / "backup.dump"
    dump.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup_db", str(dump))
    assert dump.read_bytes() == b"yesterday's backup"
    assert not fake_pg_dump.exists()  # pg_dump never ran
