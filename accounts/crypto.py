"""Encryption keys: the one place that turns DATA_ENCRYPTION_KEYS into ciphers.

DATA_ENCRYPTION_KEYS is a list of Fernet keys, newest first. The newest encrypts;
every key in the list can decrypt, so a new key can be put in front and old data
re-encrypted (`manage.py rotate_keys`) before the old key is dropped.

Journal text is encrypted one level down (envelope encryption): each person has
their own random data key (accounts.models.UserKey), stored only wrapped under
the server keys. Rotating the server keys re-wraps those keys and leaves the
journal rows as they are.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import IntegrityError, transaction
from django.dispatch import receiver

__all__ = [
    "InvalidToken",
    "UserKeys",
    "decrypt_text",
    "encrypt_text",
    "rotate_token",
    "server_cipher",
    "user_keys",
]


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
        _kept.clear()


# --- Per-user data keys ---------------------------------------------------------------

INDEX_KEY_INFO = b"common-ground journal search index v1"


@dataclass(frozen=True)
class UserKeys:
    """One person's unwrapped data key: encrypts their text and keys their search index."""

    cipher: Fernet
    index_key: bytes

    @classmethod
    def from_data_key(cls, data_key: bytes) -> UserKeys:
        # The index key is derived, not stored: it changes only if the data key does.
        index_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=INDEX_KEY_INFO
        ).derive(base64.urlsafe_b64decode(data_key))
        return cls(cipher=Fernet(data_key), index_key=index_key)

    def encrypt(self, text: str) -> str:
        return self.cipher.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        return self.cipher.decrypt(token.encode("ascii")).decode("utf-8")

    def index_token(self, term: str) -> int:
        """A keyed, one-way stand-in for *term*: the first 64 bits of its HMAC-SHA256.

        Equal terms give equal tokens for the same person, so search is an exact
        match on an indexed integer; without the key, a token says nothing about
        the word. 64 bits keep the index small; a false match is about 1 in 10^19.
        """
        digest = hmac.new(self.index_key, term.encode("utf-8"), hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "big", signed=True)


def user_keys(user) -> UserKeys:
    """Return *user*'s data keys, creating their data key on first use.

    Unwrapped keys stay in this process (up to KEYS_KEPT people), so a journal
    request costs no key query. That changes nothing about what encryption at
    rest protects: a process that can unwrap every key holds the server keys
    anyway. A data key never changes once made (rotation re-wraps it); the cache
    is keyed by when the account was made as well as its id, so an id used again
    by a new account cannot pick up an old key; and a key is kept only once it
    has been read back from the database, never straight after it is made (a
    transaction around that could still be rolled back).
    """
    cache_key = (user.pk, user.date_joined)
    keys = _kept.get(cache_key)
    if keys is not None:
        return keys
    from .models import UserKey

    wrapped = UserKey.objects.filter(user_id=user.pk).values_list("wrapped", flat=True).first()
    if wrapped is None:
        try:
            with transaction.atomic():
                key = UserKey.objects.create(user_id=user.pk, wrapped=encrypt_text(_new_key()))
        except IntegrityError:  # another request made it first
            return user_keys(user)
        return UserKeys.from_data_key(decrypt_text(key.wrapped).encode("ascii"))
    keys = UserKeys.from_data_key(decrypt_text(wrapped).encode("ascii"))
    if len(_kept) >= KEYS_KEPT:
        _kept.clear()
    _kept[cache_key] = keys
    return keys


KEYS_KEPT = 2048
_kept: dict[tuple, UserKeys] = {}


def _new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def forget_user_keys(user) -> None:
    """Drop *user*'s unwrapped key from this process (their account is being deleted)."""
    _kept.pop((user.pk, user.date_joined), None)
