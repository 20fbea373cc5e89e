from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context, ratelimit
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.html import format_html

from core import discreet

from .crypto import decrypt_text, encrypt_text
from .devices import UNKNOWN_DEVICE, device_label, known_device, remember_device
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account adapter with the site's own wording, and sign-in limits
    that slow down guessing without letting anyone lock a person out.

    allauth counts failed sign-ins per client IP and per address
    (ACCOUNT_RATE_LIMITS["login_failed"]). The per-address count alone would let
    anyone who knows an address keep its owner out, right password or not. So a
    browser that has signed in with an address before (it carries a device
    cookie, accounts.devices) gets its own count for that address, and only
    unknown browsers share the address's count. When that shared count is used
    up, the page says what still works: a sign-in code by email, a password
    reset, or a browser used here before.
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "That email address and password don't match an account. "
            "Check both, or reset your password."
        ),
        "too_many_login_attempts": (
            "Signing in with a password is paused for this address for a few minutes, "
            "after too many tries that didn't match. You can still get a sign-in code "
            "by email, reset your password, or sign in from a browser you've used "
            "here before."
        ),
    }

    def validation_error(self, code, *args) -> ValidationError:
        """The pause message links to the ways in that still work."""
        if code != "too_many_login_attempts" or args:
            return super().validation_error(code, *args)
        message = format_html(
            "Signing in with a password is paused for this address for a few minutes, "
            "after too many tries that didn't match. You can still "
            '<a href="{}">get a sign-in code by email</a>, '
            '<a href="{}">reset your password</a>, '
            "or sign in from a browser you've used here before.",
            reverse("account_request_login_code"),
            reverse("account_reset_password"),
        )
        return ValidationError(message, code=code)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Count failed sign-ins per address, and per device for known browsers."""
        key = super()._get_login_attempts_cache_key(request, **credentials)
        device = known_device(request, credentials.get("email") or "")
        return f"{key}:device:{device}" if device else key

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        """After a password reset, clear the address's shared count as well."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        shared = super()._get_login_attempts_cache_key(request, **credentials)
        ratelimit.clear(request, action="login_failed", key=shared)

    def post_login(self, request, user, **kwargs):
        """A completed sign-in (password, code, passkey, two-factor) marks the browser
        as one this address has used, so its failed tries get their own allowance.

        An account with discreet mode on turns it on in this browser as well, so the
        pages after signing out (or being signed out) keep their plain titles.
        """
        response = super().post_login(request, user, **kwargs)
        remember_device(request, response, kwargs.get("email") or user.email)
        if user.discreet and not discreet.browser_is_discreet(request):
            discreet.remember(response, request, True)
        return response

    # --- Discreet mode (core.discreet) ---------------------------------------------

    def save_user(self, request, user, form, commit=True):
        """Sign-up keeps the "discreet mode" box on the new account."""
        user.discreet = bool(form.cleaned_data.get("discreet"))
        return super().save_user(request, user, form, commit=commit)

    def respond_email_verification_sent(self, request, user):
        """The "check your email" page after sign-up: a browser that chose discreet
        mode on the form keeps it from this page on."""
        response = super().respond_email_verification_sent(request, user)
        if getattr(request, "discreet_chosen", False):
            discreet.remember(response, request, True)
        return response

    def format_email_subject(self, subject: str) -> str:
        """Subjects say what the email is about ("Your sign-in code") and never name
        the site: a subject is what a lock screen or a shared inbox shows first."""
        return force_str(subject)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account email, in discreet mode when the recipient's account or the
        browser asking has it on: the sender's name and the site's name in the text
        read "Notes". (The subjects are plain for everyone: format_email_subject.)"""
        request = context.get("request") or allauth_context.request
        plain = discreet.is_discreet(request) or _account_is_discreet(context.get("user"), email)
        super().send_mail(template_prefix, email, {**context, "discreet": plain})

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.from_email = discreet.sender(bool(context.get("discreet")))
        return message


class MFAAdapter(DefaultMFAAdapter):
    """Two-factor and passkeys in our words, with secrets encrypted at rest.

    allauth's default adapter stores TOTP secrets and recovery-code seeds as they
    are (measured); a copy of the database would then be enough to generate a
    user's codes. It also labels passkeys with the host name ("127.0.0.1:8000")
    and names them "Master key", "Backup key".
    """

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": (
            "Two-step sign-in is on, so a new email address can't be added here. "
            "Turn two-step sign-in off first, then add the address."
        ),
        "cannot_delete_authenticator": "This way of signing in can't be removed.",
        "cannot_generate_recovery_codes": (
            "Recovery codes come with two-step sign-in: add a passkey or an "
            "authenticator app first."
        ),
        "incorrect_code": (
            "That didn't work: the code is wrong or has expired, or the passkey "
            "isn't one saved for this account. Try again."
        ),
        "unverified_email": (
            "Confirm your email address first (we sent you a link), then turn on two-step sign-in."
        ),
    }

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        """The site as a device's passkey list shows it: "Notes", for everyone.

        Someone else using the same phone or computer may see this list, so it
        says no word about what the site is for, discreet mode or not (the
        domain, the passkey's "id", is shown too and cannot change).
        """
        return {
            "id": context.request.get_host().partition(":")[0],
            "name": str(discreet.NEUTRAL_NAME),
        }

    def get_totp_issuer(self) -> str:
        """The name an authenticator app lists the account under, beside the email
        address: "Notes", for everyone.

        The app sits on a phone that others may pick up or check; a person needs
        only to tell our entry from their others, and the setup page tells them
        what it will be called.
        """
        return str(discreet.NEUTRAL_NAME)

    def get_public_key_credential_user_entity(self, user) -> dict:
        """The account as a passkey list shows it: the email address it signs in with."""
        entity = super().get_public_key_credential_user_entity(user)
        entity["display_name"] = entity["name"]
        return entity

    def generate_authenticator_name(self, user, type) -> str:
        """Suggest "Chrome on Android" (the device adding it) as a passkey's name."""
        if type == Authenticator.Type.WEBAUTHN:
            request = context.request
            label = device_label(request.headers.get("User-Agent", "")) if request else ""
            return "Passkey" if label in ("", UNKNOWN_DEVICE) else label
        return super().generate_authenticator_name(user, type)


def _account_is_discreet(user, email: str) -> bool:
    """Whether the account an email is for has discreet mode on (by its user, or by
    its address when the email names no user, as a password reset does)."""
    if user is not None and getattr(user, "pk", None):
        return bool(getattr(user, "discreet", False))
    return User.objects.filter(email__iexact=email, discreet=True).exists()
