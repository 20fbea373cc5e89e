"""Settings every environment shares. local.py, test.py and production.py build on these."""

import os
from pathlib import Path

import dj_database_url
import yaml
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SITE_NAME = "Common Ground"
# The site's address, for links in emails the worker sends with no request to ask
# (reminders). production.py takes it from SITE_URL or the first allowed host.
SITE_URL = "http://127.0.0.1:8000"

# --- Apps ---------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # django-allauth: https://docs.allauth.org/en/latest/
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Ours. "config" holds the site-wide management commands (backup_db).
    "config",
    "accounts",
    # Long work (imports, PDFs, archives) run by the worker, with a progress page.
    "jobs",
    "guides",
    "journal",
    "boundaries",
    "safety",
    "pages",
    "reminders",
    # On top: download and delete everything, composed from each app's part.
    "yourdata",
    # The queue for django.tasks: rows in our own database (docs/deploy.md, "Background
    # worker"). After ours, so that jobs' db_worker (a cleaner stop) is the one that runs.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a signed-in user unless it is marked
    # @login_not_required (public pages, allauth's entrance pages).
    # (core.middleware's subclass keeps search words and answers out of next=.)
    "core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.PrivateNoStoreMiddleware",
    "core.middleware.MethodNotAllowedPageMiddleware",
]

# security.W003 looks for Django's CsrfViewMiddleware by its exact path; ours is a
# subclass (core.middleware.CsrfViewMiddleware, for Referrer-Policy: no-referrer),
# and tests/test_headers.py proves cross-site posts are still refused.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite by default, tuned for concurrent writers (see docs/deploy.md): IMMEDIATE
# transactions take the write lock up front, so two writers queue on the busy
# timeout instead of failing with "database is locked" when one upgrades a read
# lock; WAL lets readers carry on while one writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_from_env(environ, sqlite_path):
    """Return the default database: PostgreSQL (or any) from DATABASE_URL, else SQLite."""
    url = environ.get("DATABASE_URL", "").strip()
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": sqlite_path,
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# allauth's backend alone: it is a ModelBackend (permissions work) that signs in by
# email. With Django's ModelBackend before it, every failed sign-in hashed twice.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
# Argon2id first (accounts.hashers: 46 MiB, 2 passes, 1 lane, above the minimum of
# OWASP's Password Storage Cheat Sheet, 19 MiB, 2 passes, 1 lane:
# https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).
# PBKDF2 stays after it so existing hashes still verify and are rehashed with
# Argon2id on the next sign-in. Needs argon2-cffi.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # OWASP ASVS level 2 asks for at least 12
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth accounts: https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# "Confirm it's you" takes the password or the second factor, never an emailed code
# (allauth 65.22 added codes): on a phone left unlocked, the mailbox is open too.
ACCOUNT_REAUTHENTICATION_METHODS = {"password", "mfa"}
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Sensitive pages (export, delete, email, two-factor and passkey changes) ask for the
# password when the page is opened if the last sign-in or check is older than this,
# then not again for the rest of the sitting: 30 minutes is also how long an idle
# session lasts (SESSION_IDLE_TIMEOUT), so one sitting means one question.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 30 * 60
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# A shared or watched device should not stay signed in after the browser closes.
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SITE_NAME}: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Sign-up hashes the password for a taken address too, so timing tells nothing.
ACCOUNT_FORMS = {"signup": "accounts.auth_forms.SignupForm"}
# Rate limits: https://docs.allauth.org/en/latest/account/rate_limits.html
# Failed sign-ins: 10 a minute per IP, and 10 per 5 minutes per address, which caps
# guessing at about 2,900 tries a day against a 12+ character password checked
# against a common-password list. The per-address count is shared by unknown
# browsers only: a browser that signed in with the address before has its own
# (device cookies, accounts.adapters), so knowing someone's address is not enough
# to keep them out. Sign-in codes by email (below) work while the count is used up;
# requests for them are limited so that no one can flood a person's inbox.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,10/5m/key",
    "request_login_code": "20/m/ip,3/15m/key",
}
# "Send me a sign-in code": https://docs.allauth.org/en/latest/account/configuration.html
# A code by email (3 tries, 3 minutes), then two-factor if it is on.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True

# allauth MFA: https://docs.allauth.org/en/latest/mfa/configuration.html
# and passkeys: https://docs.allauth.org/en/latest/mfa/webauthn.html
# A passkey signs in on its own (MFA_PASSKEY_LOGIN_ENABLED) or serves as the second
# step after the password; recovery codes stay as the way back in. The label a
# device shows next to a passkey is the site's plain name (accounts.adapters).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_FORMS = {
    "add_webauthn": "accounts.forms.AddPasskeyForm",
    "edit_webauthn": "accounts.forms.RenamePasskeyForm",
    # Wrong two-step codes counted per known browser, as failed passwords are.
    "authenticate": "accounts.auth_forms.MFAAuthenticateForm",
}
MFA_TOTP_ISSUER = SITE_NAME

