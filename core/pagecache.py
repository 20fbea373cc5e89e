"""Serve public pages to first-time anonymous visitors from memory.

A public page (a guide step, the safety page) is the same for every visitor who
has no session, except for two values that must be new in every response: the
CSP nonce and the CSRF token. The page is rendered once per process with marks
in their place; each request then only swaps in fresh values. Content is loaded
once per process too, so a cached page can never be older than the content.

Visitors with a session (signed in, or with a message waiting) and requests with
a query string always get a freshly rendered page.
"""

import functools
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token

from core.discreet import browser_is_discreet

NONCE_MARK = "cgNonceMark7Q3"
CSRF_MARK = "cgCsrfMark7Q3"
_CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_pages: dict[tuple[str, str, bool], tuple[int, str, str]] = {}
View = Callable[..., HttpResponseBase]


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        # Messages are kept in the session (MESSAGE_STORAGE): one waiting means this cookie.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def served_from_memory(view: View) -> View:
    """Decorate a public view whose page depends only on the path, not on the visitor."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        # Discreet mode (its cookie: cacheable visitors are signed out) changes the title.
        key = (request.get_host(), request.path, browser_is_discreet(request))
        cached = _pages.get(key)
        if cached is None:
            real_nonce = getattr(request, "_csp_nonce", None)
            request._csp_nonce = NONCE_MARK  # type: ignore[attr-defined]  # Django's CSP middleware keeps the nonce here, unstubbed
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
            finally:
                request._csp_nonce = real_nonce  # type: ignore[attr-defined]  # Django's CSP middleware keeps the nonce here, unstubbed
            if response.status_code != 200 or not isinstance(response, HttpResponse):  # streaming
                return response
            html = _CSRF_FIELD.sub(rf"\g<1>{CSRF_MARK}\g<3>", response.content.decode())
            cached = (response.status_code, response["Content-Type"], html)
            _pages[key] = cached
        status, content_type, html = cached
        if NONCE_MARK in html:
            nonce = request._csp_nonce  # type: ignore[attr-defined]  # Django's CSP middleware keeps the nonce here, unstubbed
            html = html.replace(NONCE_MARK, str(nonce))
        if CSRF_MARK in html:
            html = html.replace(CSRF_MARK, get_token(request))
        return HttpResponse(html, status=status, content_type=content_type)

    return wrapper


def clear() -> None:
    _pages.clear()


@receiver(setting_changed)
def _forget_pages(**kwargs: Any) -> None:
    clear()
