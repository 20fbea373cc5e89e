"""The journal's pages. Every entry is fetched through its owner's queryset (selectors), so
someone else's id is a 404; LoginRequiredMiddleware sends anonymous visitors to sign in.

Views that receive journal text are marked sensitive, so an error report never carries
it (config.reporting already hides POST bodies and locals; this keeps Django's own
filter in step). Messages never quote what a person wrote: they can end up in the
session table.
"""

from __future__ import annotations

import difflib
import json
import secrets
import uuid
from datetime import timedelta
from urllib.parse import urlencode

from cryptography.fernet import InvalidToken
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.crypto import user_keys
from accounts.http import SignedInRequest
from core import ratelimit
from core.markdown import MAX_LENGTH
from core.ownership import refuse_other_methods
from guides.content import site_content
from guides.links import journal_prompt_url

from . import selectors, services
from .charts import mood_chart
from .forms import (
    MAX_VERSION,
    PROMPT_LENGTH,
    STEP_LENGTH,
    TAGS_LENGTH,
    TITLE_LENGTH,
    EntryForm,
    FilterForm,
    entry_initial,
    prompt_initial,
)
from .models import TRASH_DAYS, JournalEntry, OpenedEntry, step_for

SUGGESTED_PROMPTS = 3
DRAFT_FIELDS = ("title", "body", "entry_date", "mood", "tags", "prompt", "step")
# Every field has a bound. A draft keeps typed text over the entry's limits, so
# nothing is lost before it is trimmed; the fields a person does not type (the
# date picker, the mood buttons, the hidden prompt and step) get just room enough.
DRAFT_LIMITS = {
    "body": 2 * MAX_LENGTH,
    "title": 5 * TITLE_LENGTH,
    "tags": 2 * TAGS_LENGTH,
    "prompt": 2 * PROMPT_LENGTH,
    "step": STEP_LENGTH,
    "entry_date": 32,
    "mood": 8,
}
# What a person searches for is kept here, sealed with their own key: never in a URL.
SEARCH_KEY = "journal_search"
SEARCH_FIELDS = ("q", "tag", "mood", "guide", "start", "end")
MOOD_RANGES = {
    "3m": (gettext_lazy("Last 3 months"), 92),
    "12m": (gettext_lazy("Last 12 months"), 366),
    "all": (gettext_lazy("All time"), None),
}


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value and len(value) <= 64 else None
    except ValueError:
        return None


def _saved_message(request: SignedInRequest, formatted: bool) -> None:
    if formatted:
        messages.success(request, gettext_lazy("Your entry is saved."))
    else:
        messages.warning(
            request,
            gettext_lazy(
                "Your entry is saved. Its formatting was too complex to lay out in time, "
                "so it shows as plain text. Editing it can bring the formatting back."
            ),
        )


# --- The list and search ---------------------------------------------------------------
#
# Search words and filters never go into a URL: the address bar, history, server logs
# and a sign-in page's next= would all keep them. The form is a POST; the search is
# kept in the session sealed with the person's own key, and the results are shown
# at /journal/search/, whose only parameter is the page number.


