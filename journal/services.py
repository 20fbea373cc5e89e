"""Writes to the journal: entries (with their search tokens), drafts and the trash.

Markdown is rendered here, once per save, before the transaction starts: a slow
render must not hold SQLite's write lock.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone

from accounts.crypto import UserKeys, user_keys
from accounts.sealing import seal_json
from core.markdown import render_batch, render_bounded

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


def _terms_of(content: EntryContent) -> set[str]:
    return index.entry_terms(
        title=content.title,
        body=content.body,
        tags=content.tags,
        mood=content.mood,
        step_key=content.step_key,
    )


def _tokens_of(keys: UserKeys, content: EntryContent) -> list[int]:
    return index.tokens(keys, _terms_of(content))


class Imported(NamedTuple):
    imported: int
    skipped: int  # already in the journal, left as they are
    plain: int  # of the imported, shown as plain text: formatting them took too long


# Children that format, seal and index an import's entries at once (this machine has two
# cores; a worker per core runs its own import beside the others).
IMPORT_WORKERS = 2


def entries_import(
    *,
    user: User,
    rows: Sequence[ImportRow],
    progress: Callable[[int, str], None] | None = None,
    before_commit: Callable[[Imported], None] | None = None,
    workers: int = IMPORT_WORKERS,
) -> Imported:
    """Write imported entries in one transaction; return how many, and how many were there.

    An id that is free is kept, so an export restores exactly. An entry whose id
    is already in this journal (live or in the trash) is left as it is; an id
    that belongs to someone else's entry is replaced by a new one.

    Each entry is rendered, sealed and indexed in *workers* child processes
    (core.markdown.render_batch, with its bounds: a file of slow bodies costs about
    three render time limits, then shows its remaining bodies as plain text; the
    whole batch at most batch_seconds(len(rows))), before the transaction starts.
    *progress* hears how many entries are done and the stage ("formatting", then
    "saving") as that goes, between steps, never inside the transaction. Then one transaction
    writes every entry and its search tokens, two statements whatever the number
    of entries, and calls *before_commit* (a job's check that it is still its
    own, and its end) inside it: a failure anywhere leaves none of the entries.
    """
    keys = user_keys(user)
    wanted = [row.id for row in rows if row.id is not None]
    mine = set(
        JournalEntry.objects.for_user(user).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    taken = set(JournalEntry.objects.filter(pk__in=wanted).values_list("pk", flat=True)) - mine
    rows = [row for row in rows if row.id not in mine]
    tokens_of = index.Tokens(keys)

    def prepared(number: int, html: str, formatted: bool) -> bytes:
        """Seal and index one entry (in a child, mostly): its sealed fields and tokens."""
        content = rows[number].content
        entry = JournalEntry()
        entry.seal(keys, content=content, html=html)
        terms = _terms_of(content)
        sealed = [entry.sealed_meta, entry.sealed_body, entry.sealed_html, tokens_of(terms)]
        return json.dumps(sealed).encode("ascii")

    skipped = len(mine)

    def formatted(count: int) -> None:
        if progress is not None:
            progress(skipped + count, "formatting")

    done = render_batch(
        [row.content.body for row in rows], prepared, workers=workers, progress=formatted
    )
    entries = []
    tokens: list[list[int]] = []
    for row, (data, _) in zip(rows, done, strict=True):
        sealed_meta, sealed_body, sealed_html, found = json.loads(data)
        entries.append(
            JournalEntry(
                id=row.id if row.id is not None and row.id not in taken else uuid.uuid4(),
                user=user,
                entry_date=row.content.entry_date,
                created_at=row.created_at,
                updated_at=row.updated_at,
                sealed_meta=sealed_meta,
                sealed_body=sealed_body,
                sealed_html=sealed_html,
            )
        )
        tokens.append(found)
    result = Imported(len(entries), skipped, sum(not kept for _, kept in done))
    if progress is not None:
        progress(skipped + len(entries), "saving")
    with transaction.atomic(), _index_cache():
        _insert_rows(JournalEntry, entries)
        _insert_tokens(entries, tokens)
        if before_commit is not None:
            before_commit(result)
    return result


# SQLite's page cache for the import's connection while it writes: 64 MB rather than 2 MB
# holds the token index's pages as 1.25 million random keys go in (a quarter quicker).
IMPORT_CACHE_KIB = 65_536


@contextmanager
def _index_cache() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB:d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before):d}")


def _insert_rows(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """INSERT *rows* of *model* in one executemany: bulk_create without building its SQL
    once per 500 rows, so the number of statements does not grow with the import."""
    fields = [field for field in model._meta.concrete_fields if not field.auto_created]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_column(field) for field in fields)
    # Only names from the model's own _meta go into the text; every value is a parameter.
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    values = (
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
        for row in rows
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, cast("Any", values))  # a generator: one row in memory at a time


def _column(field: Any) -> str:
    """The quoted column name of a concrete field (one with a column)."""
    column: str = field.column
    return connection.ops.quote_name(column)


def _insert_tokens(entries: Sequence[JournalEntry], tokens: Sequence[list[int]]) -> None:
    """INSERT every entry's search tokens (about 125 for an entry of 200 words) in one
    executemany: on PostgreSQL one array per entry, on SQLite one row per token (each
    measured the quicker there; model instances cost ten times as much)."""
    meta = EntryToken._meta
    table = connection.ops.quote_name(meta.db_table)
    entry_column = _column(meta.get_field("entry"))
    token_column = _column(meta.get_field("token"))
    id_field = JournalEntry._meta.pk
    assert id_field is not None
    ids = [id_field.get_db_prep_value(entry.pk, connection) for entry in entries]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {table} ({entry_column}, {token_column}) "
                "SELECT %s, unnest(%s::bigint[])",
                list(zip(ids, tokens, strict=True)),
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({entry_column}, {token_column}) VALUES (%s, %s)",  # noqa: S608
                cast(
                    "Any",
                    (
                        (entry_id, token)
                        for entry_id, found in zip(ids, tokens, strict=True)
                        for token in found
                    ),
                ),
            )


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
