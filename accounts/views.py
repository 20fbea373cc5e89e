from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """"Stay signed in": any signed-in request counts as activity, this one does nothing else."""
    return HttpResponse(status=204)
