"""Run Django code in separate processes against a real SQLite file (not the test database)."""

import atexit
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent.parent
KEY = Fernet.generate_key().decode()


def environment(db_path: Path) -> dict:
    """Production settings (so production's SQLite options), on the given database file."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="reliability-tests-secret-key-0123456789-abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="localhost",
        DATA_ENCRYPTION_KEYS=KEY,
        DEFAULT_FROM_EMAIL="tests@localhost",
        SQLITE_PATH=str(db_path),
        CACHE_DIR=str(db_path.parent / "cache"),
        PYTHONPATH=str(ROOT),
    )
    return env


_MIGRATED: list[Path] = []  # one freshly migrated database per test process


def migrate(db_path: Path) -> None:
    """Give *db_path* the schema `manage.py migrate` makes: migrated once per test process
    (a second process with production settings, 5-15 s), then copied for each test."""
    if not _MIGRATED:
        template = Path(tempfile.mkdtemp(prefix="cg-migrated-")) / "db.sqlite3"
        atexit.register(shutil.rmtree, template.parent, ignore_errors=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT, env=environment(template), check=True, capture_output=True,
        )  # fmt: skip
        with contextlib.closing(sqlite3.connect(template)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file
        _MIGRATED.append(template)
    shutil.copyfile(_MIGRATED[0], db_path)


PRELUDE = """
import django, json, sys
django.setup()
"""


def start(db_path: Path, code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", PRELUDE + code, *args],
        cwd=ROOT, env=environment(db_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def run(db_path: Path, code: str, *args: str, timeout: float = 120) -> dict:
    """Run *code* to completion and return the JSON it printed last."""
    process = start(db_path, code, *args)
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])
