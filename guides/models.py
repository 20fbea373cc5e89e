from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext

from accounts.fields import SealedTextField
from core.ownership import OwnedQuerySet


class StepProgress(models.Model):
    """A step a user has marked as done, by its stable 'guide/step' slug."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="step_progress"
    )
    step_key = models.CharField(max_length=200)
    completed_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "step_key"], name="unique_step_progress"),
        ]
        indexes = [models.Index(fields=["user", "-completed_at"])]

    def __str__(self):
        return f"{self.step_key} done"


PLAN_FIELDS = (
    # The I-statement: I feel … when … because … What I would like is …
    "feeling",
    "situation",
    "reason",
    "request",
    "when_where",
    "opening_line",
    "questions",
    "if_it_goes_badly",
    # Afterwards.
    "what_happened",
    "what_i_felt",
    "what_next",
)


@dataclass(frozen=True, repr=False)
class ConversationPlanContent:
    """What a person wrote in a conversation plan (guides.selectors opens it)."""

    feeling: str = ""
    situation: str = ""
    reason: str = ""
    request: str = ""
    when_where: str = ""
    opening_line: str = ""
    questions: str = ""
    if_it_goes_badly: str = ""
    what_happened: str = ""
    what_i_felt: str = ""
    what_next: str = ""

    def __repr__(self) -> str:
        return "ConversationPlanContent(...)"  # never the text itself

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> ConversationPlanContent:
        return cls(**{name: str(data.get(name) or "") for name in PLAN_FIELDS})

    def to_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in PLAN_FIELDS}

    @property
    def i_statement(self) -> str:
        """The parts the user filled in, joined into one I-statement."""
        parts = []
        if self.feeling:
            parts.append(
                gettext("I feel %(feeling)s") % {"feeling": self.feeling.strip().rstrip(".")}
            )
        if self.situation:
            parts.append(
                gettext("when %(situation)s") % {"situation": self.situation.strip().rstrip(".")}
            )
        if self.reason:
            parts.append(
                gettext("because %(reason)s") % {"reason": self.reason.strip().rstrip(".")}
            )
        sentence = " ".join(parts)
        if sentence:
            sentence += "."
        if self.request:
            sentence += " " + gettext("What I would like is %(request)s.") % {
                "request": self.request.strip().rstrip(".")
            }
        return sentence.strip()

    @property
    def has_debrief(self) -> bool:
        return bool(self.what_happened or self.what_i_felt or self.what_next)


class ConversationPlan(models.Model):
    """The conversation planner from 'Open the conversation': private, sealed at rest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_plans"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # ConversationPlanContent as JSON, sealed with the owner's data key (accounts.sealing).
    sealed = SealedTextField()
    # The journal entry the debrief was saved to, and that entry's version just after our
    # save: saving again updates that one entry, unless it was edited in the journal since.
    # An id rather than a foreign key: the journal owns its entries and may delete them.
    journal_entry_id = models.UUIDField(null=True, blank=True, editable=False)
    journal_entry_version = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return f"Conversation plan of {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("guides:planner-edit", args=[self.pk])


@dataclass(frozen=True, repr=False)
class SelfCheckContent:
    """One sitting's answers ({question id: 1-5}) and note, as the person gave them."""

    answers: dict[str, int] = field(default_factory=dict)
    note: str = ""

    def __repr__(self) -> str:
        return "SelfCheckContent(...)"  # never the answers or the note


class SelfCheck(models.Model):
    """One sitting of the reevaluation self-check: the answers, kept so they can be compared."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_checks"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # SelfCheckContent as JSON ({"answers", "note"}), sealed with the owner's data key:
    # the answers are as private as a journal.
    sealed = SealedTextField()

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Self-check of {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("guides:self-check-detail", args=[self.pk])
