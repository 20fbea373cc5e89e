from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.crypto import rotate_token
from accounts.models import UserKey

# Fields of Authenticator.data that hold text encrypted with the server keys.
ENCRYPTED_MFA_FIELDS = ("secret", "seed")


class Command(BaseCommand):
    help = (
        "Re-encrypt everything stored under DATA_ENCRYPTION_KEYS with the newest key: "
        "MFA secrets and each person's data key (re-wrapped; what people write is sealed "
        "with their data key (accounts.sealing) and needs no change). Put the new key "
        "first in DATA_ENCRYPTION_KEYS, run this, then drop the old key."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            mfa = self._rotate_mfa()
            user_keys = self._rewrap_user_keys()
        self.stdout.write(
            f"Re-encrypted under the newest key: {mfa} MFA authenticator(s), "
            f"{user_keys} personal data key(s)."
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

    def _rewrap_user_keys(self) -> int:
        rotated = 0
        for key in UserKey.objects.select_for_update().iterator():
            key.wrapped = rotate_token(key.wrapped)
            key.save(update_fields=["wrapped"])
            rotated += 1
        return rotated
