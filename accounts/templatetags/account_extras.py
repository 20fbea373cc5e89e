"""Template helpers for the account pages (allauth's templates, overridden in ours)."""

from allauth.mfa.models import Authenticator
from django import template
from django.conf import settings

from accounts.devices import device_label
from core.discreet import NEUTRAL_NAME

register = template.Library()


@register.filter
def device(user_agent: str) -> str:
    """ "Chrome on Android" for a raw user-agent string."""
    return device_label(user_agent)


@register.simple_tag
def sign_in_steps(user) -> set[str]:
    """The second steps *user* has set up: a subset of {"totp", "webauthn", "recovery_codes"}.

    The sign-in code page names only what the person can actually use.
    """
    if user is None or not getattr(user, "pk", None):
        return set()
    return set(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))


@register.simple_tag
def reauthentication_minutes() -> int:
    """How long a password check holds (ACCOUNT_REAUTHENTICATION_TIMEOUT), in minutes."""
    return settings.ACCOUNT_REAUTHENTICATION_TIMEOUT // 60


@register.simple_tag(takes_context=True)
def site_title(context) -> str:
    """The site's name (SITE_NAME) in emails, or "Notes" in discreet mode (core.discreet)."""
    return str(NEUTRAL_NAME) if context.get("discreet") else settings.SITE_NAME
