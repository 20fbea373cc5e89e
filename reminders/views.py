"""The reminders page in the account settings, a reminder's calendar file, and its email links.

- /accounts/reminders/: the person's reminders, the forms that set one, their time zone.
  The "Remind me" boxes on the self-check, plan and guide pages post here too.
- /accounts/reminders/<id>/check-in.ics and /off/: one reminder's calendar file, and
  turning it off.
- /r/<token>/ (signed in) leads to what the reminder is about; /r/<token>/stop/
  (no sign-in needed) stops it: a button on GET, and on POST, as RFC 8058's one-click
  unsubscribe sends it from a mail app (no cookie, no CSRF token: the signed token
  is the proof, and it can stop that one reminder only).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.http import SignedInRequest
from boundaries.models import Plan
from core import discreet
from core.ownership import get_owned_or_404, owned, refuse_other_methods
from core.ratelimit import limit_writes
from guides.content import site_content

from . import calendar, schedule, selectors, services, tokens
from .forms import ReminderForm, TimeZoneForm
from .models import Kind, Reminder, Way

INTENTS = ("time-zone", *Kind.values)


def _settings_page(
    request: SignedInRequest,
    *,
    bound: ReminderForm | None = None,
    zone_form: TimeZoneForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    tz = schedule.zone(user.time_zone)
    today = schedule.local_date(timezone.now(), tz)
    plans = selectors.plan_choices(user, today=today)
    forms = {kind: ReminderForm(kind=kind, plans=plans) for kind in Kind.values}
    if bound is not None:
        forms[bound.kind] = bound
    context: dict[str, Any] = {
        "reminders": selectors.shown_reminders(user, plans),
        "self_check_form": forms[Kind.SELF_CHECK],
        "plan_form": forms[Kind.PLAN_REVIEW],
        "guide_form": forms[Kind.GUIDE],
        "plans": plans,
        "guides_started": selectors.guides_started(user),
        "zone_form": zone_form or TimeZoneForm(initial={"time_zone": user.time_zone}),
        "time_zone": user.time_zone,
        "Kind": Kind,
    }
    # Times on the page read on the person's own clock, in the zone they chose.
    with timezone.override(tz):
        return render(request, "reminders/settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
@limit_writes()
def settings_page(request: SignedInRequest) -> HttpResponse:
    if request.method == "GET":
        return _settings_page(request)
    intent = request.POST.get("intent", "")
    if intent not in INTENTS:
        messages.error(request, _("Choose a reminder to set, or a time zone to save."))
        return _settings_page(request, status=400)
    if intent == "time-zone":
        zone_form = TimeZoneForm(request.POST)
        if not zone_form.is_valid():
            return _settings_page(request, zone_form=zone_form, status=400)
        services.time_zone_set(user=request.user, name=zone_form.cleaned_data["time_zone"])
        messages.success(request, _("Your time zone is saved. Reminders follow it."))
        return HttpResponseRedirect(reverse("reminders:settings") + "#time-zone")
    today = schedule.local_date(timezone.now(), schedule.zone(request.user.time_zone))
    plans = selectors.plan_choices(request.user, today=today) if intent == Kind.PLAN_REVIEW else []
    form = ReminderForm(request.POST, kind=intent, plans=plans)
    if not form.is_valid():
        return _settings_page(request, bound=form, status=400)
    plan = None
    if intent == Kind.PLAN_REVIEW:
        plan = get_owned_or_404(Plan, request.user, pk=form.cleaned_data["target"])
    reminder = services.reminder_set(
        user=request.user,
        kind=Kind(intent),
        way=Way(form.cleaned_data["way"]),
        at=form.at_time(),
        weeks=form.cleaned_data.get("weeks") or 0,
        plan=plan,
        guide_slug=form.cleaned_data.get("target", "") if intent == Kind.GUIDE else "",
    )
    if reminder.way == Way.CALENDAR:
        messages.success(
            request, _("Reminder set. Download its calendar file below to add it to your calendar.")
        )
    elif reminder.next_due is None:
        messages.success(
            request, _("Reminder set. It will come when there is a date ahead to remind you of.")
        )
    else:
        messages.success(request, _("Reminder set. It will come by email."))
    return HttpResponseRedirect(reverse("reminders:settings") + f"#reminder-{reminder.pk}")


def _own_reminder(user: Any, pk: uuid.UUID) -> Reminder:
    reminder = get_owned_or_404(Reminder.objects.select_related("user"), user, pk=pk)
    return reminder


@owned(_own_reminder, "GET")
def calendar_download(request: SignedInRequest, reminder: Reminder) -> HttpResponse:
    data = calendar.calendar_file(reminder)
    if data is None:
        messages.error(
            request,
            _("There is no date ahead for this reminder yet: set a review date on the plan first."),
        )
        return HttpResponseRedirect(reverse("reminders:settings") + f"#reminder-{reminder.pk}")
    response = HttpResponse(data, content_type=calendar.CONTENT_TYPE)
    name = discreet.download_name(request, calendar.FILE_NAME, day=timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@owned(_own_reminder, "POST")
def turn_off(request: SignedInRequest, reminder: Reminder) -> HttpResponse:
    services.reminder_off(reminder=reminder)
    messages.success(request, _("That reminder is off."))
    return HttpResponseRedirect(reverse("reminders:settings") + "#yours")


def open_reminder(request: SignedInRequest, token: str) -> HttpResponse:
    """Where a reminder's link leads, once signed in: the page it is about."""
    reminder_id = tokens.read(token, tokens.Purpose.OPEN)
    if reminder_id is None:
        raise Http404("No such reminder")
    reminder = get_owned_or_404(Reminder, request.user, pk=reminder_id)
    if refused := refuse_other_methods(request, "GET"):  # after the owner check
        return refused
    if reminder.kind == Kind.PLAN_REVIEW and reminder.plan_id:
        return redirect("boundaries:detail", reminder.plan_id)
    if reminder.kind == Kind.GUIDE and site_content().guide(reminder.guide_slug):
        return redirect("guides:guide", reminder.guide_slug)
    if reminder.kind == Kind.GUIDE:
        return redirect("guides:index")
    return redirect("guides:self-check")


@login_not_required
@csrf_exempt  # RFC 8058: a mail app posts with no cookie and no token; the signed token decides
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """Stop one reminder from its email, signed in or not."""
    reminder_id = tokens.read(token, tokens.Purpose.STOP)
    if reminder_id is None:
        raise Http404("No such reminder")
    reminder = Reminder.objects.filter(pk=reminder_id).first()
    request.private_page = True  # type: ignore[attr-defined]  # no-store (PrivateNoStoreMiddleware)
    if request.method == "POST":
        if reminder is not None:
            services.reminder_off(reminder=reminder)
        return render(request, "reminders/stop.html", {"stopped": True})
    return render(request, "reminders/stop.html", {"already_off": reminder is None})