# allauth user sessions: https://docs.allauth.org/en/latest/usersessions/configuration.html
# Activity tracking (IP and user agent on every request) stays off: it would cost
# a write per request and keep more about people than the sessions page needs.
USERSESSIONS_TRACK_ACTIVITY = False

# --- Sessions and cookies -----------------------------------------------------
# Sessions live in the database (so "sign out other sessions" and account deletion
# reach them) and are read through the cache, so a page view costs no session query.
# Both copies are encrypted (accounts.sessions): a session can hold what a person wrote.
SESSION_ENGINE = "accounts.sessions"
# Signed-in sessions end after SESSION_IDLE_TIMEOUT seconds without a request
# (warned SESSION_IDLE_WARNING seconds before) and SESSION_ABSOLUTE_TIMEOUT after
# sign-in, whatever happens (core.middleware.SessionExpiryMiddleware).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", 30 * 60))
SESSION_IDLE_WARNING = int(os.environ.get("SESSION_IDLE_WARNING", 2 * 60))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
# The safety check, once a sitting (SESSION_IDLE_TIMEOUT), before pages that could raise
# the risk with a controlling partner: core.safety_gate keeps the sitting and draws the
# check for any app's page with this function (the guides app owns the questions).
SAFETY_CHECK_PAGE = "guides.safety_check.check_page"
# Messages ("Signed in as …") live in the session, not in a readable cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers ---------------------------------------------------------
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django 6.1's CSP: https://docs.djangoproject.com/en/6.1/ref/csp/
# No inline script or style anywhere; the nonce covers the site's own tags.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "manifest-src": [CSP.SELF],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

# Error reports carry no request bodies, cookies or local variables: a 500 in a
# journal view must not mail the journal entry to anyone.
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.reporting.PrivateExceptionReporterFilter"
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"
DEFAULT_EXCEPTION_REPORTER = "config.reporting.PrivateExceptionReporter"

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
# Every interface string is marked for translation (tests/i18n renders each page under
# a generated pseudo-locale); English is the only language offered so far.
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_MAX_AGE = 3600

# --- Safety -------------------------------------------------------------------
# Where "Exit this page" goes: an ordinary, neutral site. Override with
# QUICK_EXIT_URL. GOV.UK's own exit pattern uses BBC Weather.
QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"

# Crisis and domestic-abuse lines shown on /safety/, by region, each with the page it
# was checked against and the date (pages/data/crisis_lines.yaml). Local services
# differ: the page says so. SAFETY_LINES_FILE replaces the list with a YAML file of
# the same shape; pages.checks validates either at start-up.
SAFETY_LINES = yaml.safe_load(
    (BASE_DIR / "pages" / "data" / "crisis_lines.yaml").read_text("utf-8")
)

# --- Background tasks ---------------------------------------------------------
# django.tasks on the database (django-tasks-db): the web process enqueues a row, any
# number of `manage.py db_worker` processes claim rows (SELECT ... FOR UPDATE SKIP
# LOCKED on PostgreSQL; an exclusive transaction on SQLite) and run them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A job whose worker has not reported for this long is taken as lost (the worker was
# killed or its machine went away): it is run again once, then shown as failed.
JOB_STALL_SECONDS = 300
# A finished job's result (a file, a summary) is kept sealed this long, or until downloaded.
JOB_RESULT_HOURS = 24

# --- Logging ------------------------------------------------------------------
# Plain records on stderr. Nothing a user wrote goes into a log: views log ids
# and events, never content; Django's request logger logs paths only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "config.reporting.PrivateFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
            # The HTML report would carry settings and frames; the text one with
            # the private filter carries neither bodies nor variables.
            "include_html": False,
        },
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        # WeasyPrint logs the URLs it refuses and the text it cannot lay out: user text.
        "weasyprint": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "fontTools": {"handlers": [], "level": "CRITICAL", "propagate": False},
        # The worker's own lines: task ids and names, never arguments or results.
        "django.tasks": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Environment overrides shared by every environment -------------------------
QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", QUICK_EXIT_URL)
if os.environ.get("SAFETY_LINES_FILE"):
    SAFETY_LINES = yaml.safe_load(Path(os.environ["SAFETY_LINES_FILE"]).read_text("utf-8"))


def data_keys_from(value):
    """Split DATA_ENCRYPTION_KEYS ("newest,older,...") into a list of Fernet keys."""
    return [key.strip() for key in (value or "").split(",") if key.strip()]
