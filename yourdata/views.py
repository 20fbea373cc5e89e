from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from accounts.models import User
from core import discreet

from .archive import ArchiveBusy, account_archive
from .forms import DeleteAccountForm
from .services import account_delete


@require_http_methods(["GET", "POST"])
@reauthentication_required
@sensitive_variables()
def export(request: HttpRequest) -> HttpResponse:
    """Everything about the account in one zip.

    The password check comes when the page is opened, as on the journal's export,
    not after the click; it then holds for the rest of the sitting
    (ACCOUNT_REAUTHENTICATION_TIMEOUT).
    """
    if request.method == "GET":
        return render(request, "accounts/export.html")
    try:
        archive = account_archive(request.user)
    except ArchiveBusy:
        return render(request, "accounts/export.html", {"busy": True}, status=429)
    response = HttpResponse(archive, content_type="application/zip")
    today = timezone.localdate()
    name = discreet.download_name(request, f"account-data-{today:%Y-%m-%d}.zip", day=today)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@reauthentication_required
def delete(request: HttpRequest) -> HttpResponse:
    """Delete the account after a recent password check (asked when the page opens)
    and a typed confirmation."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)  # reauthentication_required: signed in
        account_delete(request=request, user=request.user)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
