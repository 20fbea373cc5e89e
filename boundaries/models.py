"""Boundary plans: a plan, its ordered boundaries, and a version kept at every save.

Everything the user writes is sealed with their own data key (accounts.sealing):
one `sealed` column per row, opened by the readers in boundaries.selectors into
PlanContent and BoundaryContent. What stays in clear is what the site must filter
or sort on: the status, the review date, the position, and the timestamps.
"""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import asdict, dataclass, fields

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import SealedTextField
from core.ownership import OwnedQuerySet
from core.versions import reason_label

TEXT_LIMIT = 2000
TITLE_LIMIT = 200
MAX_BOUNDARIES = 30


class Status(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    COMMUNICATED = "communicated", _("Communicated")
    HOLDING = "holding", _("Holding")
    REVISIT = "revisit", _("Revisit")


@dataclass(frozen=True)
class BoundaryContent:
    """One boundary as plain values: what a version stores and a save writes."""

    need: str = ""
    action: str = ""
    say: str = ""
    if_crossed: str = ""
    support: str = ""
    status: str = Status.DRAFTING.value
    review_on: datetime.date | None = None

    TEXT_FIELDS = ("need", "action", "say", "if_crossed", "support")

    def texts(self) -> dict[str, str]:
        """The fields a person writes (what a Boundary row seals)."""
        return {name: getattr(self, name) for name in self.TEXT_FIELDS}

    @classmethod
    def of(cls, source, **overrides) -> BoundaryContent:
        """The boundary held by *source*: anything with these fields as attributes."""
        values = {f.name: getattr(source, f.name) for f in fields(cls) if hasattr(source, f.name)}
        return cls(**(values | overrides))

    def is_blank(self) -> bool:
        return not any(getattr(self, name).strip() for name in self.TEXT_FIELDS)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["review_on"] = self.review_on.isoformat() if self.review_on else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> BoundaryContent:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        if values.get("review_on"):
            values["review_on"] = datetime.date.fromisoformat(values["review_on"])
        return cls(**values)


@dataclass(frozen=True)
class PlanContent:
    """A whole plan as plain values. Two plans with equal content print the same."""

    title: str
    why: str = ""
    boundaries: tuple[BoundaryContent, ...] = ()

    def to_json(self) -> str:
        return json.dumps(
            {
                "title": self.title,
                "why": self.why,
                "boundaries": [boundary.to_dict() for boundary in self.boundaries],
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> PlanContent:
        data = json.loads(text)
        return cls(
            title=data["title"],
            why=data.get("why", ""),
            boundaries=tuple(BoundaryContent.from_dict(b) for b in data.get("boundaries", [])),
        )


class Plan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="boundary_plans"
    )
    # JSON {"title", "why"}, sealed with the owner's data key (accounts.sealing).
    sealed = SealedTextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self):
        return f"Boundary plan of {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("boundaries:detail", args=[self.pk])


class Boundary(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="boundaries")
    position = models.PositiveSmallIntegerField()
    # JSON of BoundaryContent.TEXT_FIELDS, sealed with the plan owner's data key.
    sealed = SealedTextField()
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFTING)
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="unique_boundary_position"),
        ]

    def __str__(self):
        return _("Boundary %(number)d") % {"number": self.position + 1}

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def is_due_for_review(self) -> bool:
        return self.review_on is not None and self.review_on <= timezone.localdate()


class PlanVersion(models.Model):
    """The whole plan as it stood after one save, sealed as one JSON document."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    # Written by the site ("Created", "Restored version 3"), never by the user: kept in clear.
    reason = models.CharField(max_length=100)
    # PlanContent.to_json(), sealed with the plan owner's data key.
    sealed = SealedTextField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version"),
        ]

    def __str__(self):
        return f"Version {self.number}"

    def get_absolute_url(self):
        return reverse("boundaries:version", args=[self.plan_id, self.number])

    @property
    def reason_label(self) -> str:
        """The reason in the reader's language: services store it in English."""
        return reason_label(self.reason)
