"""Writes to the journal: entries (with their search tokens), drafts and the trash.

Markdown is rendered here, once per save, before the transaction starts: a slow
render must not hold SQLite's write lock.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone

from accounts.crypto import UserKeys, user_keys
from accounts.sealing import seal_json
from core.markdown import render_bounded

from . import index
from .exports import ImportRow
from .models import MAX_TRIES, Draft, EntryContent, EntryToken, JournalEntry, Try, TryContent

if TYPE_CHECKING:
    from accounts.models import User


class EditConflict(Exception):
    """The entry was saved elsewhere (another tab) after the form was opened."""

    def __init__(self, current: JournalEntry | None):
        self.current = current  # None when it was moved to the trash meanwhile
        super().__init__("The entry changed since the form was opened")


@dataclass(frozen=True)
class Saved:
    entry: JournalEntry
    formatted: bool  # False when the formatting took too long and the text shows plain


def entry_create(*, user: User, content: EntryContent, draft_id: uuid.UUID | None = None) -> Saved:
    keys = user_keys(user)
    rendered = render_bounded([content.body])[0]
    now = timezone.now()
    entry = JournalEntry(user=user, created_at=now, updated_at=now)
    entry.seal(keys, content=content, html=rendered.html)
    with transaction.atomic():
        entry.save(force_insert=True)
        _index(entry, keys, content, replace=False)
        _drop_draft(user, draft_id)
    return Saved(entry, rendered.formatted)


def entry_update(
    *,
    user: User,
    entry: JournalEntry,
    content: EntryContent,
    expected_version: int,
    draft_id: uuid.UUID | None = None,
) -> Saved:
    """Save *content* over *entry* if nobody saved it since *expected_version*, else raise."""
    keys = user_keys(user)
    rendered = render_bounded([content.body])[0]
    entry.seal(keys, content=content, html=rendered.html)
    with transaction.atomic():
        updated = (
            JournalEntry.objects.for_user(user)
            .live()
            .filter(pk=entry.pk, version=expected_version)
            .update(
                entry_date=entry.entry_date,
                sealed_meta=entry.sealed_meta,
                sealed_body=entry.sealed_body,
                sealed_html=entry.sealed_html,
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
        )
        if not updated:
            current = JournalEntry.objects.for_user(user).live().filter(pk=entry.pk).first()
            raise EditConflict(current)
        _index(entry, keys, content, replace=True)
        _drop_draft(user, draft_id)
    entry.refresh_from_db(fields=["version", "updated_at"])
    return Saved(entry, rendered.formatted)


def _index(entry: JournalEntry, keys: UserKeys, content: EntryContent, *, replace: bool) -> None:
    if replace:
        EntryToken.objects.filter(entry=entry).delete()
    EntryToken.objects.bulk_create(
        EntryToken(entry=entry, token=token) for token in _tokens_of(keys, content)
    )


def _tokens_of(keys: UserKeys, content: EntryContent) -> list[int]:
    terms = index.entry_terms(
        title=content.title,
        body=content.body,
        tags=content.tags,
        mood=content.mood,
        step_key=content.step_key,
    )
    return index.tokens(keys, terms)


class Imported(NamedTuple):
    imported: int
    skipped: int  # already in the journal, left as they are
    plain: int  # of the imported, shown as plain text: formatting them took too long


def entries_import(*, user: User, rows: Sequence[ImportRow]) -> Imported:
    """Write imported entries in one transaction; return how many, and how many were there.

    An id that is free is kept, so an export restores exactly. An entry whose id
    is already in this journal (live or in the trash) is left as it is; an id
    that belongs to someone else's entry is replaced by a new one. Rendering has
    the batch bounds of render_bounded(): a file of slow bodies costs about three
    render time limits, then shows its remaining bodies as plain text.
    """
    keys = user_keys(user)
    wanted = [row.id for row in rows if row.id is not None]
    mine = set(
        JournalEntry.objects.for_user(user).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    taken = set(JournalEntry.objects.filter(pk__in=wanted).values_list("pk", flat=True)) - mine
    rows = [row for row in rows if row.id not in mine]
    rendered = render_bounded([row.content.body for row in rows])
    entries = []
    for row, result in zip(rows, rendered, strict=True):
        entry = JournalEntry(
            id=row.id if row.id is not None and row.id not in taken else uuid.uuid4(),
            user=user,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        entry.seal(keys, content=row.content, html=result.html)
        entries.append(entry)
    with transaction.atomic():
        JournalEntry.objects.bulk_create(entries, batch_size=500)
        EntryToken.objects.bulk_create(
            (
                EntryToken(entry=entry, token=token)
                for entry, row in zip(entries, rows, strict=True)
                for token in _tokens_of(keys, row.content)
            ),
            batch_size=2000,
        )
    plain = sum(not result.formatted for result in rendered)
    return Imported(len(entries), len(mine), plain)


# --- Trash ----------------------------------------------------------------------------


def entry_trash(*, entry: JournalEntry) -> None:
    """Move *entry* to the trash: hidden everywhere, restorable for TRASH_DAYS."""
    JournalEntry.objects.filter(pk=entry.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now()
    )


def entry_restore(*, entry: JournalEntry) -> None:
    JournalEntry.objects.filter(pk=entry.pk).update(deleted_at=None)


def entry_purge(*, entry: JournalEntry) -> None:
    """Delete *entry* for good (its tokens and drafts go with it)."""
    entry.delete()


def trash_empty(*, user: User) -> int:
    """Delete every entry in *user*'s trash for good; return how many."""
    _, by_model = JournalEntry.objects.for_user(user).in_trash().delete()
    return by_model.get(JournalEntry._meta.label, 0)


