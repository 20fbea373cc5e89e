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

from core.signed_out import Reason, kept_words, signed_out_message, signed_out_response

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
            idle = now - last > settings.SESSION_IDLE_TIMEOUT
            if idle or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                reason: Reason = "idle" if idle else "absolute"
                logout(request)
                # The request goes on as a signed-out visitor's: LoginRequiredMiddleware
                # sends a private page to sign in, and answers a form posted there with
                # its words shown back (core.signed_out), after the CSRF check; a public
                # page (the quick exit above all) still works.
                request.signed_out_reason = reason  # type: ignore[attr-defined]
                if request.method != "POST":
                    messages.info(request, signed_out_message(reason))
            if now - last >= self.WRITE_EVERY or self.ACTIVITY not in session:
                session[self.ACTIVITY] = now
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        """A form with words in it, posted to a page open to anyone (the safety plan) as the
        session ended, is not run as a stranger's: it gets its words back and the reason.
        Without words (the quick exit's post), the view runs, signed out."""
        if request.method != "POST" or not hasattr(request, "signed_out_reason"):
            return None
        if not csrf_checked(request):
            return None  # a csrf_exempt view checks the post itself, or has no words to keep
        if not kept_words(request).fields:
            return None
        reason: Reason = request.signed_out_reason
        return signed_out_response(request, reason, sign_in_next=next_path(request))


def csrf_checked(request: HttpRequest) -> bool:
    """Whether CsrfViewMiddleware accepted this post; not so for a csrf_exempt view (the
    journal import checks later, an RFC 8058 unsubscribe never). Only an accepted post may
    have its words shown back: else any site could post text for this one to display."""
    return getattr(request, "csrf_processing_done", False) is True


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
    """Django's deny-by-default sign-in, with next= cut down by next_path(), and a form
    posted by someone signed out answered with its words (core.signed_out), not a redirect.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        refused = super().process_view(request, view_func, view_args, view_kwargs)
        if refused is not None and request.method == "POST":
            # Signed out since the form was opened (the time limits, here or in a
            # script's request; another tab; the quick exit): show back what was typed,
            # if the CSRF check vouched for the post (not so for a csrf_exempt view).
            reason: Reason = getattr(request, "signed_out_reason", None)
            return signed_out_response(
                request,
                reason,
                sign_in_next=next_path(request),
                show_words=csrf_checked(request),
            )
        return refused

    def handle_no_permission(
        self, request: HttpRequest, view_func: Callable[..., Any]
    ) -> HttpResponseRedirect:
        return redirect_to_login(
            next_path(request),
            resolve_url(self.get_login_url(view_func)),
            self.get_redirect_field_name(view_func),
        )
