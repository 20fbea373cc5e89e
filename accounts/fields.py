from django.db import models

from .crypto import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """Text stored encrypted under the server keys (accounts.crypto); plain text in Python.

    Used for what people write outside the journal (conversation plans, self-check
    answers). The value is opaque to the database, so it cannot be filtered or
    searched there, only read back.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)
