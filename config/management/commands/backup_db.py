import contextlib
import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# A backup holds email addresses, password hashes and sessions: only the owner of
# the process may read it, from the moment it exists (never created readable and
# narrowed afterwards).
BACKUP_MODE = 0o600


@contextlib.contextmanager
def private_umask():
    """Files made meanwhile (SQLite's journal beside the copy, say) are private too."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


class Command(BaseCommand):
    help = (
        "Back up the database while the site runs: SQLite's online backup (a consistent "
        "snapshot, WAL included) or pg_dump's custom format for PostgreSQL. The file is "
        "readable by its owner only (0600). What users wrote stays encrypted in the copy; "
        "keep DATA_ENCRYPTION_KEYS backed up apart."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="the file to write (must not exist yet)")

    def handle(self, destination, **options):
        target = Path(destination)
        if connection.vendor not in ("sqlite", "postgresql"):
            raise CommandError(f"No backup method for {connection.vendor}.")
        try:
            # O_EXCL: refuse a file that exists (or appears meanwhile), never write through it.
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_MODE)
        except FileExistsError:
            raise CommandError(f"{target} exists already; choose a new file name.") from None
        except OSError as error:
            raise CommandError(f"Cannot create {target}: {error.strerror}.") from None
        try:
            with private_umask():
                if connection.vendor == "sqlite":
                    os.close(fd)  # an empty file is an empty SQLite database
                    self._sqlite(target)
                else:
                    with os.fdopen(fd, "wb") as output:
                        self._pg_dump(output)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Backed up to {target} ({target.stat().st_size:,} bytes, mode 0600).")

    def _sqlite(self, target: Path) -> None:
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()

    def _pg_dump(self, output) -> None:
        settings = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
        command = [
            "pg_dump", "--format=custom", "--no-owner",
            f"--host={settings.get('HOST') or 'localhost'}",
            f"--port={settings.get('PORT') or 5432}",
            f"--username={settings.get('USER') or ''}", settings["NAME"],
        ]  # fmt: skip
        # The dump goes to the file opened above (0600), not to one pg_dump would make.
        # S603: the arguments are the site's own settings, not user input.
        try:
            result = subprocess.run(command, env=env, stdout=output, stderr=subprocess.PIPE)  # noqa: S603
        except FileNotFoundError:
            raise CommandError("pg_dump was not found: install PostgreSQL's client.") from None
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.decode(errors='replace').strip()}")
