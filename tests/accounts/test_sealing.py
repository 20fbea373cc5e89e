"""The one interface for what a person writes: sealed with their own data key."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.crypto import decrypt_text
from accounts.sealing import (
    InvalidToken,
    open_sealed,
    open_sealed_json,
    seal,
    seal_json,
    user_keys,
)
from journal.models import Draft


def test_what_one_person_seals_opens_only_with_their_key(user, other_user):
    mine = user_keys(user)
    token = seal(mine, "Évenings, “mine” 🌙")
    assert open_sealed(mine, token) == "Évenings, “mine” 🌙"
    with pytest.raises(InvalidToken):
        open_sealed(user_keys(other_user), token)
    with pytest.raises(InvalidToken):
        decrypt_text(token)  # nor with the server keys alone


def test_json_round_trips_exactly(user):
    keys = user_keys(user)
    data = {"title": "  spaced\r\n", "answers": {"q1": 3}, "why": ""}
    assert open_sealed_json(keys, seal_json(keys, data)) == data


def test_plain_text_is_never_stored_where_sealed_text_belongs(user):
    with pytest.raises(ValidationError, match="sealed must hold text sealed"), transaction.atomic():
        Draft.objects.create(user=user, sealed='{"title": "in clear"}')
    assert not Draft.objects.exists()
