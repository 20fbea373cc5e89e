"""The safety plan: one page to fill in, save (signed in) and print (anyone).

Signed out, nothing is stored: the page's script fills in a region's lines from the page
itself (without it, the form posts to itself), and the form posts to the PDF view or the
print view (a page for the browser's own Print, which costs no render), all of which
answer from the post alone; a page made from a post says that Back and Reload can show
it again. No row, no session
value, no cache entry and no log line holds what was typed; the pages are no-store.
Signed in, the plan is the person's own, sealed under their key, with a version at
every save. Versions are fetched through their owner (someone else's is a 404).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from accounts.sealing import user_keys
from core import discreet, ratelimit, versions
from core.ownership import owned
from core.pdf import PDFTooComplex
from core.ratelimit import limit_writes

from . import lines, pdf, selectors, services
from .forms import PlanForm, PrintOptionsForm
from .models import PlanContent, PlanVersion, SafetyPlan

logger = logging.getLogger(__name__)


def _private(request: HttpRequest) -> None:
    """Mark the answer no-store even for a visitor who is not signed in (core.middleware)."""
    request.private_page = True  # type: ignore[attr-defined]  # read by PrivateNoStoreMiddleware


def _page(
    request: HttpRequest,
    form: PlanForm,
    *,
    plan: SafetyPlan | None = None,
    print_form: PrintOptionsForm | None = None,
    note: str = "",
    lines_note: str = "",
    status: int = 200,
) -> HttpResponse:
    _private(request)
    region = form["region"].value() or ""
    region = region if region in lines.regions() else ""
    context: dict[str, Any] = {
        "form": form,
        "sections": form.sections(),
        # Discreet mode ticks "safe to print" to begin with (the file name is plain anyway).
        "print_form": print_form
        or PrintOptionsForm(initial={"neutral": discreet.is_discreet(request)}),
        "plan": plan,
        "note": note,
        "lines_note": lines_note,
        # Where the answer lands (a fragment on the form's action, and focus with JS).
        "focus": "lines"
        if lines_note
        else "status"
        if note or form.errors or (print_form and print_form.errors)
        else "",
        # A page made from a post: Back and Reload can send it again (said on the page).
        "posted": request.method == "POST",
        # Filled in by the page's script without a post: no text of anyone's in it.
        "lines_by_region": {region: lines.filled_in(region) for region in lines.regions()},
        "region": region,
        # The self-harm part's "Lines you can call now": one list per place (and one for
        # no place), the chosen one shown; the page's script shows another when the
        # choice changes, with no request.
        "crisis_lists": [
            {"region": key, "lines": lines.crisis_lines_for(key), "shown": key == region}
            for key in ("", *lines.regions())
        ],
        "crisis_lines": lines.crisis_lines_for(region),
        "version_count": len(plan.versions.all()) if plan else 0,
    }
    return render(request, "safety/plan.html", context, status=status)


@login_not_required
@sensitive_post_parameters()
@sensitive_variables()
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    """Show the plan; fill in a region's lines; save it (signed in only)."""
    saved = selectors.plan_of(request.user, versions=True)
    if request.method == "GET":
        content = selectors.plan_content(saved, user_keys(request.user)) if saved else PlanContent()
        return _page(request, PlanForm(initial=content.to_dict()), plan=saved)

    saving = request.POST.get("intent") == "save" and request.user.is_authenticated
    form = PlanForm(request.POST, saving=saving)
    print_form = PrintOptionsForm(request.POST)
    print_form.is_valid()  # shown again as chosen; only the PDF view acts on it, and
    print_form.errors.clear()  # says what is wrong with it, when printing
    if request.POST.get("intent") == "lines":
        return _fill_in_lines(request, form, saved, print_form)
    if request.POST.get("intent") == "edit":
        # Back from "Print this page" with the plan as it was typed (the browser's Back
        # button fetches this no-store page again: empty). Nothing is saved.
        return _page(request, form, plan=saved, print_form=print_form)
    if not request.user.is_authenticated:
        note = _("Nothing was saved: to save a plan, sign in first. You can still print it.")
        return _page(request, form, print_form=print_form, note=note, status=400)
    if not form.is_valid():
        return _page(request, form, plan=saved, print_form=print_form, status=400)
    if (wait := ratelimit.consume(request.user)) is not None:
        note = ratelimit.message(wait)
        return _page(request, form, plan=saved, print_form=print_form, note=note, status=429)
    version = services.plan_save(user=request.user, content=form.content())
    if version is None:
        messages.info(request, _("Nothing had changed, so the plan is as it was."))
    elif version.number == 1:
        messages.success(request, _("Your safety plan is saved. Only you can open it."))
    else:
        messages.success(
            request,
            _("Your safety plan is saved as version %(number)d.") % {"number": version.number},
        )
    return redirect("safety:plan")


