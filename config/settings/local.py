"""Settings for `make run`: SQLite, console email, debug on, keys kept in .local/."""

import os
import secrets

from cryptography.fernet import Fernet

from .base import *  # noqa: F403 (settings modules extend base by design)
from .base import BASE_DIR, data_keys_from, database_from_env

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

LOCAL_DIR = BASE_DIR / ".local"


def _local_secrets():
    """Create .local/secrets once (outside git) and return its values.

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
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("\n".join(lines) + "\n")
    values = {}
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        values[name.strip()] = value.strip()
    return values


_secrets = _local_secrets()
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _secrets["DJANGO_SECRET_KEY"]
DATA_ENCRYPTION_KEYS = data_keys_from(
    os.environ.get("DATA_ENCRYPTION_KEYS") or _secrets["DATA_ENCRYPTION_KEYS"]
)

DATABASES = {"default": database_from_env(os.environ, LOCAL_DIR / "db.sqlite3")}

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = "Common Ground <no-reply@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
