from django.core.management import call_command
from django.test import override_settings

from accounts.crypto import decrypt_text, user_keys
from accounts.models import User, UserKey
from guides.models import ConversationPlan


def fresh(user):
    """The same person as a new request would see them: no keys cached on the object."""
    return User.objects.get(pk=user.pk)


def test_each_person_gets_one_random_data_key_stored_only_wrapped(user, other_user):
    keys = user_keys(user)
    assert UserKey.objects.count() == 1
    wrapped = UserKey.objects.get(user=user).wrapped
    assert keys.cipher.decrypt(keys.cipher.encrypt(b"x")) == b"x"
    assert len(decrypt_text(wrapped)) == 44  # a Fernet key, readable only with the server keys
    assert user_keys(fresh(user)).index_key == keys.index_key  # the same key the next time
    assert user_keys(other_user).index_key != keys.index_key
    assert UserKey.objects.count() == 2


def test_rotation_also_re_encrypts_every_server_key_field(user, settings):
    old_key, new_key = settings.DATA_ENCRYPTION_KEYS[1], settings.DATA_ENCRYPTION_KEYS[0]
    with override_settings(DATA_ENCRYPTION_KEYS=[old_key]):
        plan = ConversationPlan.objects.create(user=user, feeling="hopeful", situation="")
    call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with override_settings(DATA_ENCRYPTION_KEYS=[new_key]):
        assert ConversationPlan.objects.get(pk=plan.pk).feeling == "hopeful"
