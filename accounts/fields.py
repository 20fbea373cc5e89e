import base64
import binascii

from django.core.exceptions import ValidationError
from django.db import models

from .crypto import InvalidToken, decrypt_text, encrypt_text

# Marks the sealed form of a value in a serialisation (dumpdata, fixtures). Every
# non-empty value is written with it, so a value read back with it is always a token.
SEALED_PREFIX = "sealed:"


class EncryptedTextField(models.TextField):
    """Text stored encrypted under the server keys (accounts.crypto); plain text in Python.

    Kept for the migrations that wrote boundary plans, conversation plans and
    self-checks this way before they were sealed with each person's own key
    (boundaries 0002, guides 0003). What a person writes uses SealedTextField.
    The value is opaque to the database, so it cannot be filtered or searched
    there, only read back.

    Serialised (dumpdata, fixtures) it stays sealed: "sealed:" and a Fernet token.
    Deserialising (loaddata) opens such a value, so the row is sealed again under
    the newest key on save and a dump loads back exactly. Only deserialisation
    opens tokens: a form or model validation (clean) and a save take any text as
    text, so nobody can have the site decrypt a token by typing it into a form.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        # Field's, not TextField's: TextField's calls to_python, which opens tokens.
        value = models.Field.get_prep_value(self, value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        if value is None or value == "":
            return value
        return SEALED_PREFIX + encrypt_text(str(value))

    def to_python(self, value):
        """Open a serialised value ("sealed:<token>"); other text is taken as it is."""
        if isinstance(value, str) and value.startswith(SEALED_PREFIX):
            try:
                return decrypt_text(value.removeprefix(SEALED_PREFIX))
            except (InvalidToken, UnicodeError) as error:
                raise ValidationError(
                    "%(field)s holds a sealed value that none of DATA_ENCRYPTION_KEYS opens.",
                    code="invalid",
                    params={"field": self.name},
                ) from error
        return super().to_python(value)

    def clean(self, value, model_instance):
        """Validate *value* as what a person typed: never open it as a token."""
        value = super().to_python(value)
        self.validate(value, model_instance)
        self.run_validators(value)
        return value


class SealedTextField(models.TextField):
    """Text sealed with its owner's own data key (accounts.sealing): a Fernet token.

    Every column holding what a person writes is one of these. The database, a
    dump and a fixture only ever see the token; the owning app's readers open it
    with the owner's keys into a typed value. Loading a fixture (or validating a
    model) refuses a value that is not a token, naming the field, so plain text
    cannot end up stored where sealed text belongs.
    """

    description = "Text sealed with its owner's data key"

    def to_python(self, value):
        value = super().to_python(value)
        if value and not looks_sealed(value):
            raise ValidationError(
                "%(field)s must hold text sealed with its owner's data key, not plain text.",
                code="invalid",
                params={"field": self.name},
            )
        return value


def looks_sealed(value: str) -> bool:
    """Whether *value* has the shape of a Fernet token (version byte, time, IV, HMAC)."""
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii"))
    except (binascii.Error, UnicodeError, ValueError):
        return False
    return len(raw) >= 57 and raw[0] == 0x80
