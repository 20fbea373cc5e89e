from django.core.exceptions import ValidationError
from django.db import models

from .crypto import InvalidToken, decrypt_text, encrypt_text

# Marks the sealed form of a value in a serialisation (dumpdata, fixtures). Every
# non-empty value is written with it, so a value read back with it is always a token.
SEALED_PREFIX = "sealed:"


class EncryptedTextField(models.TextField):
    """Text stored encrypted under the server keys (accounts.crypto); plain text in Python.

    Used for what people write outside the journal (boundary plans, conversation
    plans, self-check answers). The value is opaque to the database, so it cannot
    be filtered or searched there, only read back.

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
