from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from accounts.models import User
from core.http import SeeOther
from jobs.services import start_refused

from .forms import DeleteAccountForm
from .services import account_delete
from .tasks import archive_job, archive_start


@require_http_methods(["GET", "POST"])
@reauthentication_required
@sensitive_variables()
def export(request: HttpRequest) -> HttpResponse:
    """Everything about the account in one zip, made by the worker (yourdata.tasks).

    The click answers at once with the job's progress page, where the zip is
    downloaded once it is ready. The page says so while an archive is being made
    or waits to be downloaded, and a second click joins the one being made.
    The password check comes when the page is opened, as on the journal's export,
    not after the click; it then holds for the rest of the sitting
    (ACCOUNT_REAUTHENTICATION_TIMEOUT).
    """
    assert isinstance(request.user, User)  # reauthentication_required: signed in
    if request.method == "GET":
        return render(request, "accounts/export.html", {"job": archive_job(request.user)})
    job = archive_job(request.user)
    if (job is None or job.finished) and (why := start_refused(request.user)):
        context = {"job": job, "refused": why}
        return render(request, "accounts/export.html", context, status=429)
    job = archive_start(user=request.user)
    return SeeOther(reverse("jobs:progress", args=[job.pk]))  # the job's page, fetched with GET


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
