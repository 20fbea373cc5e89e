"""The safety check met before every partner-facing step, once per sitting.

A step is partner-facing when its front matter, or its guide's index.md, says
``safety_check: true`` (docs/content-format.md). The first time in a sitting that
anyone opens one (or prints a guide holding one), the page at that address is the
check instead, whatever way they came: a link, a search result, "continue", "start",
next or previous. The conversation planner's pages, and other apps' pages put behind
the check with core.safety_gate.checked_first (the boundary plan builder's new and edit
pages), meet it the same way. The answers are POSTed to one address and read once: they
are never stored, logged or put in an address. What the session keeps is only that the
check was answered in this sitting, the same for every answer: the time it was answered,
kept fresh while pages behind the check are opened. A sitting ends after
SESSION_IDLE_TIMEOUT (30 minutes, as for a signed-in session) with none opened, or with
the session itself (signing out, the quick exit): core/safety_gate.py keeps that part,
since apps do not import each other.

Every answer is a 303 away from the check: "no" to every question goes to the page
the person asked for; any "yes" or "I'd rather not say" goes to a page anyone can
open (linked from the check itself), so neither the status nor that page says what
was answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import ResolverMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The session's part ("checked in this sitting", the sitting's end, the 303, the path the
# answers lead back to) is shared with other apps' pages behind the check: core.safety_gate.
from core.safety_gate import safe_target as _bare_target

from .content import site_content

YES, NO, UNSAID = "yes", "no", "unsaid"
CHOICES = (
    (YES, _("Yes")),
    (NO, _("No")),
    (UNSAID, _("I'd rather not say")),
)
# The conversation planner plans a talk with the partner: the check stands in front of
# its pages too (a plan's printable page and deletion are reached from these).
PLANNER_PAGES = frozenset({"guides:planner-list", "guides:planner-new", "guides:planner-edit"})


@dataclass(frozen=True)
class Question:
    name: str  # the form field's name: never in an address, a log line or the session
    text: Promise
    hint: Promise | str = ""


# Fear; control that may not feel like fear; then the danger signs, grouped so there are
# six questions in all. Written at about a grade 5 reading level.
QUESTIONS = (
    Question("answer-fear", _("Are you ever afraid of your partner, or of what they might do?")),
    Question(
        "answer-control",
        _(
            "Does your partner check your phone, track or follow you, control your money, "
            "or keep you away from friends or family?"
        ),
        _("This counts even if it does not feel scary."),
    ),
    Question(
        "answer-harm",
        _(
            "Has your partner ever hit, pushed, choked or strangled you, or hurt you in "
            "another way?"
        ),
    ),
    Question(
        "answer-threats",
        _("Has your partner ever threatened to kill you, or scared you with a weapon?"),
    ),
    Question(
        "answer-sex",
        _("Has your partner ever made you have sex or do sexual things you did not want?"),
    ),
    Question(
        "answer-leverage",
        _(
            "Has your partner threatened to hurt or take the children, or to hurt "
            "themselves, if you say no or leave?"
        ),
    ),
)
NAMES = frozenset(question.name for question in QUESTIONS)


def _guides_page(match: ResolverMatch) -> bool:
    """Whether *match* is a page of the guides behind the check: a partner-facing step, a
    printed guide holding one, or the conversation planner's list, new plan or plan pages."""
    if match.view_name in PLANNER_PAGES:
        return True
    guide = site_content().guide(match.kwargs.get("guide_slug", ""))
    if guide is None:
        return False
    if match.view_name == "guides:step":
        step = guide.step(match.kwargs.get("step_slug", ""))
        return step is not None and step.safety_check
    if match.view_name == "guides:guide-print":
        return guide.has_checked_steps
    return False


