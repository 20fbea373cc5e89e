"""Everything the site keeps about one person, in one zip: JSON, readable Markdown and PDFs.

Each part is read through the person's own querysets (for_user, user_keys), so an
archive can only ever hold its owner's rows. PDFs that cannot be laid out within
the renderer's limits are replaced by a note saying so; the data is in the JSON.
"""

import io
import json
import zipfile

import yaml
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.utils import timezone
from django.utils.text import slugify

from accounts.crypto import user_keys
from boundaries.models import Plan
from boundaries.pdf import PrintOptions, plan_html
from config.pdf import PDFTooComplex, render_pdf
from guides.content import site_content
from guides.models import ConversationPlan, SelfCheck, StepProgress
from journal.export_views import journal_pdf_html
from journal.exports import FORMAT, FORMAT_VERSION, entry_record
from journal.models import Draft, JournalEntry

ROOT = "account-data"
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


def account_archive(user) -> bytes:
    now = timezone.now()
    files: dict[str, bytes] = {"README.txt": README.format(when=f"{now:%Y-%m-%d %H:%M}").encode()}
    files["account.json"] = _json(_account(user))
    files.update(_guides(user))
    files.update(_journal(user))
    files.update(_plans(user))
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
    plans = [
        {name: getattr(plan, name) for name in ["id", *fields]}
        for plan in ConversationPlan.objects.for_user(user).order_by("created_at")
    ]
    labels = {f.name: f.verbose_name for f in ConversationPlan._meta.fields}
    markdown = "\n".join(
        f"# Conversation plan of {plan['created_at']:%Y-%m-%d}\n\n"
        + "".join(
            f"**{labels[name].capitalize()}**: {plan[name]}\n\n"
            for name in fields
            if isinstance(plan[name], str) and plan[name]
        )
        for plan in plans
    )
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


def _journal(user) -> dict[str, bytes]:
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
    if shown:
        first, last = shown[0].entry_date, shown[-1].entry_date
        files.update(
            _pdf("journal/journal.pdf", lambda: journal_pdf_html("Journal", shown, first, last))
        )
    return files


def _plans(user) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    records = []
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
            files.update(_pdf(f"{stem}.pdf", lambda c=content: plan_html(c, PrintOptions())))
    files["plans/plans.json"] = _json(records)
    return files


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


def _pdf(name: str, make_html) -> dict[str, bytes]:
    try:
        return {name: render_pdf(make_html())}
    except PDFTooComplex as error:
        note = f"{name} could not be made: {error}\nEverything in it is in the JSON files.\n"
        return {name.removesuffix(".pdf") + "-not-made.txt": note.encode("utf-8")}
