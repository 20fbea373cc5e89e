"""Everything the site keeps about one person, in one zip: JSON, readable Markdown and PDFs.

Each part is read through the person's own querysets (for_user, user_keys), so an
archive can only ever hold its owner's rows. The JSON and Markdown files are always
complete. The PDFs go through the same functions as the site's own PDF downloads
(boundaries.pdf.plan_pdf, journal.pdf.journal_pdf: size check first, then the
limited renderer) and share one budget: at most ARCHIVE_PDFS renders, ARCHIVE_SECONDS
in all, ARCHIVE_MEMORY_MB each. A PDF that is refused or left over is replaced by a
note saying why, and README.txt lists them.
"""

import io
import json
import textwrap
import zipfile
from collections.abc import Callable
from contextlib import contextmanager

import yaml
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.utils import timezone
from django.utils.text import slugify

from accounts.crypto import user_keys
from boundaries.models import Plan
from boundaries.pdf import PrintOptions, plan_pdf
from core.pdf import PDFTooComplex, RenderBudget
from guides.content import site_content
from guides.forms import ConversationPlanForm
from guides.models import ConversationPlan, SelfCheck, StepProgress
from journal.exports import FORMAT, FORMAT_VERSION, entry_record
from journal.models import Draft, JournalEntry
from journal.pdf import journal_pdf

ROOT = "account-data"
# The archive's allowance for PDFs. Measured under load on this 2-core machine,
# 50 ordinary plans took 73 s and three oversized ones 69 s before this budget.
# 45 s keeps the whole download inside a proxy's usual 60 s read timeout (nginx's
# default); a plan at every size limit needs about 150 MB, a long journal 360 MB.
ARCHIVE_PDFS = 100
ARCHIVE_SECONDS = 45.0
ARCHIVE_MEMORY_MB = 384
README = """\
Your data
=========

Everything this site keeps about your account, as of {when} (UTC).

account.json                  your email addresses, when you joined, two-factor
                              methods (not their secrets) and signed-in sessions
guides/progress.json          the guide steps you marked as done
guides/conversation-plans.*   your conversation plans (JSON, and readable Markdown)
guides/self-checks.json       your self-check answers, with the questions
journal/journal.json          every journal entry (importable on the journal's Import page)
journal/entries/*.md          the same entries as Markdown files
journal/trash.json, trash/    entries in the trash, marked "in_trash", with when they went there
journal/drafts.json           unsaved drafts kept by autosave
journal/journal.pdf           your journal laid out for reading or printing
plans/plans.json              your boundary plans with every saved version
plans/*.md, plans/*.pdf       each plan, readable and printable

Keep this file somewhere private: it holds everything you wrote.
"""
NOT_MADE = """
Not made this time
==================

These PDFs could not be made. Everything in them is in the JSON and Markdown
files; a note beside each one (ending in -not-made.txt) says why.

{lines}
"""
HINTS = {
    "journal": "The journal's Export page makes a PDF of a shorter period.",
    "plans": "A plan can also be printed from its own page on the site.",
}

# A PDF still to make: its name in the archive and how to make it with a renderer.
PendingPDF = tuple[str, Callable[[Callable[[str], bytes]], bytes]]


class ArchiveBusy(Exception):
    """This person's archive is being made already (another tab or window)."""


@contextmanager
def _one_at_a_time(user):
    """One archive per person at a time: more tabs would only multiply the budget."""
    key = f"accounts:archive:{user.pk}"
    if not cache.add(key, True, timeout=int(ARCHIVE_SECONDS) + 60):
        raise ArchiveBusy
    try:
        yield
    finally:
        cache.delete(key)


def account_archive(user) -> bytes:
    """Return the zip of everything kept for *user*; raise ArchiveBusy if one is being made."""
    with _one_at_a_time(user):
        return _archive(user)


