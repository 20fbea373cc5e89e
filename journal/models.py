"""Journal entries, their search tokens and autosaved drafts: all text encrypted per person.

The database sees an entry's date, when it was written and edited, its version
and whether it is in the trash. Everything a person wrote (title, body, rendered
HTML, tags, mood, the prompt and guide step it answers) is sealed with their own
data key (accounts.crypto.user_keys). Views read entries through selectors,
whose readers (entry_content, draft_content) open them with the owner's keys into
the typed, frozen values below (OpenedEntry, OpenedDraft): nothing is set on a row.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import unescape
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from accounts.crypto import UserKeys
from accounts.fields import SealedTextField
from core.ownership import OwnedQuerySet
from guides.content import Step, site_content

MOODS = {
    1: _("Very low"),
    2: _("Low"),
    3: _("Mixed"),
    4: _("Good"),
    5: _("Very good"),
}
TRASH_DAYS = 30
# Drafts nobody has touched for this long are deleted by `manage.py purge_trash`.
DRAFT_DAYS = 30
_UNPUNCTUATED_END = re.compile(r"([^.!?:;,\s])\s*</(li|h[1-6]|td|th)>")


class EntryQuerySet(OwnedQuerySet["JournalEntry"]):
    def live(self) -> Self:
        return self.filter(deleted_at__isnull=True)

    def in_trash(self) -> Self:
        return self.filter(deleted_at__isnull=False)

    def newest_first(self) -> Self:
        return self.order_by("-entry_date", "-created_at")

    def with_tokens(self, tokens: list[int]) -> Self:
        """Entries indexed under every one of *tokens* (an AND of exact matches)."""
        queryset = self
        for token in tokens:
            queryset = queryset.filter(
                id__in=EntryToken.objects.filter(token=token).values("entry_id")
            )
        return queryset

    def expired(self, now: datetime | None = None) -> Self:
        now = now or timezone.now()
        return self.filter(deleted_at__lt=now - timedelta(days=TRASH_DAYS))


class JournalEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    entry_date = models.DateField()
    # Set by the services, not auto_now: an import restores them as they were.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Raised by one on every save; a save that names an older version is a conflict.
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Sealed with the owner's data key. meta: JSON of the short fields (title, tags,
    # mood, prompt, step, excerpt), read on the list page without the long ones.
    sealed_meta = SealedTextField()
    sealed_body = SealedTextField()
    sealed_html = SealedTextField()

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "journal entries"
        indexes = [
            models.Index(
                fields=["user", "deleted_at", "-entry_date", "-created_at"], name="entry_list"
            ),
        ]

    def __str__(self):
        return f"Journal entry {self.pk}"

    def get_absolute_url(self):
        return reverse("journal:detail", args=[self.pk])

    # --- Sealing and opening ---------------------------------------------------------

    def seal(self, keys: UserKeys, *, content: EntryContent, html: str) -> None:
        meta = {
            "title": content.title,
            "tags": list(content.tags),
            "mood": content.mood,
            "prompt": content.prompt,
            "step": content.step_key,
            "excerpt": excerpt_of(html),
        }
        self.sealed_meta = keys.encrypt(json.dumps(meta, ensure_ascii=False))
        self.sealed_body = keys.encrypt(content.body)
        self.sealed_html = keys.encrypt(html)
        self.entry_date = content.entry_date

    # --- Facts of the row ------------------------------------------------------------

    @property
    def is_in_trash(self) -> bool:
        return self.deleted_at is not None

    @property
    def purge_after(self):
        return self.deleted_at + timedelta(days=TRASH_DAYS) if self.deleted_at else None


class EntryToken(models.Model):
    """One keyed search token of an entry (journal.index): an integer, never a word."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="tokens")
    token = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "entry"], name="unique_entry_token"),
        ]

    def __str__(self):
        return f"Search token of {self.entry_id}"


class DraftQuerySet(OwnedQuerySet["Draft"]):
    def stale(self, now: datetime | None = None) -> Self:
        """Drafts not autosaved for DRAFT_DAYS: left behind, never saved or discarded."""
        now = now or timezone.now()
        return self.filter(updated_at__lt=now - timedelta(days=DRAFT_DAYS))


