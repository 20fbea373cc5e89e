"""Reads from the journal, always through the owner's queryset, opened with the owner's keys.

entry_content and draft_content are the journal's readers: they open a row with its
owner's keys into a typed, frozen value (journal.models.OpenedEntry, OpenedDraft)
and set nothing on the row.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator

from accounts.sealing import UserKeys, open_sealed, open_sealed_json, user_keys
from core.ownership import get_owned_or_404

from . import index
from .models import (
    Draft,
    EntryQuerySet,
    JournalEntry,
    OpenedDraft,
    OpenedEntry,
    OpenedTry,
    Try,
)

if TYPE_CHECKING:
    from accounts.models import User

PAGE_SIZE = 20
ON_THIS_DAY_YEARS = 50
ON_THIS_DAY_SHOWN = 3
DRAFTS_SHOWN = 5


def entry_content(
    entry: JournalEntry, keys: UserKeys, *, body: bool = False, html: bool = False
) -> OpenedEntry:
    """The short fields of *entry* (and its body or HTML when asked), opened with *keys*."""
    meta = open_sealed_json(keys, entry.sealed_meta)
    return OpenedEntry(
        entry=entry,
        title=meta["title"],
        tags=tuple(meta["tags"]),
        mood=meta["mood"],
        prompt=meta["prompt"],
        step_key=meta["step"],
        excerpt=meta["excerpt"],
        body=open_sealed(keys, entry.sealed_body) if body else "",
        body_html=open_sealed(keys, entry.sealed_html) if html else "",
    )


def draft_content(draft: Draft, keys: UserKeys) -> OpenedDraft:
    """What *draft* holds (the entry form's fields by name), opened with *keys*."""
    return OpenedDraft(draft=draft, fields=MappingProxyType(open_sealed_json(keys, draft.sealed)))


@dataclass(frozen=True)
class EntryFilters:
    query: str = ""
    tag: str = ""
    mood: int | None = None
    guide: str = ""
    start: date | None = None
    end: date | None = None
    unsearchable: bool = False  # a query was typed with no word to search for

    @property
    def active(self) -> bool:
        return any(
            (self.query, self.tag, self.mood, self.guide, self.start, self.end, self.unsearchable)
        )

    def terms(self) -> list[str]:
        terms = index.query_terms(self.query)
        if self.tag:
            terms.append(index.tag_term(self.tag))
        if self.mood:
            terms.append(index.mood_term(self.mood))
        if self.guide:
            terms.append(index.guide_term(self.guide))
        return terms


def live_entries(user: User) -> EntryQuerySet:
    return JournalEntry.objects.for_user(user).live()


def filtered_entries(user: User, filters: EntryFilters) -> EntryQuerySet:
    """The user's live entries that pass *filters*, newest first, long fields not loaded."""
    entries = live_entries(user)
    if filters.unsearchable:
        return entries.none()
    terms = filters.terms()
    if terms:
        entries = entries.with_tokens(index.tokens(user_keys(user), terms))
    if filters.start:
        entries = entries.filter(entry_date__gte=filters.start)
    if filters.end:
        entries = entries.filter(entry_date__lte=filters.end)
    return entries.newest_first().defer("sealed_body", "sealed_html")


def entry_page(user: User, filters: EntryFilters, number: int | str | None) -> Page[OpenedEntry]:
    """One page of the list, opened: two queries (the count and the page) whatever the size."""
    rows = Paginator(filtered_entries(user, filters), PAGE_SIZE).get_page(number)
    keys = user_keys(user)
    opened = [entry_content(entry, keys) for entry in rows.object_list]
    # The same page (number, counts, links) holding the opened values of its rows.
    return Page(opened, rows.number, rows.paginator)  # type: ignore[arg-type]


def entry_for_owner(
    user: User, pk: uuid.UUID, *, body: bool = False, html: bool = False, where: str = "live"
) -> OpenedEntry:
    """The user's entry *pk*, opened; 404 for anyone else's.

    *where* is "live" (not in the trash), "trash" or "any".
    """
    entries = JournalEntry.objects.all()
    if where == "live":
        entries = entries.live()
    elif where == "trash":
        entries = entries.in_trash()
    return entry_content(
        get_owned_or_404(entries, user, pk=pk), user_keys(user), body=body, html=html
    )


def on_this_day(user: User, today: date) -> list[OpenedEntry]:
    """Entries written on this month and day in earlier years, newest first (an indexed IN)."""
    days = []
    for years_back in range(1, ON_THIS_DAY_YEARS + 1):
        year = today.year - years_back
        if year < 1 or (today.month == 2 and today.day == 29 and not calendar.isleap(year)):
            continue
        days.append(today.replace(year=year))
    entries = (
        live_entries(user)
        .filter(entry_date__in=days)
        .newest_first()
        .defer("sealed_body", "sealed_html")[:ON_THIS_DAY_SHOWN]
    )
    keys = user_keys(user)
    return [entry_content(entry, keys) for entry in entries]


def drafts_of(
    user: User, *, entry: JournalEntry | None = None, new_only: bool = False
) -> list[OpenedDraft]:
    """The user's autosaved drafts, newest first: of *entry*, of new entries, or all."""
    drafts = Draft.objects.for_user(user).order_by("-updated_at")
    if entry is not None:
        drafts = drafts.filter(entry=entry)
    elif new_only:
        drafts = drafts.filter(entry__isnull=True)
    keys = user_keys(user)
    return [draft_content(draft, keys) for draft in drafts[:DRAFTS_SHOWN]]


def new_entry_draft(user: User) -> OpenedDraft | None:
    """The user's one draft of a new entry, opened, or None."""
    draft = Draft.objects.for_user(user).filter(entry__isnull=True).first()
    return draft_content(draft, user_keys(user)) if draft else None


def entry_draft(user: User, entry: JournalEntry) -> OpenedDraft | None:
    """The user's one draft of changes to *entry*, opened, or None."""
    draft = Draft.objects.for_user(user).filter(entry=entry).first()
    return draft_content(draft, user_keys(user)) if draft else None


def draft_for_owner(user: User, pk: uuid.UUID) -> OpenedDraft:
    return draft_content(get_owned_or_404(Draft, user, pk=pk), user_keys(user))


def trashed_entries(user: User) -> list[OpenedEntry]:
    entries = (
        JournalEntry.objects.for_user(user)
        .in_trash()
        .order_by("-deleted_at")
        .defer("sealed_body", "sealed_html")
    )
    keys = user_keys(user)
    return [entry_content(entry, keys) for entry in entries]


def mood_points(user: User, start: date | None, end: date | None) -> list[tuple[date, int]]:
    """(date, mood) of every live entry with a mood in the range, oldest first."""
    entries = live_entries(user).order_by("entry_date", "created_at")
    if start:
        entries = entries.filter(entry_date__gte=start)
    if end:
        entries = entries.filter(entry_date__lte=end)
    keys = user_keys(user)
    points = []
    for entry in entries.only("entry_date", "sealed_meta"):
        mood = entry_content(entry, keys).mood
        if mood:
            points.append((entry.entry_date, mood))
    return points


def entries_opened(user: User, filters: EntryFilters) -> list[OpenedEntry]:
    """The short fields of every entry that passes *filters*, oldest first (for choosing)."""
    keys = user_keys(user)
    entries = filtered_entries(user, filters).order_by("entry_date", "created_at")
    return [entry_content(entry, keys) for entry in entries]


def entries_for_export(
    user: User, filters: EntryFilters, *, left_out: Collection[uuid.UUID | None] = frozenset()
) -> list[OpenedEntry]:
    """Every entry that passes *filters* but those *left_out*, oldest first, fully opened."""
    keys = user_keys(user)
    entries = (
        filtered_entries(user, filters)
        .exclude(pk__in=[pk for pk in left_out if pk is not None])
        .order_by("entry_date", "created_at")
        .defer(None)
    )
    return [entry_content(entry, keys, body=True, html=True) for entry in entries]


# --- What we tried ----------------------------------------------------------------------


def try_content(row: Try, keys: UserKeys) -> OpenedTry:
    """What *row* holds (what was tried, by whom, how close it felt), opened with *keys*."""
    fields = open_sealed_json(keys, row.sealed)
    return OpenedTry(
        row=row,
        what=fields["what"],
        suggested_by=fields["suggested_by"],
        closeness=int(fields["closeness"]),
        note=fields.get("note", ""),
    )


def tries_of(user: User) -> list[OpenedTry]:
    """Everything *user* noted as tried, oldest first (services bound how many there are)."""
    keys = user_keys(user)
    return [try_content(row, keys) for row in Try.objects.for_user(user).in_order()]


def try_for_owner(user: User, pk: uuid.UUID) -> Try:
    """*user*'s tried thing *pk*, or 404 (also for someone else's)."""
    return get_owned_or_404(Try, user, pk=pk)
