"""Export (after a fresh password check) and import of journal entries.

An import is always the worker's (journal.tasks): the view checks a small file at
once, so its problems show beside the form, and hands the file over as a job; a
large one is checked by the worker, whose progress page then lists any problems.
A PDF of more than a few entries is the worker's too; Markdown, JSON and a short
PDF are made at once.
"""

from __future__ import annotations

import uuid

from allauth.account.decorators import reauthentication_required
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from accounts.http import SignedInRequest
from core import discreet
from core.middleware import CsrfViewMiddleware
from core.pdf import PDFTooComplex
from jobs.models import Job, Kind

from . import selectors, tasks
from .exports import (
    MAX_ENTRIES,
    MAX_UPLOAD,
    ImportProblems,
    export_json,
    export_stem,
    export_zip,
    read_import,
)
from .forms import ExportForm, FilterForm, ImportForm
from .models import OpenedEntry
from .pdf import check_size, journal_pdf

# An upload up to this size is checked in the request (a few tenths of a second), so
# its problems show beside the form; a larger one is checked by the worker.
CHECKED_AT_ONCE = 2 * 1024 * 1024
CHOOSE_UP_TO = 300  # entries listed with a "leave out" box; more means narrowing the range
CONTENT_TYPES = {"pdf": "application/pdf", "zip": "application/zip", "json": "application/json"}


@reauthentication_required
@require_http_methods(["GET", "POST"])
@sensitive_variables()
def export(request: SignedInRequest) -> HttpResponse:
    user = request.user
    # "Show these entries" posts the scope too: dates, a tag or a mood are disclosures,
    # kept out of the URL like the journal's search (journal.views).
    if request.method == "POST" and "show" not in request.POST:
        status = 422  # what was chosen cannot be exported (429: too many PDFs on the way)
        form = ExportForm(request.POST)
        if form.is_valid():
            left_out = {_uuid(value) for value in request.POST.getlist("leave_out")}
            chosen = form.filters()
            entries = selectors.entries_for_export(user, chosen, left_out=left_out)
            if not entries:
                form.add_error(None, _("There are no entries to export with these choices."))
            else:
                kind, title = form.cleaned_data["format"], form.cleaned_data["title"]
                try:
                    if kind != "pdf" or len(entries) <= tasks.PDF_RIGHT_AWAY:
                        return _download(request, kind, title, entries)
                    check_size(entries)  # a selection far too long is refused here, at once
                    if why := tasks.busy(user, Kind.JOURNAL_EXPORT):
                        form.add_error(None, str(why))
                        status = 429
                    else:
                        choices = tasks.export_choices(chosen, left_out, title)
                        job = tasks.export_start(user=user, choices=choices, total=len(entries))
                        return _to_progress(job)
                except PDFTooComplex as error:
                    form.add_error(None, f"{error} (The PDF was not made: too complex to export.)")
        scope = FilterForm(request.POST)
    else:
        scope = FilterForm(request.POST if request.method == "POST" else None)
        form = ExportForm()
        status = 400 if scope.is_bound and not scope.is_valid() else 200
    filters = scope.filters()
    count = selectors.filtered_entries(user, filters).count()
    context = {
        "form": form,
        "scope": scope,
        "filters": filters,
        "count": count,
        "choices": selectors.entries_opened(user, filters) if 0 < count <= CHOOSE_UP_TO else [],
        "choose_up_to": CHOOSE_UP_TO,
        "pdf_right_away": tasks.PDF_RIGHT_AWAY,
        "left_out": set(request.POST.getlist("leave_out")),
    }
    return render(request, "journal/export.html", context, status=status)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _to_progress(job: Job) -> HttpResponse:
    """See Other: the job's progress page (a reload there never posts the form again)."""
    response = HttpResponse(status=303)
    response["Location"] = reverse("jobs:progress", args=[job.pk])
    return response


def _download(
    request: SignedInRequest, kind: str, title: str, entries: list[OpenedEntry]
) -> HttpResponse:
    stem = export_stem(title, entries)
    if kind == "pdf":
        body = journal_pdf(title, entries)
    elif kind == "zip":
        body = export_zip(entries)
    else:
        body = export_json(entries)
    response = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    name = discreet.download_name(request, f"{stem}.{kind}", day=timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Import ---------------------------------------------------------------------------


class PrivateUploadHandler(MemoryFileUploadHandler):
    """Keep an uploaded export in memory only, never in a temporary file on disk.

    Django spools uploads over 2.5 MB to /tmp; an export is the whole journal in
    plain text. Bodies over MAX_UPLOAD are not read at all.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = content_length is not None and content_length <= MAX_UPLOAD + 65_536
        self.request.upload_too_large = not self.activated


# The site's own CSRF check (core.middleware), run as a decorator: Django's
# csrf_protect would check a second time, with Django's rules, and refuse the
# "Origin: null" that browsers send under Referrer-Policy: no-referrer.
site_csrf_protect = decorator_from_middleware(CsrfViewMiddleware)


@csrf_exempt  # checked by site_csrf_protect below, once the upload handler is in place
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def import_entries(request: SignedInRequest) -> HttpResponseBase:
    # Set before anything reads the body: the CSRF check reads request.POST.
    request.upload_handlers = [PrivateUploadHandler(request)]
    return _import_entries(request)


@site_csrf_protect
@sensitive_variables()
def _import_entries(request: SignedInRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
    problems: list[str] = []
    if posted:
        if getattr(request, "upload_too_large", False):
            problems = [f"The file is larger than {MAX_UPLOAD // (1024 * 1024)} MB."]
        elif form.is_valid():
            data = form.cleaned_data["file"].read()
            # Too large is refused here whatever the size (read_import's first check).
            checked_here = len(data) <= CHECKED_AT_ONCE or len(data) > MAX_UPLOAD
            try:
                total = len(read_import(data)) if checked_here else 0
            except ImportProblems as error:
                problems = error.problems
            else:
                if why := tasks.busy(request.user, Kind.JOURNAL_IMPORT):
                    context: dict[str, object] = {"form": form, "busy": why, **_limits()}
                    return render(request, "journal/import.html", context, status=429)
                return _to_progress(tasks.import_start(user=request.user, data=data, total=total))
    status = 400 if problems or form.errors else 200
    context = {"form": form, "problems": problems, **_limits()}
    return render(request, "journal/import.html", context, status=status)


def _limits() -> dict[str, int]:
    return {"max_entries": MAX_ENTRIES, "max_mb": MAX_UPLOAD // (1024 * 1024)}
