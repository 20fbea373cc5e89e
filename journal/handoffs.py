"""What other apps hand to the journal: a conversation plan's debrief, saved as an entry.

The journal owns these hand-offs, so guides never imports the journal: the plan
page shows the entry through this app's template tag (journal_handoffs) and posts
to planner_to_journal, which config/urls.py routes at the plan's own address.
"""

from dataclasses import replace
from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.crypto import user_keys
from accounts.http import SignedInRequest
from accounts.models import User
from core.ownership import get_owned_or_404
from core.ratelimit import limit_writes
from guides import selectors
from guides.models import ConversationPlan, ConversationPlanContent

from .models import EntryContent, JournalEntry, OpenedEntry
from .selectors import entry_content
from .services import EditConflict, entry_create, entry_update


def debrief_entry(user: User, plan: ConversationPlan) -> JournalEntry | None:
    """The journal entry the plan's debrief was saved to, while it is still in the journal."""
    if plan.journal_entry_id is None:
        return None
    return JournalEntry.objects.for_user(user).live().filter(pk=plan.journal_entry_id).first()


def _debrief_content(plan: ConversationPlanContent, entry: OpenedEntry | None) -> EntryContent:
    parts = [
        ("What I wanted to say", plan.i_statement),
        ("What happened", plan.what_happened),
        (gettext_lazy("What I felt"), plan.what_i_felt),
        (gettext_lazy("What I want to try next"), plan.what_next),
    ]
    body = "\n\n".join(f"**{label}**\n\n{text.strip()}" for label, text in parts if text.strip())
    if entry is not None:  # keep what the person may have set on the entry: title, date, tags
        return replace(entry.content(), body=body)
    return EntryContent(
        title="Conversation debrief",
        body=body,
        entry_date=timezone.localdate(),
        mood=None,
        tags=("conversation",),
        prompt="",
        step_key=DEBRIEF_STEP,
    )


@limit_writes()
def planner_to_journal(request: SignedInRequest, pk: UUID) -> HttpResponse:
    """Save a plan's debrief in the journal: one entry per plan, updated when saved again.

    The entry is updated only while nobody has edited it in the journal since the last
    save here; otherwise it is left as it is and the person is told, with a link.
    """
    plan = get_owned_or_404(ConversationPlan, request.user, pk=pk)
    if request.method != "POST":  # after the owner check: another user's id is a 404
        return HttpResponseNotAllowed(["POST"])
    keys = user_keys(request.user)
    if not selectors.conversation_plan_content(plan, keys).has_debrief:
        messages.error(
            request,
            gettext_lazy("This plan has no debrief yet: add one, then save it to the journal."),
        )
        return redirect("guides:planner-print", pk=plan.pk)
    with transaction.atomic():
        # One save at a time per plan: a double click must not make two entries.
        plan = ConversationPlan.objects.select_for_update().get(pk=plan.pk)
        written = selectors.conversation_plan_content(plan, keys)
        entry = debrief_entry(request.user, plan)
        if entry is None:
            saved = entry_create(user=request.user, content=_debrief_content(written, None))
            message = "Your debrief is saved in your journal."
        else:
            opened = entry_content(entry, keys, body=True)
            content = _debrief_content(written, opened)
            if content.body == opened.body:
                messages.info(
                    request, gettext_lazy("This debrief is already in your journal, as it is now.")
                )
                return redirect("guides:planner-print", pk=plan.pk)
            try:
                if entry.version != plan.journal_entry_version:
                    raise EditConflict(entry)
                saved = entry_update(
                    user=request.user, entry=entry, content=content, expected_version=entry.version
                )
            except EditConflict:
                messages.warning(
                    request,
                    gettext_lazy(
                        "You've changed that entry in your journal since it was saved, so it is "
                        "left as it is. Open it to add what's new in your debrief."
                    ),
                )
                return redirect("guides:planner-print", pk=plan.pk)
            message = "Your journal entry is updated with your latest debrief."
        plan.journal_entry_id = saved.entry.pk
        plan.journal_entry_version = saved.entry.version
        # Not save(): the plan's own "updated" date is about the plan, not this link.
        ConversationPlan.objects.filter(pk=plan.pk).update(
            journal_entry_id=plan.journal_entry_id,
            journal_entry_version=plan.journal_entry_version,
        )
    messages.success(request, message)
    return redirect("guides:planner-print", pk=plan.pk)


DEBRIEF_STEP = "open-the-conversation/plan-the-talk"