def _fill_in_lines(
    request: HttpRequest, form: PlanForm, saved: SafetyPlan | None, print_form: PrintOptionsForm
) -> HttpResponse:
    """Put the chosen region's lines into "Lines I can call"; keep everything else typed."""
    region = request.POST.get("region", "")
    data = request.POST.copy()
    if region not in lines.regions():
        form.is_valid()
        form.errors.pop("region", None)
        form.add_error("region", choose := _("Choose a place from the list first."))
        return _page(
            request, form, plan=saved, print_form=print_form, lines_note=choose, status=400
        )
    data["hotlines"] = lines.filled_in(region)
    note = _(
        "The lines for %(region)s are filled in below. Change them as you like. "
        "Nothing else has changed."
    ) % {"region": region}
    if request.user.is_authenticated:
        note += " " + _("Save the plan to keep them.")
    return _page(request, PlanForm(data), plan=saved, print_form=print_form, lines_note=note)


def _client(request: HttpRequest) -> str:
    """A key for the client that asks, for its rate limit: the person, or a keyed hash of
    the address of a visitor who is not signed in (the address itself is kept nowhere)."""
    if request.user.is_authenticated:
        return str(request.user.pk)  # as ratelimit.consume() counts: forget() drops it
    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        address = "unknown"
    return "visitor-" + salted_hmac("safety.pdf", address, algorithm="sha256").hexdigest()[:32]


def _pdf_wait(request: HttpRequest) -> tuple[int, bool] | None:
    """None if a PDF may be made now; else the seconds to wait, and whether the limit
    reached is the one all signed-out visitors share (so not this person's doing)."""
    # The client's own limit first: a client over it never uses up the shared one.
    if (wait := ratelimit.consume_for(_client(request), "pdf")) is not None:
        return wait, False
    shared = None if request.user.is_authenticated else "visitors"
    if shared and (wait := ratelimit.consume_for(shared, "pdf-anonymous")) is not None:
        return wait, True
    return None


def _pdf_refused(wait: int, shared: bool) -> str:
    words = {"wait": ratelimit.wait_words(wait)}
    if shared:
        return (
            _(
                "Many people are making PDFs right now, so we cannot make yours this minute. "
                "This is not because of anything you did. Your plan is still here: print this "
                "page from your browser with “Print this page”, or make the PDF in %(wait)s."
            )
            % words
        )
    return (
        _(
            "That is more PDFs in a short time than we make for one person, so we paused it. "
            "Your plan is still here: print this page from your browser with “Print this "
            "page”, or make the PDF again in %(wait)s."
        )
        % words
    )


@login_not_required
@sensitive_post_parameters()
@sensitive_variables()
@require_http_methods(["GET", "POST"])
def plan_pdf(request: HttpRequest) -> HttpResponse:
    """The PDF of the plan as posted. Made for anyone; stored for no one. A GET (a
    bookmark, a reload after the download) goes back to the plan."""
    if request.method == "GET":
        return redirect("safety:plan")
    saved = selectors.plan_of(request.user, versions=True)
    form = PlanForm(request.POST)
    print_form = PrintOptionsForm(request.POST)
    if not (form.is_valid() & print_form.is_valid()):
        return _page(request, form, plan=saved, print_form=print_form, status=400)
    if (refused := _pdf_wait(request)) is not None:
        note = _pdf_refused(*refused)
        response = _page(request, form, plan=saved, print_form=print_form, note=note, status=429)
        response["Retry-After"] = str(refused[0])
        return response
    options = dataclasses.replace(print_form.options(), discreet=discreet.is_discreet(request))
    today = timezone.localdate()
    try:
        document = pdf.plan_pdf(form.content(), options, today=today)
    except PDFTooComplex as problem:
        logger.info("Safety plan PDF refused as too complex")
        return _page(
            request, form, plan=saved, print_form=print_form, note=str(problem), status=422
        )
    _private(request)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True,
        filename=discreet.download_name(request, pdf.filename(options, today), day=today),
    )
    return response


