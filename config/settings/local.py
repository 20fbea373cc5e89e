"""Settings for `make run`: SQLite, console email, debug on, keys kept in .local/."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.development import with_site_error_pages

from .base import *  # noqa: F403 (settings modules extend base by design)
from .base import MIDDLEWARE, data_keys_from, database_from_env
from .guard import production_variables, refusal
from .local_secrets import LOCAL_DIR, local_secrets

# Never DEBUG where production's variables are set (config/settings/guard.py).
if _production := production_variables(os.environ):
    raise ImproperlyConfigured(refusal(_production))

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# .local/secrets is made on first use, unless both keys come from the environment.
_secrets = (
    {}
    if os.environ.get("DJANGO_SECRET_KEY") and os.environ.get("DATA_ENCRYPTION_KEYS")
    else local_secrets()
)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _secrets["DJANGO_SECRET_KEY"]
DATA_ENCRYPTION_KEYS = data_keys_from(
    os.environ.get("DATA_ENCRYPTION_KEYS") or _secrets["DATA_ENCRYPTION_KEYS"]
)

DATABASES = {"default": database_from_env(os.environ, LOCAL_DIR / "db.sqlite3")}

# One cache for the server and the worker `make run` starts beside it, as in production:
# a plan's PDF the worker made is then found by the plan's page (boundaries.pdf).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(LOCAL_DIR / "cache"),
    }
}

# The site's own 404 and 500 pages (with the quick exit) under DEBUG too; tracebacks
# stay in the terminal. Debug detail everywhere else (templates, SQL) is unchanged.
MIDDLEWARE = with_site_error_pages(MIDDLEWARE)

# Emails printed in the terminal as a person reads them: decoded, each link on one line.
MAILERS = {"default": {"BACKEND": "config.development.ConsoleEmailBackend"}}
DEFAULT_FROM_EMAIL = "Common Ground <no-reply@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