def safe_target(value: str | None) -> str | None:
    """*value* when it is the path of a page the check stands in front of, else None.

    Only a bare path on this site passes (no scheme, no host, no query; core.safety_gate),
    and only one of a partner-facing step, a printed guide holding one, the conversation
    planner's pages, or a page of another app put behind the check (the boundary plan
    builder's): the check never sends anyone elsewhere.
    """
    return _bare_target(value, also=_guides_page)


def check_page(
    request: HttpRequest, *, target: str, title: str, answers: Answers | None = None
) -> HttpResponse:
    """The check, shown at the address of the page asked for (*target*), under its title.

    Also how other apps' pages behind the check draw it (settings.SAFETY_CHECK_PAGE).
    """
    request.private_page = True  # type: ignore[attr-defined]  # read by PrivateNoStoreMiddleware
    return render(
        request,
        "guides/safety_check.html",
        {
            "title": title,
            "target": target,
            "questions": [
                (question, answers.chosen.get(question.name) if answers else None)
                for question in QUESTIONS
            ],
            "choices": CHOICES,
            "missing": answers.missing if answers else [],
            "safer_url": safer_page_url(target),
        },
        status=400 if answers else 200,
    )


def safer_page_url(target: str | None) -> str:
    """The address of the page any "yes" leads to; the target is a path, never an answer."""
    url = reverse("guides:reading-choices")
    return f"{url}?{urlencode({'next': target})}" if target else url


@dataclass(frozen=True)
class Answers:
    chosen: dict[str, str]  # only for showing the form again: never kept
    missing: list[Question]

    @property
    def all_no(self) -> bool:
        return not self.missing and all(value == NO for value in self.chosen.values())


def read_answers(data) -> Answers:
    """The answers in a POSTed form; anything but the three choices counts as unanswered."""
    chosen = {}
    missing = []
    for question in QUESTIONS:
        value = data.get(question.name)
        if value in (YES, NO, UNSAID):
            chosen[question.name] = value
        else:
            missing.append(question)
    return Answers(chosen=chosen, missing=missing)


def regions(lines: list[dict]) -> list[dict]:
    """The crisis lines (settings.SAFETY_LINES) grouped by region, in order, as /safety/
    groups them; each line's link text is its address as a reader would type it."""
    grouped: list[dict] = []
    for line in lines:
        url = line.get("url") or ""
        shown = {**line, "link_text": url.removeprefix("https://").removeprefix("www.").rstrip("/")}
        if not grouped or grouped[-1]["region"] != line["region"]:
            grouped.append({"region": line["region"], "lines": []})
        grouped[-1]["lines"].append(shown)
    return grouped


# Why each partner-facing guide could raise the risk, for the page any "yes" leads to. A
# guide flagged later without a line here gets the general reason.
RISKS = {
    "open-the-conversation": _(
        "Bringing up therapy or a hard subject can lead to anger, punishment or more control."
    ),
    "alternatives-to-try-together": _(
        "Asking for time together or a new habit can do the same. And what you share as a "
        "couple can give a controlling partner more to use against you."
    ),
    "grow-yourself": _(
        "One step is about telling your partner what you are starting. A controlling partner "
        "may try to stop it, or punish you for it."
    ),
    "set-boundaries": _(
        "Saying a limit out loud, or what you will do if it is crossed, can lead to a backlash."
    ),
    "reevaluate": _(
        "Planning a break or leaving is often the time when danger goes up the most. Plan "
        "it with a support service first."
    ),
}
GENERAL_RISK = _("It asks you to do something with your partner, which could make things worse.")


def risky_guides(guides) -> list[dict]:
    """Each guide with partner-facing steps: the guide, those steps when not all of them
    are, and why it could raise the risk."""
    rows = []
    for guide in guides:
        checked = [step for step in guide.steps if step.safety_check]
        if checked:
            rows.append(
                {
                    "guide": guide,
                    "steps": checked if len(checked) < len(guide.steps) else [],
                    "why": RISKS.get(guide.slug, GENERAL_RISK),
                }
            )
    return rows
