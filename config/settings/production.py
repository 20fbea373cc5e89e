"""Production settings: everything comes from the environment; missing essentials stop start-up.

See docs/deploy.md for the variables and the reasons behind them.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403 (settings modules extend base by design)
from .base import BASE_DIR, data_keys_from, database_from_env


def required(name):
    """Return the environment variable *name*, or refuse to start without it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment (see docs/deploy.md).")
    return value


DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in required("DJANGO_ALLOWED_HOSTS").split(",")]
CSRF_TRUSTED_ORIGINS = [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS]
# Links in emails the worker sends (reminders): SITE_URL, or the first allowed host.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/") or CSRF_TRUSTED_ORIGINS[0]
DATA_ENCRYPTION_KEYS = data_keys_from(required("DATA_ENCRYPTION_KEYS"))

DATABASES = {
    "default": database_from_env(
        os.environ, os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
    )
}

# --- HTTPS, behind a TLS-terminating proxy that sets X-Forwarded-Proto ---------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000  # two years
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# __Host- cookies: Secure, Path=/ and no Domain, so no subdomain can set them.
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# allauth's rate limits count per IP: trust exactly one proxy's X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))

# --- Cache (rate limits and allauth's state must be shared by all workers) -------
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }
else:
    # One machine: files every worker shares (no database query per request, as a
    # database cache would cost). More than one machine needs CACHE_URL.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache" / "django")),
        }
    }

# --- Static files: hashed names, compressed, cached forever ------------------
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Email ------------------------------------------------------------------
DEFAULT_FROM_EMAIL = required("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("SMTP_HOST", "localhost"),
            "port": int(os.environ.get("SMTP_PORT", "587")),
            "username": os.environ.get("SMTP_USER", ""),
            "password": os.environ.get("SMTP_PASSWORD", ""),
            "use_tls": os.environ.get("SMTP_TLS", "true").lower() == "true",
            "timeout": 10,
        },
    }
}
ADMINS = [
    address.strip() for address in os.environ.get("DJANGO_ADMINS", "").split(",") if address.strip()
]
