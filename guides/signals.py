"""Carry a signed-out reader's "Mark as done" through sign-in and sign-up."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import IntegrityError, transaction
from django.dispatch import receiver

from .content import site_content
from .models import StepProgress

# The 'guide/step' key a signed-out reader asked to mark as done, kept in their session
# (only in this sitting) until they sign in: by password, or by confirming a new account.
PENDING_STEP_DONE = "pending_step_done"


@receiver(user_logged_in, dispatch_uid="guides_mark_pending_step_done")
def mark_pending_step_done(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    key = request.session.pop(PENDING_STEP_DONE, None)
    if not isinstance(key, str) or key not in site_content().step_keys:
        return
    guide_slug, step_slug = key.split("/")
    step = site_content().guide(guide_slug).step(step_slug)
    try:
        with transaction.atomic():
            StepProgress.objects.create(user=user, step_key=key)
    except IntegrityError:
        pass  # Done already, from another device.
    messages.success(request, f"“{step.title}” is marked as done, as you asked.")
