"""The safety check's hold on a sitting, and the pages of any app that stand behind it.

Some pages can raise the risk for someone whose partner controls or hurts them: the
partner-facing guide steps and the conversation planner (guides), and the boundary plan
builder, where people write consequences such as "I will go and stay with my sister"
(boundaries). The first time in a sitting that someone opens one, the page at that
address is the safety check instead; its answers are POSTed to one address and read
once there, then a 303 leads back to the page asked for (or to the page about safer
ways through, which offers it as a choice).

The check itself (its questions, its page, the view its answers go to) is the guides
app's (guides/safety_check.py). What every app needs of it lives here, because apps do
not import each other: the one thing the session keeps ("checked in this sitting", as
the time it was answered), the sitting's end, the 303, the path the answers may lead
back to, and ``checked_first``, the decorator that puts a view behind the check.
``settings.SAFETY_CHECK_PAGE`` names the function that draws the check (wiring, as
``CSRF_FAILURE_VIEW`` names a view), so this module imports no app.

A sitting ends after SESSION_IDLE_TIMEOUT (30 minutes) with no page behind the check
opened, or with the session itself (signing out, the quick exit): a signed-out
session's cookie can outlive closing the browser, and the next sitting may be
someone else's, or a different day.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string

# The one thing the session keeps: when the check was answered (or last found fresh), as
# whole seconds since the epoch. The same for every answer.
SAFETY_CHECKED = "safety_checked"
FRESHEN_EVERY = 60  # seconds: a session write at most once a minute while reading
# The longest path the check leads back to: every page behind it has a short address.
MAX_TARGET = 300
# Set on a view by checked_first (and carried by functools.wraps to any decorator above it).
_GUARDED = "safety_checked_first"


class CheckPage(Protocol):
    def __call__(self, request: HttpRequest, *, target: str, title: str) -> HttpResponse: ...


def is_checked(request: HttpRequest) -> bool:
    """Whether the check was answered in this sitting; reading on keeps the sitting open."""
    at = request.session.get(SAFETY_CHECKED)
    if not isinstance(at, int) or isinstance(at, bool):  # True: written by the older check
        return False
    since = int(time.time()) - at
    if not 0 <= since <= settings.SESSION_IDLE_TIMEOUT:
        return False
    if since >= FRESHEN_EVERY:
        mark_checked(request)
    return True


def mark_checked(request: HttpRequest) -> None:
    request.session[SAFETY_CHECKED] = int(time.time())


def check_page(request: HttpRequest, *, target: str, title: str) -> HttpResponse:
    """The check, drawn by the guides app (settings.SAFETY_CHECK_PAGE) at *target*'s address."""
    page: CheckPage = import_string(settings.SAFETY_CHECK_PAGE)
    return page(request, target=target, title=title)


def checked_first(
    title: str | Promise,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Put a view behind the check: a GET in a sitting without it shows the check, under
    *title* (the page's own), and the page asked for once it is answered.

    Only reading is held back: a POST (text being saved, or the builder's steps without
    JavaScript) is never turned away, and keeps the sitting open like reading does. Apply
    it below the decorator that fetches the person's own object, so another person's id
    is a 404 before anything else.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # Either way the page depends on the session: no copy in a browser or proxy.
            request.private_page = True  # type: ignore[attr-defined]  # PrivateNoStoreMiddleware
            if not is_checked(request) and request.method == "GET":
                return check_page(request, target=request.path, title=str(title))
            return view(request, *args, **kwargs)

        setattr(wrapper, _GUARDED, True)
        return wrapper

    return decorator


def is_guarded(match: ResolverMatch) -> bool:
    """Whether the view *match* resolved to stands behind the check (checked_first)."""
    return getattr(match.func, _GUARDED, False) is True


def safe_target(
    value: str | None, *, also: Callable[[ResolverMatch], bool] | None = None
) -> str | None:
    """*value* when it is the path of a page behind the check, else None.

    Only a bare path on this site passes (no scheme, no host, no query, at most MAX_TARGET
    characters), and only one that resolves to a view put behind the check with
    checked_first, or one *also* accepts: the check never sends anyone elsewhere.
    """
    if not value or len(value) > MAX_TARGET or not value.startswith("/"):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None, require_https=False):
        return None
    if "?" in value or "#" in value or "\\" in value or value.startswith("//"):
        return None
    try:
        match = resolve(value)
    except Resolver404:
        return None
    if is_guarded(match) or (also is not None and also(match)):
        return value
    return None
