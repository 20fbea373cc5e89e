"""The guides' part of "Download your data" and "Delete your account" (yourdata.parts).

Conversation plans and self-checks are opened through the guides' own readers
(guides.selectors), and answers are put in words with the questions the site shows.
"""

from __future__ import annotations

import json

from django.utils import timezone

from accounts.sealing import user_keys

from .content import site_content
from .forms import ConversationPlanForm
from .models import ConversationPlan, ConversationPlanContent, SelfCheck, StepProgress
from .selectors import conversation_plan_content, self_check_content

README = """\
guides/progress.json          the guide steps you marked as done
guides/conversation-plans.*   your conversation plans (JSON, and readable Markdown)
guides/self-checks.json       your self-check answers, with the questions
"""

# The conversation planner's three parts, as its form shows them
# (templates/guides/planner_form.html); each field keeps the form's own label.
PLANNER_PARTS = (
    ("Your I-statement", ("feeling", "situation", "reason", "request")),
    ("The conversation", ("when_where", "opening_line", "questions", "if_it_goes_badly")),
    ("Afterwards: a short debrief", ("what_happened", "what_i_felt", "what_next")),
)


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def export(user, pdfs) -> dict[str, bytes]:
    keys = user_keys(user)
    content = site_content()
    titles = {step.key: step.title for step in content.steps}
    progress = [
        {"step": key, "title": titles.get(key, ""), "done_at": done.isoformat()}
        for key, done in StepProgress.objects.for_user(user)
        .order_by("completed_at")
        .values_list("step_key", "completed_at")
    ]
    plans = []
    markdown = []
    for plan in ConversationPlan.objects.for_user(user).order_by("created_at"):
        written = conversation_plan_content(plan, keys)
        plans.append(
            {
                "id": plan.pk,
                **written.to_dict(),
                "created_at": plan.created_at,
                "updated_at": plan.updated_at,
                "journal_entry_id": plan.journal_entry_id,
                "journal_entry_version": plan.journal_entry_version,
            }
        )
        markdown.append(conversation_markdown(plan, written))
    questions = {q.id: q for q in content.questions}
    checks = []
    for check in SelfCheck.objects.for_user(user).order_by("created_at"):
        answered = self_check_content(check, keys)
        checks.append(
            {
                "taken_at": check.created_at.isoformat(),
                "note": answered.note,
                "answers": [
                    {
                        "question": questions[qid].question if qid in questions else qid,
                        "answer": dict(questions[qid].choices).get(value)
                        if qid in questions
                        else value,
                    }
                    for qid, value in answered.answers.items()
                ],
            }
        )
    return {
        "guides/progress.json": _json(progress),
        "guides/conversation-plans.json": _json(plans),
        "guides/conversation-plans.md": "\n".join(markdown).encode("utf-8"),
        "guides/self-checks.json": _json(checks),
    }


def conversation_markdown(plan: ConversationPlan, written: ConversationPlanContent) -> str:
    labels = {name: field.label for name, field in ConversationPlanForm.base_fields.items()}
    started = timezone.localtime(plan.created_at)
    changed = timezone.localtime(plan.updated_at)
    lines = [
        f"# Conversation plan, started {started:%-d %B %Y}",
        "",
        f"Last changed {changed:%-d %B %Y}.",
        "",
    ]
    for heading, names in PLANNER_PARTS:
        filled = [(labels[name], getattr(written, name).strip()) for name in names]
        filled = [(label, value) for label, value in filled if value]
        if not filled:
            continue
        lines += [f"## {heading}", ""]
        if heading == PLANNER_PARTS[0][0] and written.i_statement:
            lines += [f"> {' '.join(written.i_statement.split())}", ""]
        for label, value in filled:
            lines += [f"**{label}**", "", value, ""]
    if len(lines) == 4:
        lines += ["Nothing written in this plan yet.", ""]
    return "\n".join(lines)


def erase(user) -> None:
    """Remove the steps marked done, the conversation plans and the self-checks.

    The guides keep nothing about a person in the cache: pages served from memory
    (core.pagecache) are only ever made for visitors without a session, and the
    safety check's answer and a step waiting to be marked done live in the session,
    which the accounts part ends.
    """
    StepProgress.objects.for_user(user).delete()
    ConversationPlan.objects.for_user(user).delete()
    SelfCheck.objects.for_user(user).delete()
