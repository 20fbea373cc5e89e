from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.crypto import rotate_token

# Fields of Authenticator.data that hold text encrypted with the server keys.
ENCRYPTED_MFA_FIELDS = ("secret", "seed")


class Command(BaseCommand):
    help = (
        "Re-encrypt everything stored under DATA_ENCRYPTION_KEYS with the newest key. "
        "Put the new key first in DATA_ENCRYPTION_KEYS, run this, then drop the old key."
    )

    def handle(self, *args, **options):
        rotated = 0
        with transaction.atomic():
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
        self.stdout.write(f"Re-encrypted {rotated} MFA authenticator(s) under the newest key.")
