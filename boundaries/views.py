"""Boundary plans: private to their owner. Every plan is fetched through the owner's
queryset, so another person's plan id is a 404 on every URL, the PDF included."""

from __future__ import annotations

import dataclasses
import functools
import logging

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import SignedInRequest
from accounts.sealing import user_keys
from core import discreet, ratelimit
from core.http import SeeOther
from core.ownership import owned
from core.pdf import PDFTooComplex
from core.ratelimit import limit_writes
from core.safety_gate import checked_first
from core.versions import chosen_pair, compare_context
from jobs.services import start_refused

from . import builder, pdf, selectors, services, tasks, wording
from .examples import EXAMPLES
from .forms import (
    BOUNDARY_PREFIX,
    BoundaryFormSet,
    PlanForm,
    PrintOptionsForm,
    boundary_initial,
    plan_content,
)
from .models import MAX_BOUNDARIES, TEXT_LIMIT, Plan, PlanContent

logger = logging.getLogger(__name__)

CHECK_TEXT_LIMIT = 2 * TEXT_LIMIT


def owned_plan(*methods: str, boundaries: bool = False, versions: bool = False):
    """Give the view the plan in the URL, fetched through its owner's queryset.

    The owner is checked before the method (core.ownership.owned), so someone else's
    plan is a 404 for every method, never a 405 that would answer first.
    """
    fetch = functools.partial(selectors.plan_for_user, boundaries=boundaries, versions=versions)
    return owned(fetch, *methods)


# --- The list -----------------------------------------------------------------------------


@require_GET
def plan_list(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "boundaries/plan_list.html",
        {
            "plans": selectors.plans_for_list(request.user),
            "due": selectors.due_for_review(request.user),
        },
    )


# --- The builder ----------------------------------------------------------------------------


def _builder_page(request, *, plan, plan_form, formset, note="", focus=None, status=200):
    return render(
        request,
        "boundaries/plan_form.html",
        {
            "plan": plan,
            "form": plan_form,
            "formset": formset,
            "rows": builder.rows_for_template(formset, focus=focus),
            "empty_row": builder.Row(
                form=formset.empty_form, index="__prefix__", number=0, first=False, last=True
            ),
            "examples": EXAMPLES,
            "examples_data": builder.example_rows(),
            "note": note,
            "focus_note": bool(note) and focus is not None and focus.position is None,
            "max_boundaries": MAX_BOUNDARIES,
        },
        status=status,
    )


def _builder(request: SignedInRequest, plan: Plan | None) -> HttpResponse:
    """Show, change (without JavaScript) or save the builder for a new or existing plan."""
    if request.method == "GET":
        if plan is None:
            initial_plan = {"title": "My boundary plan"}
            initial_rows: list[dict[str, object]] = [{}]
        else:
            content = selectors.plan_content(plan, user_keys(request.user))
            initial_plan = {"title": content.title, "why": content.why}
            initial_rows = [boundary_initial(boundary) for boundary in content.boundaries]
        formset = BoundaryFormSet(initial=initial_rows, prefix=BOUNDARY_PREFIX)
        return _builder_page(
            request, plan=plan, plan_form=PlanForm(initial=initial_plan), formset=formset
        )

    action = builder.parse_action(request.POST.get("builder"))
    posted = BoundaryFormSet(request.POST, prefix=BOUNDARY_PREFIX)
    if not posted.management_form.is_valid():
        return render(request, "400.html", status=400)
    plan_form = PlanForm(request.POST)
    if action.kind != "save":
        rows, note, focus = builder.apply(action, builder.raw_rows(posted))
        formset = BoundaryFormSet(builder.formset_data(rows), prefix=BOUNDARY_PREFIX)
        unsaved = PlanForm(initial={key: request.POST.get(key, "") for key in ("title", "why")})
        return _builder_page(
            request, plan=plan, plan_form=unsaved, formset=formset, note=note, focus=focus
        )

    if plan_form.is_valid() and posted.is_valid():
        if (wait := ratelimit.consume(request.user)) is not None:
            # Saving faster than anyone does (core.ratelimit): the plan as typed, unsaved.
            formset = BoundaryFormSet(
                builder.formset_data(builder.raw_rows(posted)), prefix=BOUNDARY_PREFIX
            )
            formset.is_valid()
            note = ratelimit.message(wait)
            return _builder_page(
                request, plan=plan, plan_form=plan_form, formset=formset, note=note, status=429
            )
        content = plan_content(plan_form, posted)
        return _saved(request, plan, content)
    # Show the draft again in the order the user arranged it, errors and all.
    rows = builder.raw_rows(posted)
    formset = BoundaryFormSet(builder.formset_data(rows), prefix=BOUNDARY_PREFIX)
    formset.is_valid()
    return _builder_page(request, plan=plan, plan_form=plan_form, formset=formset, status=400)


