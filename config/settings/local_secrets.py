"""The secrets `make run` and `make serve` keep in .local/ (outside git), made once."""

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

LOCAL_DIR = Path(__file__).resolve().parent.parent.parent / ".local"


def local_secrets() -> dict[str, str]:
    """Create .local/secrets on first use and return its values.

    The secret key and the data-encryption key must survive restarts: a new
    encryption key would make everything written before it unreadable.
    """
    path = LOCAL_DIR / "secrets"
    if not path.exists():
        LOCAL_DIR.mkdir(mode=0o700, exist_ok=True)
        lines = [
            f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}",
            f"DATA_ENCRYPTION_KEYS={Fernet.generate_key().decode()}",
        ]
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it a moment ago
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write("\n".join(lines) + "\n")
    values = {}
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        values[name.strip()] = value.strip()
    return values