class Draft(models.Model):
    """What the entry form held when it was last autosaved: a new entry or changes to one.

    One per form: each person has at most one draft of a new entry and one of
    changes to each of their entries (the constraints below), so autosaves can
    never pile up rows.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_drafts"
    )
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="drafts"
    )
    base_version = models.PositiveIntegerField(null=True, blank=True)
    sealed = SealedTextField()
    updated_at = models.DateTimeField(default=timezone.now)

    objects = DraftQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "entry", "-updated_at"], name="draft_lookup")]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(entry__isnull=True), name="one_new_entry_draft"
            ),
            models.UniqueConstraint(fields=["user", "entry"], name="one_draft_per_entry"),
        ]

    def __str__(self):
        return f"Journal draft {self.pk}"


@dataclass(frozen=True, repr=False)
class EntryContent:
    """What a person writes in an entry, checked: the one shape forms, imports and drafts share."""

    title: str
    body: str
    entry_date: date
    mood: int | None
    tags: tuple[str, ...]
    prompt: str
    step_key: str

    def __repr__(self):
        return f"EntryContent(entry_date={self.entry_date!r}, ...)"  # never the text itself


@dataclass(frozen=True, repr=False)
class OpenedEntry:
    """An entry opened with its owner's keys (journal.selectors.entry_content).

    *entry* is the row (its dates, version and trash state, for services and links);
    the other fields are what the person wrote. body and body_html are "" unless
    the reader was asked for them.
    """

    entry: JournalEntry
    title: str
    tags: tuple[str, ...]
    mood: int | None
    prompt: str
    step_key: str
    excerpt: str
    body: str = ""
    body_html: str = ""

    def __repr__(self):
        return f"OpenedEntry(pk={self.entry.pk!r}, ...)"  # never the text itself

    # The row's facts, so templates and exports read one object.
    @property
    def pk(self) -> uuid.UUID:
        return self.entry.pk

    @property
    def entry_date(self) -> date:
        return self.entry.entry_date

    @property
    def created_at(self) -> datetime:
        return self.entry.created_at

    @property
    def updated_at(self) -> datetime:
        return self.entry.updated_at

    @property
    def version(self) -> int:
        return self.entry.version

    @property
    def deleted_at(self) -> datetime | None:
        return self.entry.deleted_at

    @property
    def is_in_trash(self) -> bool:
        return self.entry.is_in_trash

    @property
    def purge_after(self) -> datetime | None:
        return self.entry.purge_after

    def get_absolute_url(self) -> str:
        return self.entry.get_absolute_url()

    @property
    def mood_label(self) -> str:
        return str(MOODS[self.mood]) if self.mood in MOODS else ""

    @cached_property
    def step(self) -> Step | None:
        return step_for(self.step_key)

    def content(self) -> EntryContent:
        """The fields as the person wrote them (open with body=True for the body)."""
        return EntryContent(
            title=self.title,
            body=self.body,
            entry_date=self.entry_date,
            mood=self.mood,
            tags=self.tags,
            prompt=self.prompt,
            step_key=self.step_key,
        )


@dataclass(frozen=True, repr=False)
class OpenedDraft:
    """An autosaved draft opened with its owner's keys (journal.selectors.draft_content)."""

    draft: Draft
    fields: Mapping[str, Any] = field(default_factory=dict)

    def __repr__(self):
        return f"OpenedDraft(pk={self.draft.pk!r}, ...)"  # never the text itself

    @property
    def pk(self) -> uuid.UUID:
        return self.draft.pk

    @property
    def entry_id(self) -> uuid.UUID | None:
        return self.draft.entry_id

    @property
    def base_version(self) -> int | None:
        return self.draft.base_version

    @property
    def updated_at(self) -> datetime:
        return self.draft.updated_at

    @property
    def preview(self) -> str:
        """A few words to recognise the draft by."""
        text = (self.fields.get("title") or self.fields.get("body") or "").strip()
        return " ".join(text.split())[:80]


def step_for(step_key: str) -> Step | None:
    """The guide step a 'guide/step' key names (the step it became, for a step folded into
    another: guides/content/moved.yaml), or None (also for steps since removed)."""
    if not step_key or "/" not in step_key:
        return None
    return site_content().step_by_key(step_key)


def excerpt_of(html: str, length: int = 220) -> str:
    # A list item or heading ends a sentence in the excerpt, though it has no full stop.
    html = _UNPUNCTUATED_END.sub(r"\1.</\2>", html)
    text = " ".join(unescape(strip_tags(html)).split())
    if len(text) <= length:
        return text
    cut = text.rfind(" ", 0, length)
    return text[: cut if cut > length // 2 else length].rstrip(",.;: ") + "…"


# --- What we tried: the tracker kept with the journal (guide 3, "Start smaller") ----------

SUGGESTED_BY = {
    "me": _("Me"),
    "partner": _("My partner"),
    "both": _("Both of us"),
}
CLOSENESS = range(0, 11)  # 0: not close at all, 10: as close as we have felt
# A bound on rows per person, so one account cannot grow the table without limit.
MAX_TRIES = 1000


class TryQuerySet(OwnedQuerySet["Try"]):
    def in_order(self) -> Self:
        return self.order_by("tried_on", "created_at")


class Try(models.Model):
    """One thing a couple tried together. The database sees only its date; what was tried,
    who suggested it, how close it felt and the note are sealed with the owner's key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_tries"
    )
    tried_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sealed = SealedTextField()

    objects = TryQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "tried_on", "created_at"], name="try_list")]

    def __str__(self):
        return f"Tried thing {self.pk}"


@dataclass(frozen=True, repr=False)
class TryContent:
    """What a person notes about one thing they tried, checked by journal.forms.TryForm."""

    tried_on: date
    what: str
    suggested_by: str  # a key of SUGGESTED_BY
    closeness: int  # 0 to 10
    note: str = ""

    def __repr__(self):
        return f"TryContent(tried_on={self.tried_on!r}, ...)"  # never the text itself


@dataclass(frozen=True, repr=False)
class OpenedTry:
    """A tried thing opened with its owner's keys (journal.selectors.try_content)."""

    row: Try
    what: str
    suggested_by: str
    closeness: int
    note: str

    def __repr__(self):
        return f"OpenedTry(pk={self.row.pk!r}, ...)"  # never the text itself

    @property
    def pk(self) -> uuid.UUID:
        return self.row.pk

    @property
    def tried_on(self) -> date:
        return self.row.tried_on

    @property
    def suggested_by_label(self) -> str:
        return str(SUGGESTED_BY.get(self.suggested_by, ""))

    def record(self) -> dict[str, Any]:
        """The fields as plain values, for the person's download."""
        return {
            "tried_on": self.tried_on.isoformat(),
            "what": self.what,
            "suggested_by": self.suggested_by,
            "closeness_0_to_10": self.closeness,
            "note": self.note,
        }
