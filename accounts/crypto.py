"""Server-side encryption keys: the one place that turns DATA_ENCRYPTION_KEYS into ciphers.

DATA_ENCRYPTION_KEYS is a list of Fernet keys, newest first. The newest encrypts;
every key in the list can decrypt, so a new key can be put in front and old data
re-encrypted (`manage.py rotate_keys`) before the old key is dropped.
"""

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = ["InvalidToken", "decrypt_text", "encrypt_text", "rotate_token", "server_cipher"]


@functools.cache
def server_cipher() -> MultiFernet:
    """Return the MultiFernet built from the configured keys (newest first)."""
    keys = getattr(settings, "DATA_ENCRYPTION_KEYS", None) or []
    if not keys:
        raise ImproperlyConfigured("DATA_ENCRYPTION_KEYS is empty: no key to encrypt with.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "DATA_ENCRYPTION_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from error


def encrypt_text(text: str) -> str:
    return server_cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    return server_cipher().decrypt(token.encode("ascii")).decode("utf-8")


def rotate_token(token: str) -> str:
    """Re-encrypt *token* under the newest key (a no-op in meaning, not in bytes)."""
    return server_cipher().rotate(token.encode("ascii")).decode("ascii")


@receiver(setting_changed)
def _forget_cipher(*, setting, **kwargs):
    if setting == "DATA_ENCRYPTION_KEYS":
        server_cipher.cache_clear()
