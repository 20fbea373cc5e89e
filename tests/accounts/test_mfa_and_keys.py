import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.test import override_settings

from accounts.crypto import decrypt_text, encrypt_text


def test_totp_secrets_are_stored_encrypted(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert stored != secret
    assert secret not in json.dumps(Authenticator.objects.values_list("data", flat=True)[0])
    assert decrypt_text(stored) == secret


def test_recovery_code_seeds_are_stored_encrypted_and_still_work(user):
    codes = RecoveryCodes.activate(user)
    instance = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    seed = instance.data["seed"]
    assert len(decrypt_text(seed)) == 80  # 40 random bytes in hex
    assert seed != decrypt_text(seed)
    assert RecoveryCodes(instance).validate_code(codes.generate_codes()[0])


def test_rotating_keys_re_encrypts_mfa_secrets_under_the_newest_key(user, settings):
    old_key, new_key = settings.DATA_ENCRYPTION_KEYS[1], settings.DATA_ENCRYPTION_KEYS[0]
    secret = generate_totp_secret()
    with override_settings(DATA_ENCRYPTION_KEYS=[old_key]):
        TOTP.activate(user, secret)
    call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    stored = Authenticator.objects.get(user=user).data["secret"]
    with override_settings(DATA_ENCRYPTION_KEYS=[new_key]):
        assert decrypt_text(stored) == secret  # readable without the old key


def test_a_missing_key_stops_encryption_with_a_clear_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.DATA_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="DATA_ENCRYPTION_KEYS"):
        encrypt_text("x")
