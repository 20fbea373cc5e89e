"""Discreet mode: plain titles, senders and file names for people whose device is not theirs alone.

While it is on, every tab title (and so every history entry) reads NEUTRAL_NAME,
emails come from NEUTRAL_NAME, and downloads are named "notes-<date>.<ext>". A
signed-in person keeps the choice on their account (User.discreet); any browser
can keep it in a cookie whose name and value say nothing about the site ("view",
"plain"). It is on when either says so: turning it on before signing in, or
signing in to an account that has it, both count.

This module holds the one answer to "is it on?" and the neutral names; the apps
ask it (core imports no app, so it reads the account's flag as an attribute).
"""

from __future__ import annotations

import datetime
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy

# What the tab, the emails' sender and the authenticator app call the site. Plain
# enough for a phone's lock screen or a shared inbox; translated like any word.
NEUTRAL_NAME = gettext_lazy("Notes")
# Downloads in discreet mode: "notes-2026-12-06.pdf" (not translated: a file name
# should stay the same whatever language the page was read in).
NEUTRAL_FILE_STEM = "notes"
COOKIE_VALUE = "plain"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def cookie_name() -> str:
    """ "view", or "__Host-view" where cookies are HTTPS-only (as the session's are)."""
    return "__Host-view" if settings.SESSION_COOKIE_SECURE else "view"


def browser_is_discreet(request: HttpRequest) -> bool:
    """Whether this browser asked for discreet mode (its cookie), signed in or not."""
    return request.COOKIES.get(cookie_name()) == COOKIE_VALUE


def is_discreet(request: HttpRequest | None) -> bool:
    """Whether the pages, emails and files made for *request* should be plain."""
    if request is None:
        return False
    cached = getattr(request, "_discreet", None)
    if cached is None:
        user = getattr(request, "user", None)
        cached = browser_is_discreet(request) or bool(
            user is not None and user.is_authenticated and getattr(user, "discreet", False)
        )
        request._discreet = cached  # type: ignore[attr-defined]  # per-request memo
    return bool(cached)


def remember(response: HttpResponseBase, request: HttpRequest, on: bool) -> None:
    """Set (or remove) this browser's discreet cookie on *response*."""
    if on:
        response.set_cookie(
            cookie_name(),
            COOKIE_VALUE,
            max_age=COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(cookie_name(), samesite="Lax")
    request._discreet = None  # type: ignore[attr-defined]  # ask again next time


def download_name(request: HttpRequest | None, normal: str, *, day: datetime.date) -> str:
    """The name of a download: *normal* ("boundaries-with-sam.pdf"), or in discreet
    mode "notes-<day>" with the same extension ("notes-2026-12-06.pdf")."""
    if not is_discreet(request):
        return normal
    extension = normal.rpartition(".")[2] if "." in normal else ""
    stem = f"{NEUTRAL_FILE_STEM}-{day.isoformat()}"
    return f"{stem}.{extension}" if extension else stem


def sender(discreet: bool) -> str:
    """The From header of an email: DEFAULT_FROM_EMAIL, under NEUTRAL_NAME when discreet.

    Only the name a mail app shows changes; the address (and its domain) cannot.
    """
    if not discreet:
        return str(settings.DEFAULT_FROM_EMAIL)
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return formataddr((str(NEUTRAL_NAME), address))
