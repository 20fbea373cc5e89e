from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import discreet


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": any signed-in request counts as activity; this one does nothing else."""
    return HttpResponse(status=204)


@require_GET
def settings_index(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/settings.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def display(request: HttpRequest) -> HttpResponse:
    """Discreet mode on or off (core.discreet), for this browser and, signed in, the account.

    A plain POST form (no JavaScript needed) that lands back on the page it was sent
    from. The address says nothing either: /accounts/display/, and the choice lands
    on the box at #display (a history entry keeps the address, fragment included).
    """
    if request.method == "GET":
        return render(request, "accounts/display.html")
    choice = request.POST.get("discreet")
    if choice not in ("on", "off"):
        problem = _("Choose “Turn discreet mode on” or “Turn discreet mode off”.")
        return render(request, "accounts/display.html", {"problem": problem}, status=400)
    on = choice == "on"
    user = request.user
    if user.is_authenticated and user.discreet != on:
        user.discreet = on
        user.save(update_fields=["discreet"])
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("accounts:display")
    response = HttpResponseRedirect(f"{target}#display")
    discreet.remember(response, request, on)
    return response
