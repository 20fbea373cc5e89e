"""A personal safety plan: one per person, and a version kept at every save.

Everything the person writes, and the region they chose, is sealed with their own
data key (accounts.sealing) as one JSON document per row, opened by the readers in
safety.selectors into PlanContent. Only the timestamps, the version numbers and the
site's own reason for a version stay in clear.

Without an account the plan is never stored: the form is posted, printed and forgotten
(safety.views).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, fields
from typing import Any, Self

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.fields import SealedTextField
from core.ownership import OwnedQuerySet
from core.versions import reason_label

from .sections import TEXT_FIELDS


@dataclass(frozen=True)
class PlanContent:
    """A whole safety plan as plain values: what a save writes and a version keeps."""

    region: str = ""
    warning_signs: str = ""
    calm: str = ""
    safe_spots: str = ""
    people: str = ""
    places: str = ""
    hotlines: str = ""
    services: str = ""
    documents: str = ""
    bag: str = ""
    money: str = ""
    code_word: str = ""
    phone: str = ""
    hard_signs: str = ""
    hard_steps: str = ""
    reasons: str = ""
    safer_space: str = ""

    def text(self, name: str) -> str:
        value: str = getattr(self, name)
        return value

    def is_blank(self) -> bool:
        return not any(self.text(name).strip() for name in TEXT_FIELDS)

    def to_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        known = {f.name for f in fields(cls)}
        return cls(**{key: str(value) for key, value in data.items() if key in known})

    @classmethod
    def from_json(cls, text: str) -> Self:
        return cls.from_dict(json.loads(text))


# Every name PlanContent holds as text, in the order the plan shows them.
assert tuple(f.name for f in fields(PlanContent))[1:] == TEXT_FIELDS


class SafetyPlan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan"
    )
    # PlanContent.to_json(), sealed with the owner's data key (accounts.sealing).
    sealed = SealedTextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Safety plan of {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("safety:plan")


class VersionQuerySet(OwnedQuerySet["PlanVersion"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> Self:
        """The versions of *user*'s own plan; nothing for anonymous visitors."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(plan__user=user)


class PlanVersion(models.Model):
    """The whole plan as it stood after one save, sealed as one JSON document."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    # Written by the site ("Created", "Restored version 3"), never by the person: in clear.
    reason = models.CharField(max_length=100)
    # PlanContent.to_json(), sealed with the plan owner's data key.
    sealed = SealedTextField()

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_safety_plan_version"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("safety:version", args=[self.pk])

    @property
    def reason_label(self) -> str:
        return reason_label(self.reason)