def _saved(request: SignedInRequest, plan: Plan | None, content: PlanContent) -> HttpResponse:
    if plan is None:
        plan = services.plan_create(user=request.user, content=content)
        messages.success(request, _("Your plan is saved. Only you can see it."))
    else:
        version = services.plan_update(plan=plan, content=content)
        if version is None:
            messages.info(request, _("Nothing had changed, so the plan is as it was."))
        else:
            messages.success(
                request, _("Your plan is saved as version %(number)d.") % {"number": version.number}
            )
    advice = wording.check_boundaries(content.boundaries)
    if any(wording.is_safety_note(flags) for flags in advice.values()):
        messages.info(request, _("There is a note about safety below, next to a boundary."))
    elif advice:
        messages.warning(
            request,
            _(
                "The wording check has a suggestion or two below. They are only suggestions: "
                "your plan is saved either way."
            ),
        )
    return redirect(plan)


# Writing a plan (its consequences above all: "I will go and stay with my sister") can
# raise the risk with a controlling partner, so the builder stands behind the safety check,
# once a sitting (core.safety_gate); reading, printing and restoring a saved plan do not.
@require_http_methods(["GET", "POST"])
@checked_first(_("New boundary plan"))
def plan_new(request: SignedInRequest) -> HttpResponse:
    return _builder(request, None)


@owned_plan("GET", "POST", boundaries=True)
@checked_first(_("Edit boundary plan"))  # below the owner check: another's plan is a 404
def plan_edit(request: SignedInRequest, plan: Plan) -> HttpResponse:
    return _builder(request, plan)


@require_POST
def wording_check(request: SignedInRequest) -> JsonResponse:
    """The gentle check for plans.js: what it notices in one boundary, as JSON. Stores nothing."""
    values = {name: request.POST.get(name, "") for name in wording.SCANNED_FIELDS}
    if any(len(text) > CHECK_TEXT_LIMIT for text in values.values()):
        return JsonResponse({"error": "Too long to check."}, status=400)
    return JsonResponse({"flags": [flag.as_dict() for flag in wording.check_boundary(values)]})


# --- Reading and printing ---------------------------------------------------------------------


@owned_plan("GET", boundaries=True)
def plan_detail(request: SignedInRequest, plan: Plan) -> HttpResponse:
    keys = user_keys(request.user)
    content = selectors.plan_content(plan, keys)
    context = pdf.document_context(
        content,
        pdf.PrintOptions(),
        advice=wording.check_boundaries(content.boundaries),
        mark_due=True,
        dated=(_("Last saved"), timezone.localtime(plan.updated_at).date()),
    )
    context.update(
        plan=plan,
        # A PDF of this plan being made by the worker, or made and not yet downloaded.
        pdf_job=tasks.plan_pdf_job(request.user, plan, keys),
        # Discreet mode ticks "safe to print" to begin with (the file name is plain anyway).
        print_form=PrintOptionsForm(initial={"neutral": discreet.is_discreet(request)}),
        due_count=sum(1 for item in context["items"] if item.due),
    )
    return render(request, "boundaries/plan_detail.html", context)


def _print_problem(request, plan: Plan, *, title: str, reason: str, status: int) -> HttpResponse:
    return render(
        request,
        "boundaries/print_problem.html",
        {"plan": plan, "title": title, "reason": reason},
        status=status,
    )


@owned_plan("GET", boundaries=True)
def plan_pdf(request: SignedInRequest, plan: Plan) -> HttpResponse:
    """The plan's PDF at once when the cache holds it; otherwise a job makes it.

    A PDF the cache does not hold takes seconds to lay out (up to a minute for a
    long plan on a busy server), so the worker makes it (boundaries.tasks) and the
    person waits on the job's progress page, where the file is downloaded.
    """
    form = PrintOptionsForm(request.GET if "paper" in request.GET else None)
    if form.is_bound and not form.is_valid():
        return render(request, "400.html", status=400)
    plain = discreet.is_discreet(request)
    options = form.options() if form.is_bound else pdf.PrintOptions(neutral=plain)
    options = dataclasses.replace(options, discreet=plain)  # the file's title: plain too
    keys = user_keys(request.user)
    content = selectors.plan_content(plan, keys)
    if not content.boundaries:
        return _print_problem(
            request,
            plan,
            title="Nothing to print yet",
            reason="This plan has no boundaries yet, so there is nothing to print. "
            "Add at least one boundary, save the plan, and print it then.",
            status=409,
        )
    today = timezone.localdate()
    try:
        document = pdf.cached_plan_pdf(plan.pk, content, options, today=today)
    except PDFTooComplex as problem:
        logger.info("Plan PDF refused as too complex (plan %s)", plan.pk)
        return _print_problem(
            request, plan, title="Too complex to print", reason=str(problem), status=422
        )
    if document is None:
        return _pdf_job(request, plan, tasks.pdf_request(plan, options, today))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True,
        filename=discreet.download_name(request, pdf.filename(content, options, today), day=today),
    )
    return response


