"""Write through the site in a child process against a SQLite file of its own, then read
back what is at rest: the database file, its write-ahead log and `dumpdata`.

The child's script (given by each test) writes with the words in $CANARY_WORDS, copies
DATABASE_URL's file and its WAL to `<file>.copy` and `<file>-wal.copy` while the
connection is open, and prints {"dump": <dumpdata output>} as JSON.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def written_at_rest(script: str, database: Path, words: dict[str, str]) -> dict[str, bytes]:
    """Run *script* against *database*; return {"database", "wal", "dump"}: bytes at rest."""
    root = Path(settings.BASE_DIR)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "CANARY_WORDS": json.dumps(words),
        "PYTHONPATH": str(root),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        "database": Path(f"{database}.copy").read_bytes(),
        "wal": Path(f"{database}-wal.copy").read_bytes(),
        "dump": json.loads(result.stdout)["dump"].encode(),
    }
