from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": any signed-in request counts as activity; this one does nothing else."""
    return HttpResponse(status=204)


@require_GET
def settings_index(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/settings.html")
