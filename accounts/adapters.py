from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context, ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from .crypto import decrypt_text, encrypt_text
from .devices import UNKNOWN_DEVICE, device_label, known_device, remember_device


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
        as one this address has used, so its failed tries get their own allowance."""
        response = super().post_login(request, user, **kwargs)
        remember_device(request, response, kwargs.get("email") or user.email)
        return response


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
        """The site as a device's passkey list shows it: its plain name, nothing more.

        Someone else using the same phone or computer may see this list, so it
        says what the sign-in page's title says and no word about what the site
        is for.
        """
        return {
            "id": context.request.get_host().partition(":")[0],
            "name": settings.SITE_NAME,
        }

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
