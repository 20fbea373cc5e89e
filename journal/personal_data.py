"""The journal's part of "Download your data" and "Delete your account" (yourdata.parts).

Export reads the entries through the journal's own export (journal.exports): the
same records, Markdown files and JSON format as the journal's Export page, so its
Import page reads the archive's journal.json back.
"""

from __future__ import annotations

import json

from accounts.sealing import user_keys

from .exports import entry_markdown, entry_record, export_json, markdown_name
from .models import Draft, EntryToken, JournalEntry, Try
from .pdf import journal_pdf
from .selectors import draft_content, entry_content, tries_of

README = """\
journal/journal.json          every journal entry (importable on the journal's Import page)
journal/entries/*.md          the same entries as Markdown files
journal/trash.json, trash/    entries in the trash, marked "in_trash", with when they went there
journal/drafts.json           unsaved drafts kept by autosave
journal/tried.json            what you tried together, when, who suggested it, how close it felt
journal/journal.pdf           your journal laid out for reading or printing
"""
HINT = "The journal's Export page makes a PDF of a shorter period."


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def export(user, pdfs) -> dict[str, bytes]:
    keys = user_keys(user)
    entries = [
        entry_content(entry, keys, body=True, html=True)
        for entry in JournalEntry.objects.for_user(user).order_by("entry_date", "created_at")
    ]
    live = [entry for entry in entries if entry.deleted_at is None]
    files: dict[str, bytes] = {}
    trashed = []
    for entry in entries:
        record = entry_record(entry)
        folder = "journal/entries"
        if entry.deleted_at is not None:
            record["in_trash"] = True
            record["deleted_at"] = entry.deleted_at.isoformat()
            trashed.append(record)
            folder = "journal/trash"
        files[markdown_name(entry, folder)] = entry_markdown(record).encode("utf-8")
    # The journal's own export format, so its Import page reads it back.
    files["journal/journal.json"] = export_json(live)
    files["journal/trash.json"] = _json({"entries_in_trash": trashed})
    drafts = [
        {"saved_at": draft.updated_at.isoformat(), "entry": str(draft.entry_id or ""),
         **draft_content(draft, keys).fields}
        for draft in Draft.objects.for_user(user).order_by("updated_at")
    ]  # fmt: skip
    files["journal/drafts.json"] = _json(drafts)
    files["journal/tried.json"] = _json({"tried": [tried.record() for tried in tries_of(user)]})
    if live:
        pdfs.add(
            "journal/journal.pdf",
            lambda render: journal_pdf("Journal", live, render=render),
            hint=HINT,
        )
    return files


def erase(user) -> None:
    """Remove the person's entries (the trash too), their search tokens, drafts and tries.

    The journal keeps nothing about a person in the cache or in temporary files:
    its PDFs and exports are made per request and not kept, and an imported file
    is read from memory. The search kept in a session (sealed under the person's
    key) goes with the sessions, which the accounts part ends.
    """
    entries = JournalEntry.objects.for_user(user)
    EntryToken.objects.filter(entry__in=entries).delete()
    Draft.objects.for_user(user).delete()
    Try.objects.for_user(user).delete()
    entries.delete()
