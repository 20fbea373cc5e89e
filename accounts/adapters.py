from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from .crypto import decrypt_text, encrypt_text


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account adapter with the site's own wording."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "That email address and password don't match an account. "
            "Check both, or reset your password."
        ),
    }


class MFAAdapter(DefaultMFAAdapter):
    """Store TOTP secrets and recovery-code seeds encrypted, not in clear text.

    allauth's default adapter returns the text unchanged (measured); a copy of
    the database would then be enough to generate a user's codes.
    """

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)
