"""The development settings (DEBUG on) never start where production's variables are set.

DEBUG shows tracebacks with local variables and settings to anyone who meets an
error: on a live site that would be what people wrote. manage.py falls back to
config.settings.local when DJANGO_SETTINGS_MODULE is unset, which is right in a
checkout and wrong on a server where someone forgot to export it. Production
needs DJANGO_ALLOWED_HOSTS, and the development settings read none of the
variables below, so any of them set means "this is a production environment".
"""

from collections.abc import Mapping

PRODUCTION_ONLY = (
    "DJANGO_ALLOWED_HOSTS",
    "DEFAULT_FROM_EMAIL",
    "SQLITE_PATH",
    "SMTP_HOST",
    "DJANGO_ADMINS",
    "CACHE_URL",
)


def production_variables(environ: Mapping[str, str]) -> list[str]:
    """The production-only variables set in *environ*."""
    return [name for name in PRODUCTION_ONLY if environ.get(name, "").strip()]


def refusal(found: list[str]) -> str:
    names = ", ".join(found)
    return (
        f"Refusing to start with the development settings (DEBUG on): {names} "
        f"{'is' if len(found) == 1 else 'are'} set, as on a production server. "
        "There, set DJANGO_SETTINGS_MODULE=config.settings.production. "
        f"To develop on this machine, unset {names}."
    )
