import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext

from accounts.fields import EncryptedTextField
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


class ConversationPlan(models.Model):
    """The conversation planner from 'Open the conversation': private, encrypted at rest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_plans"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The I-statement: I feel … when … because … What I would like is …
    feeling = EncryptedTextField(blank=True)
    situation = EncryptedTextField(blank=True)
    reason = EncryptedTextField(blank=True)
    request = EncryptedTextField(blank=True)
    when_where = EncryptedTextField(blank=True)
    opening_line = EncryptedTextField(blank=True)
    questions = EncryptedTextField(blank=True)
    if_it_goes_badly = EncryptedTextField(blank=True)
    # Afterwards.
    what_happened = EncryptedTextField(blank=True)
    what_i_felt = EncryptedTextField(blank=True)
    what_next = EncryptedTextField(blank=True)
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


class SelfCheck(models.Model):
    """One sitting of the reevaluation self-check: the answers, kept so they can be compared."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_checks"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # JSON of {question_id: answer 1-5}, encrypted: the answers are as private as a journal.
    answers_json = EncryptedTextField()
    note = EncryptedTextField(blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Self-check of {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("guides:self-check-detail", args=[self.pk])
