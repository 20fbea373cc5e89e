"""Settings for `make run`: SQLite, console email, debug on, keys kept in .local/."""

import os

from .base import *  # noqa: F403 (settings modules extend base by design)
from .base import data_keys_from, database_from_env
from .local_secrets import LOCAL_DIR, local_secrets

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

_secrets = local_secrets()
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
