from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from .crypto import decrypt_text, encrypt_text
from .devices import known_device, remember_device


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
    """Store TOTP secrets and recovery-code seeds encrypted, not in clear text.

    allauth's default adapter returns the text unchanged (measured); a copy of
    the database would then be enough to generate a user's codes.
    """

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)
