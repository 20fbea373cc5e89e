"""Carry a signed-out reader's "Mark as done" through sign-in and sign-up."""

from allauth.account.signals import user_signed_up
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils.translation import gettext

from .content import site_content
from .models import StepProgress

# The 'guide/step' key a signed-out reader asked to mark as done, kept in their session
# (only in this sitting) until they sign in: by password, or by confirming a new account.
PENDING_STEP_DONE = "pending_step_done"


def _pending_step(request):
    key = request.session.get(PENDING_STEP_DONE) if hasattr(request, "session") else None
    if not isinstance(key, str) or key not in site_content().step_keys:
        return None
    guide_slug, step_slug = key.split("/")
    return site_content().guide(guide_slug).step(step_slug)


def _mark(user, step) -> None:
    try:
        with transaction.atomic():
            StepProgress.objects.create(user=user, step_key=step.key)
    except IntegrityError:
        pass  # Done already, from another device or at sign-up.


@receiver(user_signed_up, dispatch_uid="guides_mark_pending_step_at_sign_up")
def mark_pending_step_at_sign_up(sender, request, user, **kwargs) -> None:
    """Mark it on the new account straight away: the confirmation link may be opened in
    another browser (a phone's mail app), where this session is not."""
    if request is not None and (step := _pending_step(request)):
        _mark(user, step)


@receiver(user_logged_in, dispatch_uid="guides_mark_pending_step_done")
def mark_pending_step_done(sender, request, user, **kwargs) -> None:
    if request is None or not (step := _pending_step(request)):
        return
    request.session.pop(PENDING_STEP_DONE, None)
    _mark(user, step)
    messages.success(
        request, gettext("“%(step)s” is marked as done, as you asked.") % {"step": step.title}
    )
