"""The Tools page: one place to find the conversation planner, the self-check, the
boundary plan builder and the safety plan, with the guide step each belongs to (the safety
plan has none). Before it, the first two could only be reached from inside those steps."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.functional import Promise
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from boundaries.models import Plan
from guides.content import Step, site_content
from guides.models import ConversationPlan, SelfCheck
from safety.models import SafetyPlan


@dataclass(frozen=True)
class Tool:
    name: str | Promise  # lazily translated, like the two below
    about: str | Promise
    action: str | Promise  # the button's words
    url: str
    step: Step | None  # the guide step that explains it
    yours: str = ""  # what this person has made with it, for someone signed in


def _step_for(tool: str) -> Step | None:
    return next((step for step in site_content().steps if step.tool == tool), None)


def _you_have_plans(number: int) -> str:
    """Say how many plans this person has, or nothing when there are none."""
    if not number:
        return ""
    return ngettext("You have %(count)d plan.", "You have %(count)d plans.", number) % {
        "count": number
    }


@login_not_required
@require_GET
def tools(request: HttpRequest) -> HttpResponse:
    user = request.user
    signed_in = user.is_authenticated
    planner, check, plan, safety = "", "", "", ""
    if signed_in:
        planner = _you_have_plans(ConversationPlan.objects.for_user(user).count())
        latest = SelfCheck.objects.for_user(user).values_list("created_at", flat=True).first()
        if latest:
            check = gettext("You last took it on %(date)s.") % {
                "date": format_date(localtime(latest), "j F Y")
            }
        plan = _you_have_plans(Plan.objects.for_user(user).count())
        saved = SafetyPlan.objects.for_user(user).values_list("updated_at", flat=True).first()
        if saved:
            safety = gettext("You last saved it on %(date)s.") % {
                "date": format_date(localtime(saved), "j F Y")
            }
    items = [
        Tool(
            name=_("Conversation planner"),
            about=_(
                "Prepare one honest talk with your partner: what you want to say, when and "
                "where, how you'll open, and what you'll do if it goes badly. Afterwards, note "
                "what happened."
            ),
            action=_("Plan a conversation"),
            url=reverse("guides:planner-list"),
            step=_step_for("conversation-planner"),
            yours=planner,
        ),
        Tool(
            name=_("Self-check"),
            about=_(
                "A few questions on simple scales about where you stand. Take it again in a "
                "few weeks and compare your answers side by side."
            ),
            action=_("Take the self-check"),
            url=reverse("guides:self-check"),
            step=_step_for("self-check"),
            yours=check,
        ),
        Tool(
            name=_("Boundary plan builder"),
            about=_(
                "Write down the limits that protect your well-being, what you'll do to hold "
                "them and who supports you, then print a clean copy."
            ),
            action=_("Write a boundary plan"),
            url=reverse("boundaries:list"),
            step=_step_for("boundary-plan"),
            yours=plan,
        ),
        Tool(
            name=_("Safety plan"),
            about=_(
                "Get ready for hard moments: the signs to watch for, where to go, who to call "
                "and what to have ready. You can also fill it in and print it without an account."
            ),
            action=_("Make a safety plan"),
            url=reverse("safety:plan"),
            step=None,
            yours=safety,
        ),
    ]
    return render(request, "guides/tools.html", {"tools": items})