def _pdf_job(request: SignedInRequest, plan: Plan, wanted: dict) -> HttpResponse:
    """Send the person to the job making the PDF *wanted*: the one already under way for
    it (a reload, a second click), or a new one while they have few waiting."""
    job = tasks.same_job(request.user, wanted, user_keys(request.user))
    if job is None:
        if tasks.waiting_jobs(request.user).count() >= tasks.MAX_WAITING:
            reason = gettext(
                "%(count)d PDFs you asked for are still being made, so this one was not "
                "started. Each plan's page links to its PDF while it is made; once those "
                "are ready, ask for this one again."
            ) % {"count": tasks.MAX_WAITING}
            title = gettext("Other PDFs are being made")
            return _print_problem(request, plan, title=title, reason=reason, status=429)
        if why := start_refused(request.user):
            title = gettext("Other things are being made")
            return _print_problem(request, plan, title=title, reason=why, status=429)
        job = tasks.plan_pdf_start(user=request.user, request=wanted)
    return SeeOther(reverse("jobs:progress", args=[job.pk]))  # however this was asked for


# --- Versions ---------------------------------------------------------------------------------


@owned_plan("GET", versions=True)
def plan_history(request: SignedInRequest, plan: Plan) -> HttpResponse:
    versions = list(plan.versions.all())
    return render(
        request,
        "boundaries/plan_history.html",
        {
            "plan": plan,
            "title": selectors.plan_title(plan, user_keys(request.user)),
            "versions": versions,
            "kept": services.VERSIONS_KEPT,
        },
    )


@owned_plan("GET")
def plan_version(request: SignedInRequest, plan: Plan, number: int) -> HttpResponse:
    version = selectors.version_for_plan(plan, number)
    context = pdf.document_context(
        selectors.version_content(version, user_keys(request.user)),
        pdf.PrintOptions(),
        dated=(
            _("Version %(number)d, saved") % {"number": version.number},
            timezone.localtime(version.created_at).date(),
        ),
    )
    context.update(
        plan=plan, version=version, latest=plan.versions.values_list("number", flat=True).first()
    )
    return render(request, "boundaries/plan_version.html", context)


@owned_plan("GET")
def plan_compare(request: SignedInRequest, plan: Plan) -> HttpResponse:
    pair = chosen_pair(request.GET)
    if isinstance(pair, str):
        messages.error(request, pair)
        return redirect("boundaries:history", pk=plan.pk)
    before, after = (selectors.version_for_plan(plan, number) for number in pair)
    keys = user_keys(request.user)
    rows = selectors.compare_rows(
        selectors.version_content(before, keys), selectors.version_content(after, keys)
    )
    context = compare_context(before, after, rows, show=request.GET.get("show"))
    return render(request, "boundaries/plan_compare.html", {"plan": plan, **context})


@owned_plan("POST")
@limit_writes()
def plan_restore(request: SignedInRequest, plan: Plan, number: int) -> HttpResponse:
    version = selectors.version_for_plan(plan, number)
    restored = services.plan_restore_version(plan=plan, version=version)
    if restored is None:
        messages.info(
            request, _("The plan already matches version %(number)d.") % {"number": number}
        )
    else:
        messages.success(
            request, f"Version {number} is restored, and saved as version {restored.number}."
        )
    return redirect(plan)


# --- Copy and delete ------------------------------------------------------------------------


@owned_plan("POST", boundaries=True)
@limit_writes()
def plan_duplicate(request: SignedInRequest, plan: Plan) -> HttpResponse:
    copy = services.plan_duplicate(plan=plan)
    messages.success(
        request, _("This is your copy. Change what you like; the original is as it was.")
    )
    return redirect(copy)


@owned_plan("GET", "POST")
def plan_delete(request: SignedInRequest, plan: Plan) -> HttpResponse:
    if request.method == "POST":
        services.plan_delete(plan=plan)
        messages.success(request, _("The plan and its history are deleted."))
        return redirect("boundaries:list")
    title = selectors.plan_title(plan, user_keys(request.user))
    return render(request, "boundaries/plan_delete.html", {"plan": plan, "title": title})
