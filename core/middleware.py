import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import (
    LoginRequiredMiddleware as DjangoLoginRequiredMiddleware,
)
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware as DjangoCsrfViewMiddleware
from django.shortcuts import render, resolve_url
from django.utils.cache import add_never_cache_headers, patch_cache_control

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class PermissionsPolicyMiddleware:
    """Switch off browser features the site never uses (camera, location, ...)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivateNoStoreMiddleware:
    """Never let a browser or proxy keep a page shown to a signed-in person.

    Every page a signed-in user sees carries their menu, and most carry their
    writing; with no-store, the back button after quick exit or sign-out has no
    copy to show, and a shared computer's cache holds nothing of theirs.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(request, "private_page", False):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class MethodNotAllowedPageMiddleware:
    """Answer a 405 with the site's own page (quick exit included), not an empty body.

    A view that takes only POST (require_POST) answers a GET, from a bookmark, a
    reload or a typed address, with an empty 405, and the browser shows its own
    error page, without the exit button. Last in MIDDLEWARE, so the page gets the
    same headers (no-store for a signed-in person) as any other.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and isinstance(response, HttpResponse)
            and not response.content
        ):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class CsrfViewMiddleware(DjangoCsrfViewMiddleware):
    """Django's CSRF protection, made to work with Referrer-Policy: no-referrer.

    Under no-referrer, browsers send "Origin: null" (and no Referer) with a form
    posted to the same site, which Django rejects. Fetch Metadata answers the
    same question: a browser sets Sec-Fetch-Site itself and no page can forge it,
    so "same-origin" there vouches for the origin. The CSRF token is still checked.
    """

    def _origin_verified(self, request: HttpRequest) -> bool:
        if (
            request.headers.get("origin") == "null"
            and request.headers.get("sec-fetch-site") == "same-origin"
        ):
            return True
        verified: bool = super()._origin_verified(request)  # type: ignore[misc]  # private, unstubbed
        return verified


class SessionExpiryMiddleware:
    """Sign people out after a spell of inactivity, and after an absolute maximum.

    A shared or watched device is the risk: a journal left open in a tab should
    close itself. Activity is written to the session at most once a minute, so a
    signed-in page view rarely costs a session write. The page's script warns
    SESSION_IDLE_WARNING seconds before the idle limit (static/js/site.js).
    """

    ACTIVITY = "activity_at"
    STARTED = "signed_in_at"
    WRITE_EVERY = 60

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(self.STARTED, now)
            last = session.get(self.ACTIVITY, now)
            idle_limit = settings.SESSION_IDLE_TIMEOUT
            if now - last > idle_limit or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                idle = now - last > idle_limit
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {idle_limit // 60} minutes without activity."
                    if idle
                    else "You were signed out: sessions last at most "
                    f"{settings.SESSION_ABSOLUTE_TIMEOUT // 3600} hours. Sign in again to go on.",
                )
                return redirect_to_login(next_path(request))
            if now - last >= self.WRITE_EVERY or self.ACTIVITY not in session:
                session[self.ACTIVITY] = now
        return self.get_response(request)


# Query parameters that never hold what a person typed or chose to disclose: ids,
# page numbers and the guides' own prompts. Anything else is dropped from next=.
NEXT_KEEPS = frozenset({"page", "draft", "step", "prompt", "range"})


def next_path(request: HttpRequest) -> str:
    """Where to come back to after signing in: the path, without user text from the query.

    The sign-in page's address (with next=) lands in history and server logs; a
    search, an answer or a filter in it would be kept there after a sign-out.
    """
    kept = [(key, value) for key, value in request.GET.items() if key in NEXT_KEEPS]
    return request.path + (f"?{urlencode(kept)}" if kept else "")


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's deny-by-default sign-in, with next= cut down by next_path()."""

    def handle_no_permission(
        self, request: HttpRequest, view_func: Callable[..., Any]
    ) -> HttpResponseRedirect:
        return redirect_to_login(
            next_path(request),
            resolve_url(self.get_login_url(view_func)),
            self.get_redirect_field_name(view_func),
        )
