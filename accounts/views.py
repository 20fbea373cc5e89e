from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import DeleteAccountForm
from .services import account_delete


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": any signed-in request counts as activity; this one does nothing else."""
    return HttpResponse(status=204)


@require_GET
def settings_index(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/settings.html")


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def delete(request: HttpRequest) -> HttpResponse:
    """Delete the account after recent authentication and a typed confirmation."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        account_delete(request=request, user=request.user)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
