"""Site-wide pages that belong to no one app: home, safety, privacy, quick exit, health, errors."""

import logging

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from boundaries.selectors import due_for_review
from core import discreet
from core.pagecache import served_from_memory
from guides.content import site_content
from guides.selectors import continue_step

logger = logging.getLogger(__name__)

HOME_DUE_LIMIT = 5


@login_not_required
@require_GET
@served_from_memory
def home(request: HttpRequest) -> HttpResponse:
    content = site_content()
    context: dict[str, object] = {"guides": content.guides}
    if found := continue_step(request.user, content):
        context["continue_guide"], context["continue_step"] = found
    # One query, and none for visitors who are not signed in.
    context["due_reviews"] = due_for_review(request.user, limit=HOME_DUE_LIMIT)
    return render(request, "home.html", context)


@login_not_required
@require_GET
@served_from_memory
def safety(request: HttpRequest) -> HttpResponse:
    lines = [_shown(line) for line in settings.SAFETY_LINES]
    regions: list[dict] = []
    for line in lines:
        if not regions or regions[-1]["region"] != line["region"]:
            regions.append({"region": line["region"], "lines": []})
        regions[-1]["lines"].append(line)
    # Suicide and crisis lines, shown again where the page speaks of a crisis.
    crisis_lines = [line for line in lines if line.get("crisis") and line.get("phone")]
    return render(
        request,
        "safety.html",
        {
            "page": site_content().pages["safety"],
            "regions": regions,
            "crisis_lines": crisis_lines,
            "emergency_in_page": True,  # said once, at the top: not again in the footer
        },
    )


def _shown(line: dict) -> dict:
    """A crisis line as the page shows it: its link as a reader would type it."""
    url = line.get("url") or ""
    text = url.removeprefix("https://").removeprefix("www.").rstrip("/")
    return {**line, "link_text": text}


@login_not_required
@require_GET
@served_from_memory
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Sign out and leave for a neutral site, leaving nothing to go back to.

    A plain link without JavaScript, and the target of the script's
    location.replace(). Sign-out happens here, on the server, so it holds even if
    the browser is closed a moment later. GET is accepted on purpose: a sign-out
    forced by a third party costs the user nothing but a new sign-in.
    """
    logout(request)
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
    add_never_cache_headers(response)
    return response


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Say whether the database answers; give no detail either way."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: database unreachable")
        response = HttpResponse("unavailable\n", status=503, content_type="text/plain")
    else:
        response = HttpResponse("ok\n", content_type="text/plain")
    add_never_cache_headers(response)
    return response


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without a <link rel=icon> (plain text ones)."""
    return HttpResponsePermanentRedirect(static("img/icon.svg"))


def _error(request, template, status):
    return HttpResponse(loader.render_to_string(template, {}, request), status=status)


@login_not_required
def bad_request(request, exception=None):
    return _error(request, "400.html", 400)


@login_not_required
def permission_denied(request, exception=None):
    return _error(request, "403.html", 403)


@login_not_required
def page_not_found(request, exception=None):
    context = {"guides": site_content().guides}
    return HttpResponse(loader.render_to_string("404.html", context, request), status=404)


@login_not_required
def server_error(request):
    """Render 500.html without the request: the failure may be in what the request needs."""
    html = loader.render_to_string(
        "500.html",
        {
            "site_name": settings.SITE_NAME,
            "quick_exit_url": settings.QUICK_EXIT_URL,
            # The cookie alone (no session, no user): plain titles still hold here.
            "discreet": discreet.browser_is_discreet(request),
            "neutral_name": discreet.NEUTRAL_NAME,
        },
    )
    return HttpResponse(html, status=500)


@login_not_required
def csrf_failure(request, reason=""):
    """A form that was open too long or in another session: say so in the site's words."""
    return _error(request, "403.html", 403)
