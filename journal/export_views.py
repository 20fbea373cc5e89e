"""Export (after a fresh password check) and import of journal entries."""

from __future__ import annotations

import uuid

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from accounts.http import SignedInRequest
from core import discreet
from core.middleware import CsrfViewMiddleware
from core.pdf import PDFTooComplex, pdf_filename

from . import selectors, services
from .exports import MAX_ENTRIES, MAX_UPLOAD, ImportProblems, export_json, export_zip, read_import
from .forms import ExportForm, FilterForm, ImportForm
from .models import OpenedEntry
from .pdf import journal_pdf

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
        form = ExportForm(request.POST)
        if form.is_valid():
            left_out = {_uuid(value) for value in request.POST.getlist("leave_out")}
            entries = selectors.entries_for_export(user, form.filters(), left_out=left_out)
            if not entries:
                form.add_error(None, _("There are no entries to export with these choices."))
            else:
                try:
                    return _download(
                        request, form.cleaned_data["format"], form.cleaned_data["title"], entries
                    )
                except PDFTooComplex as error:
                    form.add_error(None, f"{error} (The PDF was not made: too complex to export.)")
        scope = FilterForm(request.POST)
        status = 422
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
        "left_out": set(request.POST.getlist("leave_out")),
    }
    return render(request, "journal/export.html", context, status=status)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _download(
    request: SignedInRequest, kind: str, title: str, entries: list[OpenedEntry]
) -> HttpResponse:
    first, last = entries[0].entry_date, entries[-1].entry_date
    stem = pdf_filename(f"{title} {first.isoformat()} to {last.isoformat()}")[: -len(".pdf")]
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
            try:
                rows = read_import(form.cleaned_data["file"].read())
            except ImportProblems as error:
                problems = error.problems
            else:
                done = services.entries_import(user=request.user, rows=rows)
                messages.success(request, _imported_message(done))
                return redirect("journal:list")
    status = 400 if problems or form.errors else 200
    context = {
        "form": form,
        "problems": problems,
        "max_entries": MAX_ENTRIES,
        "max_mb": MAX_UPLOAD // (1024 * 1024),
    }
    return render(request, "journal/import.html", context, status=status)


def _imported_message(done: services.Imported) -> str:
    imported, skipped, plain = done
    message = ngettext("Imported %(count)s entry.", "Imported %(count)s entries.", imported) % {
        "count": f"{imported:,}"
    }
    if skipped:
        message += " " + ngettext(
            "%(count)s was already in your journal and left as it is.",
            "%(count)s were already in your journal and left as they are.",
            skipped,
        ) % {"count": f"{skipped:,}"}
    if plain:
        message += " " + ngettext(
            "%(count)s shows as plain text, without formatting: working it out took too long. "
            "Editing and saving an entry tries again.",
            "%(count)s show as plain text, without formatting: working it out took too long. "
            "Editing and saving an entry tries again.",
            plain,
        ) % {"count": f"{plain:,}"}
    return message
