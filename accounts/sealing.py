"""Sealing what a person writes: the one interface every app uses for their text.

All text a person writes (journal entries and drafts, boundary plans and their
versions, conversation plans, self-checks, and every future app) is stored only
sealed under that person's own data key (accounts.crypto.user_keys), never under
the server keys alone. A model keeps the sealed token in a plain text column
(named `sealed` or `sealed_*`); the app's readers turn it into a typed, frozen
value (journal.models.EntryContent, boundaries.models.PlanContent, ...) with
`open_sealed` / `open_sealed_json`, and its services write through `seal` /
`seal_json`. Nothing appears on a model instance after opening.

Rotating the server keys re-wraps each person's data key and leaves these columns
as they are; deleting a person deletes their key with their rows.
"""

from __future__ import annotations

import json
from typing import Any

from .crypto import InvalidToken, UserKeys, user_keys

__all__ = [
    "InvalidToken",
    "UserKeys",
    "open_sealed",
    "open_sealed_json",
    "seal",
    "seal_json",
    "user_keys",
]


def seal(keys: UserKeys, text: str) -> str:
    """Return *text* sealed under the person's data key *keys* (a Fernet token)."""
    return keys.encrypt(text)


def open_sealed(keys: UserKeys, token: str) -> str:
    """Return the text *token* holds; raise InvalidToken if *keys* did not seal it."""
    return keys.decrypt(token)


def seal_json(keys: UserKeys, data: dict[str, Any]) -> str:
    """Seal *data* (JSON-serialisable) as one token: one column holds a row's fields."""
    return seal(keys, json.dumps(data, ensure_ascii=False, sort_keys=True))


def open_sealed_json(keys: UserKeys, token: str) -> Any:
    """Return the JSON value sealed in *token* by seal_json."""
    return json.loads(open_sealed(keys, token))


def keys_in_migration(user_key_model: Any, user_id: int) -> UserKeys:
    """Return a person's data keys inside a data migration, making their key if need be.

    Uses the migration's historical UserKey model and bypasses user_keys()'s
    process cache, so a migration never depends on today's models.
    """
    from cryptography.fernet import Fernet

    from .crypto import decrypt_text, encrypt_text

    wrapped = (
        user_key_model.objects.filter(user_id=user_id).values_list("wrapped", flat=True).first()
    )
    if wrapped is None:
        wrapped = encrypt_text(Fernet.generate_key().decode("ascii"))
        user_key_model.objects.create(user_id=user_id, wrapped=wrapped)
    return UserKeys.from_data_key(decrypt_text(wrapped).encode("ascii"))
