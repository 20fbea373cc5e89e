"""`make serve`: the production settings, run locally over plain HTTP.

Everything production does (DEBUG off, hashed and compressed static files, the
file cache, the strict headers) except what needs the TLS proxy: no SSL
redirect, no HSTS, and cookies without Secure/__Host- so that a browser keeps
them on http://127.0.0.1. Secrets come from .local/secrets, as for `make run`.
"""

import os

from .local_secrets import LOCAL_DIR, local_secrets

_secrets = local_secrets()
os.environ.setdefault("DJANGO_SECRET_KEY", _secrets["DJANGO_SECRET_KEY"])
os.environ.setdefault("DATA_ENCRYPTION_KEYS", _secrets["DATA_ENCRYPTION_KEYS"])
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DEFAULT_FROM_EMAIL", "Common Ground <no-reply@localhost>")
os.environ.setdefault("SQLITE_PATH", str(LOCAL_DIR / "db.sqlite3"))
os.environ.setdefault("CACHE_DIR", str(LOCAL_DIR / "cache"))

from .production import *  # noqa: E402, F403 (production, then the local-HTTP differences)

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_SECURE = False
CSRF_COOKIE_NAME = "csrftoken"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
CSRF_TRUSTED_ORIGINS = ["http://127.0.0.1:8000", "http://localhost:8000"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
