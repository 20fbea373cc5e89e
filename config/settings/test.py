"""Settings for the test suite: fast hashing, in-memory mail, fixed keys."""

import os

from .base import *  # noqa: F403 (settings modules extend base by design)
from .base import BASE_DIR, database_from_env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-anything-else-0123456789"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Two fixed keys, newest first, so rotation paths are exercised.
DATA_ENCRYPTION_KEYS = [
    "u5V2bJk3n9Q0m8a1n4e7r6t5y4u3i2o1p0lKjHgFdSA=",
    "Zm9yLXRlc3RzLW9ubHktb2xkZXIta2V5LTAxMjM0NTY=",
]

# Tests use an in-memory SQLite database; this file only serves `manage.py check`.
(BASE_DIR / ".local").mkdir(exist_ok=True)
DATABASES = {"default": database_from_env(os.environ, BASE_DIR / ".local" / "test.sqlite3")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DEFAULT_FROM_EMAIL = "Common Ground <no-reply@example.org>"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from static/ (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
