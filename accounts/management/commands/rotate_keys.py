from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.crypto import rotate_token
from accounts.fields import EncryptedTextField
from accounts.models import UserKey

# Fields of Authenticator.data that hold text encrypted with the server keys.
ENCRYPTED_MFA_FIELDS = ("secret", "seed")


class Command(BaseCommand):
    help = (
        "Re-encrypt everything stored under DATA_ENCRYPTION_KEYS with the newest key: "
        "MFA secrets, every EncryptedTextField, and each person's journal data key "
        "(re-wrapped; journal entries themselves need no change). Put the new key first "
        "in DATA_ENCRYPTION_KEYS, run this, then drop the old key."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            mfa = self._rotate_mfa()
            fields = self._rotate_encrypted_fields()
            user_keys = self._rewrap_user_keys()
        self.stdout.write(
            f"Re-encrypted under the newest key: {mfa} MFA authenticator(s), "
            f"{fields} row(s) with encrypted fields, {user_keys} journal data key(s)."
        )

    def _rotate_mfa(self) -> int:
        rotated = 0
        for authenticator in Authenticator.objects.select_for_update().iterator():
            data = dict(authenticator.data)
            changed = False
            for field in ENCRYPTED_MFA_FIELDS:
                if field in data:
                    data[field] = rotate_token(data[field])
                    changed = True
            if changed:
                authenticator.data = data
                authenticator.save(update_fields=["data"])
                rotated += 1
        return rotated

    def _rotate_encrypted_fields(self) -> int:
        """Read every EncryptedTextField (decrypting with any key) and write it back (newest key).

        update() goes through the field's get_prep_value, which encrypts with the
        newest key; it skips save() signals and auto_now, so nothing looks edited.
        """
        rotated = 0
        for model in apps.get_models():
            names = [
                field.name
                for field in model._meta.concrete_fields
                if isinstance(field, EncryptedTextField)
            ]
            if not names:
                continue
            manager = model._base_manager
            # Read every row first: SQLite does not isolate a cursor from writes to its table.
            for row in list(manager.select_for_update().values("pk", *names)):
                pk = row.pop("pk")
                manager.filter(pk=pk).update(**row)
                rotated += 1
        return rotated

    def _rewrap_user_keys(self) -> int:
        rotated = 0
        for key in UserKey.objects.select_for_update().iterator():
            key.wrapped = rotate_token(key.wrapped)
            key.save(update_fields=["wrapped"])
            rotated += 1
        return rotated