@require_GET
def entry_list(request: SignedInRequest) -> HttpResponse:
    if any(name in request.GET for name in SEARCH_FIELDS):
        return redirect("journal:list")  # an old link with search words: drop them
    user = request.user
    page = selectors.entry_page(user, selectors.EntryFilters(), request.GET.get("page"))
    first_page = page.number == 1
    return _list_page(
        request,
        FilterForm(),
        page,
        on_this_day=selectors.on_this_day(user, timezone.localdate()) if first_page else [],
        drafts=selectors.drafts_of(user) if first_page else [],
        undo=_undo_entry(request),
    )


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@sensitive_variables()
def entry_search(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        return _search(request)
    kept = _kept_search(request)
    if not kept:
        return redirect("journal:list")
    form = FilterForm(kept)
    filters = form.filters()
    page = selectors.entry_page(request.user, filters, request.GET.get("page"))
    return _list_page(request, form, page)


def _search(request: SignedInRequest) -> HttpResponse:
    if "clear" in request.POST:
        request.session.pop(SEARCH_KEY, None)
        return redirect("journal:list")
    form = FilterForm(request.POST)
    filters = form.filters()  # validates; the filters that passed
    if form.is_valid() and not filters.active:  # nothing asked for: every entry
        request.session.pop(SEARCH_KEY, None)
        return redirect("journal:list")
    passed = {
        name: form.data[name]
        for name in SEARCH_FIELDS
        if name not in form.errors and isinstance(form.data.get(name), str) and form.data[name]
    }
    _keep_search(request, passed)
    if form.is_valid():
        return redirect("journal:search")  # 302 to a GET: a reload asks nothing again
    page = selectors.entry_page(request.user, filters, 1)
    return _list_page(request, form, page, status=400)


def _kept_search(request: SignedInRequest) -> dict[str, str]:
    sealed = request.session.get(SEARCH_KEY)
    if not isinstance(sealed, str):
        return {}
    try:
        kept = json.loads(user_keys(request.user).decrypt(sealed))
    except (InvalidToken, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _keep_search(request: SignedInRequest, values: dict[str, str]) -> None:
    if values:
        request.session[SEARCH_KEY] = user_keys(request.user).encrypt(json.dumps(values))
    else:
        request.session.pop(SEARCH_KEY, None)


def _list_page(request, form, page, *, status=200, **extra) -> HttpResponse:
    context = {
        "form": form,
        "filters": form.filters(),
        "page": page,
        "page_url": reverse("journal:search" if form.is_bound else "journal:list"),
        "on_this_day": [],
        "drafts": [],
        "undo": None,
        **extra,
    }
    return render(request, "journal/list.html", context, status=status)


def _undo_entry(request: SignedInRequest) -> JournalEntry | None:
    pk = _uuid_or_none(request.GET.get("undo"))
    if pk is None:
        return None
    return JournalEntry.objects.for_user(request.user).in_trash().filter(pk=pk).first()


# --- Writing --------------------------------------------------------------------------


def _prompt_suggestions(exclude: str = "") -> list[dict]:
    prompts = [pair for pair in site_content().prompts if pair[1] != exclude]
    chosen = secrets.SystemRandom().sample(prompts, min(SUGGESTED_PROMPTS, len(prompts)))
    return [
        {"step": step, "prompt": prompt, "url": journal_prompt_url(step, prompt)}
        for step, prompt in chosen
    ]


def _form_context(form: EntryForm, **extra) -> dict:
    # After validation, the prompt is the checked one (a made-up one is dropped).
    values = getattr(form, "cleaned_data", None) or {}
    step_key = values.get("step", form["step"].value()) or ""
    prompt = values.get("prompt", form["prompt"].value()) or ""
    return {
        "form": form,
        "prompt": prompt,
        "prompt_step": step_for(step_key) if prompt else None,
        "max_length": MAX_LENGTH,
        **extra,
    }


def _too_many_writes(request: SignedInRequest, **context) -> HttpResponse | None:
    """The form again with what was typed and a note to wait, if this person saves too fast."""
    wait = ratelimit.consume(request.user)
    if wait is None:
        return None
    form = EntryForm(request.POST, original_prompt=context.pop("original", ("", "")))
    form.is_valid()
    form.add_error(None, ratelimit.message(wait))
    response = render(
        request, "journal/entry_form.html", _form_context(form, **context), status=429
    )
    response["Retry-After"] = str(wait)
    return response


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@sensitive_variables()
def entry_new(request: SignedInRequest) -> HttpResponse:
    user = request.user
    draft = None
    if request.method == "POST":
        if refused := _too_many_writes(request):
            return refused
        form = EntryForm(request.POST)
        if form.is_valid():
            saved = services.entry_create(
                user=user, content=form.content(), draft_id=form.cleaned_data["draft"]
            )
            _saved_message(request, saved.formatted)
            return redirect(saved.entry)
        status = 400
    else:
        initial: dict[str, object] = {"entry_date": timezone.localdate()}
        asked = prompt_initial(request.GET.get("step", ""), request.GET.get("prompt", ""))
        draft_id = _uuid_or_none(request.GET.get("draft"))
        # The new-entry form has one draft: opening the form brings it back, so
        # writing here never overwrites it unseen.
        draft = (
            selectors.draft_for_owner(user, draft_id)
            if draft_id
            else selectors.new_entry_draft(user)
        )
        if draft is not None:
            if draft.entry_id is not None:
                return redirect(
                    f"{reverse('journal:edit', args=[draft.entry_id])}?draft={draft.pk}"
                )
            initial.update(draft.fields, draft=draft.pk)
            if not draft.fields.get("prompt"):
                initial.update(asked)  # a prompt chosen since joins the unfinished writing
        else:
            initial.update(asked)
        form = EntryForm(initial=initial)
        status = 200
    context = _form_context(
        form,
        restored=draft,
        suggestions=_prompt_suggestions(exclude=form["prompt"].value() or ""),
    )
    return render(request, "journal/entry_form.html", context, status=status)


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@sensitive_variables()
def entry_edit(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        # A form open in one tab may be saved after another tab moved the entry to
        # the trash: find it there too, so the text can still be kept.
        entry = selectors.entry_for_owner(user, pk, body=True, where="any")
        original = (entry.step_key, entry.prompt)
        if refused := _too_many_writes(request, entry=entry, original=original):
            return refused
        return _save_edit(request, entry, original)
    entry = selectors.entry_for_owner(user, pk, body=True)
    original = (entry.step_key, entry.prompt)
    initial = entry_initial(entry)
    draft_id = _uuid_or_none(request.GET.get("draft"))
    # Like a new entry's, the changes to an entry have one draft, brought back on opening.
    draft = (
        selectors.draft_for_owner(user, draft_id)
        if draft_id
        else selectors.entry_draft(user, entry.entry)
    )
    if draft is not None:
        if draft.entry_id != entry.pk:
            raise Http404("No such draft for this entry")
        initial.update(draft.fields, draft=draft.pk, version=draft.base_version or entry.version)
    form = EntryForm(initial=initial, original_prompt=original)
    context = _form_context(
        form,
        entry=entry,
        restored=draft,
        stale_draft=draft is not None and draft.base_version != entry.version,
    )
    return render(request, "journal/entry_form.html", context)


def _save_edit(request: SignedInRequest, entry: OpenedEntry, original) -> HttpResponse:
    user = request.user
    form = EntryForm(request.POST, original_prompt=original)
    if request.POST.get("resolution") == "theirs":
        if draft_id := _uuid_or_none(request.POST.get("draft")):
            services.draft_discard(user=user, draft_id=draft_id)
        messages.info(
            request, gettext_lazy("You kept the saved version; your changes were set aside.")
        )
        return redirect(entry)
    if not form.is_valid():
        return render(
            request, "journal/entry_form.html", _form_context(form, entry=entry), status=400
        )
    if entry.is_in_trash:
        return _conflict(request, entry, None, original)
    try:
        saved = services.entry_update(
            user=user,
            entry=entry.entry,
            content=form.content(),
            expected_version=form.cleaned_data["version"] or entry.version,
            draft_id=form.cleaned_data["draft"],
        )
    except services.EditConflict as conflict:
        return _conflict(request, entry, conflict.current, original)
    _saved_message(request, saved.formatted)
    return redirect(saved.entry)


def _conflict(request, entry, current, original) -> HttpResponse:
    """Show both versions: the one saved meanwhile and this form's, ready to choose or merge."""
    data = request.POST.copy()
    if current is None:  # moved to the trash in another tab: offer to save as a new entry
        form = EntryForm(data)
        form.is_valid()
        return render(
            request,
            "journal/entry_form.html",
            _form_context(form, entry=entry, trashed_meanwhile=True),
            status=409,
        )
    theirs = selectors.entry_content(current, user_keys(request.user), body=True)
    data["version"] = str(theirs.version)
    form = EntryForm(data, original_prompt=original)
    form.is_valid()
    mine = form.cleaned_data.get("body") or data.get("body", "")
    context = _form_context(form, entry=entry, theirs=theirs, diff=_line_diff(theirs.body, mine))
    return render(request, "journal/entry_form.html", context, status=409)


def _line_diff(theirs: str, mine: str) -> list[tuple[str, str]]:
    """The lines that differ: ("theirs", line) only in the saved one, ("mine", line) only here."""
    rows = []
    for line in difflib.ndiff(theirs.splitlines(), mine.splitlines()):
        if line.startswith("- "):
            rows.append(("theirs", line[2:]))
        elif line.startswith("+ "):
            rows.append(("mine", line[2:]))
    return rows


def entry_detail(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    entry = selectors.entry_for_owner(request.user, pk, html=True)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    return render(request, "journal/detail.html", {"entry": entry})


# --- Autosave and drafts --------------------------------------------------------------


@sensitive_post_parameters()
@require_POST
@sensitive_variables()
def autosave(request: SignedInRequest) -> HttpResponse:
    """Keep what the entry form holds, a few seconds after typing stops (static/js/journal.js).

    Cheap by design: one UPDATE of an existing draft, no Markdown, no index.
    """
    user = request.user
    fields = {name: request.POST.get(name, "") for name in DRAFT_FIELDS}
    for name, limit in DRAFT_LIMITS.items():
        if len(fields[name]) > limit:
            return JsonResponse({"error": "This is too long to keep as a draft."}, status=413)
    wait = ratelimit.consume(user, "autosave")
    if wait is not None:
        return ratelimit.refused(request, wait, json=True)
    base_version = request.POST.get("version", "")
    try:
        draft_id = services.draft_save(
            user=user,
            draft_id=_uuid_or_none(request.POST.get("draft")),
            entry_id=_uuid_or_none(request.POST.get("entry")),
            base_version=_version_or_none(base_version),
            fields=fields,
        )
    except JournalEntry.DoesNotExist:
        raise Http404("No such entry") from None
    return JsonResponse({"draft": str(draft_id or "")})  # the page shows the time, in its zone


def _version_or_none(value: str) -> int | None:
    if value.isdecimal() and len(value) <= 10 and 0 < int(value) <= MAX_VERSION:
        return int(value)
    return None


def draft_discard(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_for_owner(request.user, pk)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    services.draft_discard(user=request.user, draft_id=draft.pk)
    messages.info(request, gettext_lazy("The unsaved draft is discarded."))
    if draft.entry_id:
        return redirect("journal:edit", pk=draft.entry_id)
    return redirect("journal:list")


# --- Trash ----------------------------------------------------------------------------


def entry_delete(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    entry = selectors.entry_for_owner(request.user, pk)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    services.entry_trash(entry=entry.entry)
    return redirect(f"{reverse('journal:list')}?{urlencode({'undo': entry.pk})}")


def entry_restore(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    entry = selectors.entry_for_owner(request.user, pk, where="any")
    if refused := refuse_other_methods(request, "POST"):
        return refused
    if entry.is_in_trash:  # restored already (a second click, another tab): nothing to do
        services.entry_restore(entry=entry.entry)
        messages.success(request, gettext_lazy("The entry is back in your journal."))
    return redirect(entry)


def entry_purge(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    entry = selectors.entry_for_owner(request.user, pk, where="any")
    if refused := refuse_other_methods(request, "POST"):
        return refused
    if not entry.is_in_trash:  # restored in another tab meanwhile: it stays
        messages.warning(
            request, gettext_lazy("That entry is back in your journal, so it was not deleted.")
        )
        return redirect(entry)
    services.entry_purge(entry=entry.entry)
    messages.success(request, gettext_lazy("The entry is deleted for good."))
    return redirect("journal:trash")


@require_POST
def trash_empty(request: SignedInRequest) -> HttpResponse:
    count = services.trash_empty(user=request.user)
    messages.success(
        request,
        ngettext(
            "The trash is empty: %(count)d entry deleted for good.",
            "The trash is empty: %(count)d entries deleted for good.",
            count,
        )
        % {"count": count},
    )
    return redirect("journal:trash")


@require_GET
def trash(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "journal/trash.html",
        {"entries": selectors.trashed_entries(request.user), "trash_days": TRASH_DAYS},
    )


# --- Mood over time ---------------------------------------------------------------------


@require_GET
def moods(request: SignedInRequest) -> HttpResponse:
    chosen = request.GET.get("range", "12m")
    if chosen not in MOOD_RANGES:
        chosen = "12m"
    days = MOOD_RANGES[chosen][1]
    today = timezone.localdate()
    start = today - timedelta(days=days) if days else None
    points = selectors.mood_points(request.user, start, None)
    return render(
        request,
        "journal/moods.html",
        {
            "chart": mood_chart(points),
            "ranges": [(key, label) for key, (label, _) in MOOD_RANGES.items()],
            "chosen": chosen,
            "entry_count": len(points),
        },
    )