def _archive(user) -> bytes:
    now = timezone.now()
    budget = RenderBudget(
        renders=ARCHIVE_PDFS, seconds=ARCHIVE_SECONDS, memory_mb=ARCHIVE_MEMORY_MB
    )
    files: dict[str, bytes] = {"README.txt": b""}  # first in the zip, written last
    files["account.json"] = _json(_account(user))
    files.update(_guides(user))
    journal_files, journal_pdfs = _journal(user)
    plan_files, plan_pdfs = _plans(user)
    files.update(journal_files)
    files.update(plan_files)
    not_made = []
    # The data files are complete by now; PDFs come last, within the budget.
    for name, make in journal_pdfs + plan_pdfs:
        try:
            files[name] = make(budget.render)
        except PDFTooComplex as error:
            folder = name.split("/", 1)[0]
            note = (
                f"{name} could not be made. {error}\n"
                f"Everything in it is in the JSON and Markdown files. {HINTS[folder]}\n"
            )
            files[name.removesuffix(".pdf") + "-not-made.txt"] = note.encode("utf-8")
            not_made.append(textwrap.fill(f"{name}: {error}", 78, subsequent_indent="  "))
    readme = README.format(when=f"{now:%Y-%m-%d %H:%M}")
    if not_made:
        readme += NOT_MADE.format(lines="\n\n".join(not_made))
    files["README.txt"] = readme.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{ROOT}/{name}", data)
    return buffer.getvalue()


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def _account(user) -> dict:
    return {
        "email_addresses": [
            {"email": a.email, "primary": a.primary, "verified": a.verified}
            for a in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "joined": user.date_joined.isoformat(),
        "last_sign_in": user.last_login.isoformat() if user.last_login else None,
        "two_factor": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "signed_in_sessions": [
            {"since": s.created_at.isoformat(), "last_seen": s.last_seen_at.isoformat()}
            for s in UserSession.objects.filter(user=user).order_by("created_at")
        ],
    }


def _guides(user) -> dict[str, bytes]:
    content = site_content()
    titles = {step.key: step.title for step in content.steps}
    progress = [
        {"step": key, "title": titles.get(key, ""), "done_at": done.isoformat()}
        for key, done in StepProgress.objects.for_user(user)
        .order_by("completed_at")
        .values_list("step_key", "completed_at")
    ]
    fields = [f.name for f in ConversationPlan._meta.fields if f.name not in {"id", "user"}]
    conversation_plans = list(ConversationPlan.objects.for_user(user).order_by("created_at"))
    plans = [{name: getattr(plan, name) for name in ["id", *fields]} for plan in conversation_plans]
    markdown = "\n".join(_conversation_markdown(plan) for plan in conversation_plans)
    questions = {q.id: q for q in content.questions}
    checks = []
    for check in SelfCheck.objects.for_user(user).order_by("created_at"):
        answers = json.loads(check.answers_json)
        checks.append(
            {
                "taken_at": check.created_at.isoformat(),
                "note": check.note,
                "answers": [
                    {
                        "question": questions[qid].question if qid in questions else qid,
                        "answer": dict(questions[qid].choices).get(value)
                        if qid in questions
                        else value,
                    }
                    for qid, value in answers.items()
                ],
            }
        )
    return {
        "guides/progress.json": _json(progress),
        "guides/conversation-plans.json": _json(plans),
        "guides/conversation-plans.md": markdown.encode("utf-8"),
        "guides/self-checks.json": _json(checks),
    }


# The conversation planner's three parts, as its form shows them
# (templates/guides/planner_form.html); each field keeps the form's own label.
PLANNER_PARTS = (
    ("Your I-statement", ("feeling", "situation", "reason", "request")),
    ("The conversation", ("when_where", "opening_line", "questions", "if_it_goes_badly")),
    ("Afterwards: a short debrief", ("what_happened", "what_i_felt", "what_next")),
)


def _conversation_markdown(plan: ConversationPlan) -> str:
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
        written = [(labels[name], getattr(plan, name).strip()) for name in names]
        written = [(label, value) for label, value in written if value]
        if not written:
            continue
        lines += [f"## {heading}", ""]
        if heading == PLANNER_PARTS[0][0] and plan.i_statement:
            lines += [f"> {' '.join(plan.i_statement.split())}", ""]
        for label, value in written:
            lines += [f"**{label}**", "", value, ""]
    if len(lines) == 4:
        lines += ["Nothing written in this plan yet.", ""]
    return "\n".join(lines)


def _journal(user) -> tuple[dict[str, bytes], list[PendingPDF]]:
    keys = user_keys(user)
    entries = [
        entry.open(keys, body=True, html=True)
        for entry in JournalEntry.objects.for_user(user).order_by("entry_date", "created_at")
    ]
    files: dict[str, bytes] = {}
    live, trashed = [], []
    for entry in entries:
        record = entry_record(entry)
        folder = "entries"
        if entry.deleted_at is not None:
            record["in_trash"] = True
            record["deleted_at"] = entry.deleted_at.isoformat()
            folder = "trash"
        (trashed if entry.deleted_at else live).append(record)
        meta = {key: value for key, value in record.items() if key != "body"}
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
        name = slugify(entry.title)[:40].strip("-") or "entry"
        files[f"journal/{folder}/{entry.entry_date}-{name}-{str(entry.pk)[:8]}.md"] = (
            f"---\n{front}---\n{record['body']}".encode()
        )
    # journal.json is the journal's own export format, so its Import page reads it back.
    files["journal/journal.json"] = _json(
        {"format": FORMAT, "version": FORMAT_VERSION, "entries": live}
    )
    files["journal/trash.json"] = _json({"entries_in_trash": trashed})
    drafts = [
        {"saved_at": draft.updated_at.isoformat(), "entry": str(draft.entry_id or ""),
         **draft.open(keys).fields}
        for draft in Draft.objects.for_user(user).order_by("updated_at")
    ]  # fmt: skip
    files["journal/drafts.json"] = _json(drafts)
    shown = [entry for entry in entries if entry.deleted_at is None]
    pdfs: list[PendingPDF] = []
    if shown:
        pdfs.append(
            ("journal/journal.pdf", lambda render: journal_pdf("Journal", shown, render=render))
        )
    return files, pdfs


def _plans(user) -> tuple[dict[str, bytes], list[PendingPDF]]:
    files: dict[str, bytes] = {}
    records = []
    pdfs: list[tuple[object, PendingPDF]] = []
    plans = Plan.objects.for_user(user).prefetch_related("boundaries", "versions")
    for plan in plans.order_by("created_at"):
        content = plan.content()
        records.append(
            {
                "id": str(plan.pk),
                "created_at": plan.created_at.isoformat(),
                "updated_at": plan.updated_at.isoformat(),
                **json.loads(content.to_json()),
                "versions": [
                    {
                        "number": version.number,
                        "saved_at": version.created_at.isoformat(),
                        "reason": version.reason,
                        **json.loads(version.snapshot),
                    }
                    for version in sorted(plan.versions.all(), key=lambda v: v.number)
                ],
            }
        )
        stem = f"plans/{slugify(content.title)[:40].strip('-') or 'plan'}-{str(plan.pk)[:8]}"
        files[f"{stem}.md"] = _plan_markdown(content).encode("utf-8")
        if content.boundaries:

            def make(render, pk=plan.pk, content=content):
                return plan_pdf(pk, content, PrintOptions(), render=render)

            pdfs.append((plan.updated_at, (f"{stem}.pdf", make)))
    files["plans/plans.json"] = _json(records)
    # The plans changed most recently come first for the budget.
    pdfs.sort(key=lambda pending: pending[0], reverse=True)
    return files, [pending for _, pending in pdfs]


def _plan_markdown(content) -> str:
    lines = [f"# {content.title}", ""]
    if content.why:
        lines += [content.why, ""]
    for number, boundary in enumerate(content.boundaries, start=1):
        lines += [f"## Boundary {number}", ""]
        for label, value in [
            ("Need or value", boundary.need),
            ("I will", boundary.action),
            ("How I'll say it", boundary.say),
            ("If it's crossed", boundary.if_crossed),
            ("Support", boundary.support),
            ("Status", boundary.status),
            ("Review on", boundary.review_on.isoformat() if boundary.review_on else ""),
        ]:
            if value:
                lines += [f"**{label}**: {value}", ""]
    return "\n".join(lines)
