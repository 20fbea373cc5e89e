from django.core.management import call_command
from django.test import override_settings

from accounts.crypto import decrypt_text, forget_user_keys, user_keys
from accounts.models import User, UserKey
from boundaries.models import Plan
from guides.models import ConversationPlan, ConversationPlanContent, SelfCheck, SelfCheckContent
from guides.services import conversation_plan_save, self_check_create
from tests.factories import PlanFactory
from tests.sealed import conversation_plan_content, plan_content, self_check_content


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


def test_rotation_rewraps_the_key_and_plans_and_self_checks_stay_readable(user, settings):
    old_key, new_key = settings.DATA_ENCRYPTION_KEYS[1], settings.DATA_ENCRYPTION_KEYS[0]
    with override_settings(DATA_ENCRYPTION_KEYS=[old_key]):
        owner = fresh(user)
        plan = conversation_plan_save(
            user=owner, plan=None, content=ConversationPlanContent(feeling="hopeful")
        )
        check = self_check_create(user=owner, content=SelfCheckContent({"q1": 3}, "calm"))
        boundary_plan = PlanFactory(user=owner, title="Evenings")
        sealed_before = ConversationPlan.objects.get(pk=plan.pk).sealed
    forget_user_keys(owner)
    call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ConversationPlan.objects.get(pk=plan.pk).sealed == sealed_before  # rows untouched
    with override_settings(DATA_ENCRYPTION_KEYS=[new_key]):
        owner = fresh(user)
        assert conversation_plan_content(ConversationPlan.objects.get(pk=plan.pk)).feeling == (
            "hopeful"
        )
        assert self_check_content(SelfCheck.objects.get(pk=check.pk)).note == "calm"
        assert plan_content(Plan.objects.get(pk=boundary_plan.pk)).title == "Evenings"