@login_not_required
@sensitive_post_parameters()
@sensitive_variables()
@require_http_methods(["GET", "POST"])
def plan_print(request: HttpRequest) -> HttpResponse:
    """The plan as posted, as a page laid out for the browser's own Print: no PDF is made,
    so it costs the server no more than the plan page, and it has no limit of its own."""
    if request.method == "GET":
        return redirect("safety:plan")
    form = PlanForm(request.POST)
    print_form = PrintOptionsForm(request.POST)
    if not (form.is_valid() & print_form.is_valid()):
        saved = selectors.plan_of(request.user, versions=True)
        return _page(request, form, plan=saved, print_form=print_form, status=400)
    _private(request)
    context = pdf.document_context(form.content(), print_form.options(), today=timezone.localdate())
    # The plan and its options again, hidden, for "Change the plan" (back to the form).
    context.update(form=form, print_form=print_form)
    return render(request, "safety/print.html", context)


# --- Versions ---------------------------------------------------------------------------------


def _own_plan(request: HttpRequest) -> SafetyPlan:
    saved = selectors.plan_of(request.user, versions=True)
    if saved is None:
        raise Http404
    return saved


@require_GET
def plan_history(request: HttpRequest) -> HttpResponse:
    saved = selectors.plan_of(request.user, versions=True)
    return render(
        request,
        "safety/history.html",
        {
            "plan": saved,
            "versions": list(saved.versions.all()) if saved else [],
            "kept": versions.VERSIONS_KEPT,
        },
    )


@owned(selectors.version_for_user, "GET")
def plan_version(request: HttpRequest, version: PlanVersion) -> HttpResponse:
    content = selectors.version_content(version, user_keys(request.user))
    context = pdf.document_context(
        content, pdf.PrintOptions(), today=timezone.localtime(version.created_at).date()
    )
    latest = version.plan.versions.values_list("number", flat=True).first()
    context.update(version=version, latest=latest)
    return render(request, "safety/version.html", context)


@require_GET
def plan_compare(request: HttpRequest) -> HttpResponse:
    saved = _own_plan(request)
    pair = versions.chosen_pair(request.GET)
    if isinstance(pair, str):
        messages.error(request, pair)
        return redirect("safety:history")
    before, after = (selectors.version_by_number(saved, number) for number in pair)
    keys = user_keys(request.user)
    rows = selectors.compare_rows(
        selectors.version_content(before, keys), selectors.version_content(after, keys)
    )
    context = versions.compare_context(before, after, rows, show=request.GET.get("show"))
    return render(request, "safety/compare.html", context)


@owned(selectors.version_for_user, "POST")
@limit_writes()
def plan_restore(request: HttpRequest, version: PlanVersion) -> HttpResponse:
    restored = services.plan_restore_version(version=version)
    if restored is None:
        messages.info(
            request, _("The plan already matches version %(number)d.") % {"number": version.number}
        )
    else:
        messages.success(
            request,
            _("Version %(number)d is restored, and saved as version %(new)d.")
            % {"number": version.number, "new": restored.number},
        )
    return redirect("safety:plan")


@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest) -> HttpResponse:
    saved = _own_plan(request)
    if request.method == "POST":
        services.plan_delete(plan=saved)
        messages.success(request, _("Your safety plan and its history are deleted."))
        return redirect("safety:plan")
    return render(request, "safety/delete.html", {"plan": saved})
