"""A job's progress page, and its one download.

The page works without JavaScript (it asks the browser to load it again every two
seconds until the job ends, through a refresh inside <noscript>) and with it
(static/js/jobs.js fetches the same page and swaps the progress part in place).
Someone else's job is a 404, like every object that belongs to a person.
"""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.internal.flows import reauthentication
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.http import SignedInRequest
from core import discreet
from core.ownership import get_owned_or_404, owned

from . import services, stages
from .models import Job, Kind, State

REFRESH_SECONDS = 2
SLOW_START_SECONDS = 60  # waiting longer than this: the workers are busy (or none is running)
FRESH_PASSWORD_KINDS = {Kind.ARCHIVE, Kind.JOURNAL_EXPORT}
# The page's title once the work is over (while it goes on: the kind's label, "Making a PDF").
FINISHED_TITLES = {
    Kind.JOURNAL_IMPORT: "Journal import",
    Kind.JOURNAL_EXPORT: "Journal export",
    Kind.ARCHIVE: "All your data in one file",
    Kind.PLAN_PDF: "Your PDF",
}
# Where each kind of job leads once it is over: the page it was started from.
BACK = {
    Kind.JOURNAL_IMPORT: ("journal:import", "Import another file"),
    Kind.JOURNAL_EXPORT: ("journal:export", "Back to the export"),
    Kind.ARCHIVE: ("accounts:export", "Back to Download your data"),
    Kind.PLAN_PDF: ("boundaries:list", "Back to your plans"),
}


def owned_job(user, pk) -> Job:
    """*user*'s job, without its sealed input and file (an upload can be megabytes, and
    the page is polled every REFRESH_SECONDS)."""
    return get_owned_or_404(Job.objects.defer("sealed_input", "sealed_result"), user, pk=pk)


@owned(owned_job, "GET", "HEAD")
def progress(request: SignedInRequest, job: Job) -> HttpResponse:
    if job.state == State.RUNNING and services.recover_stalled(jobs=Job.objects.filter(pk=job.pk)):
        job.refresh_from_db(fields=["state", "stage", "done", "total", "finished_at"])
    ready = job.state == State.DONE and services.result_waiting(job)
    about = services.outcome(job) if job.finished else {}
    percent = round(100 * job.done / job.total) if job.total else (100 if job.finished else 0)
    back_url, back_label = BACK[Kind(job.kind)]
    waited = (timezone.now() - job.created_at).total_seconds()
    context = {
        "job": job,
        "slow_start": job.state == State.QUEUED and waited > SLOW_START_SECONDS,
        "title": FINISHED_TITLES[Kind(job.kind)] if job.finished else Kind(job.kind).label,
        "stage": stages.words(job.stage),
        "percent": percent,
        "outcome": about,
        "problems": about.get("problems", []),
        "ready": ready,
        "refresh": REFRESH_SECONDS if not job.finished else None,
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "jobs/progress.html", context)


@owned(owned_job, "POST")
def download(request: SignedInRequest, job: Job) -> HttpResponse:
    # Everything in an account, or a journal export: the pages that start these ask for
    # the password again, and so does the download, which can come up to a day later.
    if job.kind in FRESH_PASSWORD_KINDS and reauthentication.is_reauthentication_required(
        request, app=""
    ):
        progress_url = reverse("jobs:progress", args=[job.pk])
        return redirect(f"{reverse('account_reauthenticate')}?{urlencode({'next': progress_url})}")
    taken = services.result_take(job)
    if taken is None:  # downloaded already (a second click), or its time is up
        return redirect("jobs:progress", pk=job.pk)
    response = HttpResponse(taken.data, content_type=taken.content_type)
    name = discreet.download_name(request, taken.name, day=timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