def trash_purge_expired(*, now: datetime | None = None) -> int:
    """Delete every entry that has been in the trash longer than TRASH_DAYS."""
    _, by_model = JournalEntry.objects.expired(now).delete()
    return by_model.get(JournalEntry._meta.label, 0)


# --- Drafts ---------------------------------------------------------------------------


def draft_save(
    *,
    user: User,
    draft_id: uuid.UUID | None,
    entry_id: uuid.UUID | None,
    base_version: int | None,
    fields: dict[str, str],
) -> uuid.UUID | None:
    """Keep what the form holds and return the draft's id; None when there is nothing to keep.

    Saving over an existing draft is one UPDATE. Each form has one draft (a new
    entry's, or the changes to one entry): an autosave without a draft id, the
    form's first, takes over that draft rather than adding one. A draft of changes
    to an entry checks that the entry is the user's (raising JournalEntry.DoesNotExist).
    """
    if not any((fields.get(name) or "").strip() for name in ("title", "body")):
        _drop_draft(user, draft_id)
        return None
    sealed = user_keys(user).encrypt(json.dumps(fields, ensure_ascii=False))
    now = timezone.now()
    if draft_id is not None and _draft_overwrite(user, draft_id, sealed, now):
        return draft_id
    entry = None
    if entry_id is not None:
        entry = JournalEntry.objects.for_user(user).live().only("id").get(pk=entry_id)
    forms_draft = Draft.objects.for_user(user).filter(entry=entry)  # entry=None: a new entry's
    for _ in range(2):
        existing = forms_draft.values_list("pk", flat=True).first()
        if existing is not None:
            forms_draft.filter(pk=existing).update(
                sealed=sealed, updated_at=now, base_version=base_version
            )
            return existing
        try:
            with transaction.atomic():
                draft = Draft.objects.create(
                    user=user, entry=entry, base_version=base_version, sealed=sealed, updated_at=now
                )
        except IntegrityError:  # another tab made this form's draft a moment ago: use it
            continue
        return draft.pk
    raise RuntimeError("The form's draft could neither be made nor found")  # pragma: no cover


# Table and column names as Django makes them for Draft (tests/journal/test_autosave.py).
DRAFT_OVERWRITE = (
    "UPDATE journal_draft SET sealed = %s, updated_at = %s WHERE id = %s AND user_id = %s"
)


def _draft_overwrite(user: User, draft_id: uuid.UUID, sealed: str, now: datetime) -> bool:
    """UPDATE the user's draft in place; False when they have no such draft.

    The one statement written by hand: autosave runs every few seconds while
    someone types, and building this UPDATE through the ORM cost more than
    running it (benchmarks/journal.py). It is still scoped to the owner.
    """

    def field(name: str) -> models.Field[Any, Any]:
        # Both are the model's own columns, never a relation (get_field may return one).
        return cast("models.Field[Any, Any]", Draft._meta.get_field(name))

    params = (
        sealed,
        field("updated_at").get_db_prep_value(now, connection),
        field("id").get_db_prep_value(draft_id, connection),
        user.pk,
    )
    with connection.cursor() as cursor:
        cursor.execute(DRAFT_OVERWRITE, params)
        updated: int = cursor.rowcount
        return updated == 1


def draft_discard(*, user: User, draft_id: uuid.UUID) -> None:
    _drop_draft(user, draft_id)


def drafts_purge_stale(*, now: datetime | None = None) -> int:
    """Delete every draft nobody has autosaved for DRAFT_DAYS; return how many."""
    _, by_model = Draft.objects.stale(now).delete()
    return by_model.get(Draft._meta.label, 0)


def _drop_draft(user: User, draft_id: uuid.UUID | None) -> None:
    if draft_id is not None:
        Draft.objects.for_user(user).filter(pk=draft_id).delete()


# --- What we tried ----------------------------------------------------------------------


class TooManyTries(Exception):
    """The person has MAX_TRIES tried things noted already."""


def try_create(*, user: User, content: TryContent) -> Try:
    """Note one tried thing, sealed under *user*'s key; TooManyTries past the bound."""
    if Try.objects.for_user(user).count() >= MAX_TRIES:
        raise TooManyTries
    sealed = seal_json(
        user_keys(user),
        {
            "what": content.what,
            "suggested_by": content.suggested_by,
            "closeness": content.closeness,
            "note": content.note,
        },
    )
    return Try.objects.create(user=user, tried_on=content.tried_on, sealed=sealed)


def try_delete(*, row: Try) -> None:
    row.delete()
