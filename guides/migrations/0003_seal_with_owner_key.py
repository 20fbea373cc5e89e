"""Seal conversation plans and self-checks with each owner's own data key.

Their text was in EncryptedTextField columns (server keys). Each row's fields are
read (the old field decrypts them), sealed as one JSON document under the
owner's data key (accounts.sealing) into `sealed`, and the old columns are
dropped. Reversible: going back opens `sealed` and writes the old columns again.
"""

import json

from django.db import migrations, models

import accounts.fields
from accounts.sealing import keys_in_migration, open_sealed_json, seal_json

PLAN_FIELDS = (
    "feeling",
    "situation",
    "reason",
    "request",
    "when_where",
    "opening_line",
    "questions",
    "if_it_goes_badly",
    "what_happened",
    "what_i_felt",
    "what_next",
)


def _owner_keys(apps):
    UserKey = apps.get_model("accounts", "UserKey")
    kept = {}

    def keys(user_id):
        if user_id not in kept:
            kept[user_id] = keys_in_migration(UserKey, user_id)
        return kept[user_id]

    return keys


def seal_under_owner_keys(apps, schema_editor):
    ConversationPlan = apps.get_model("guides", "ConversationPlan")
    SelfCheck = apps.get_model("guides", "SelfCheck")
    keys = _owner_keys(apps)
    # update(), not save(): updated_at (auto_now) must not move, nothing was edited.
    for plan in ConversationPlan.objects.only("pk", "user_id", *PLAN_FIELDS).iterator():
        texts = {name: getattr(plan, name) for name in PLAN_FIELDS}
        ConversationPlan.objects.filter(pk=plan.pk).update(
            sealed=seal_json(keys(plan.user_id), texts)
        )
    for check in SelfCheck.objects.only("pk", "user_id", "answers_json", "note").iterator():
        data = {"answers": json.loads(check.answers_json), "note": check.note}
        SelfCheck.objects.filter(pk=check.pk).update(sealed=seal_json(keys(check.user_id), data))


def open_to_server_keys(apps, schema_editor):
    ConversationPlan = apps.get_model("guides", "ConversationPlan")
    SelfCheck = apps.get_model("guides", "SelfCheck")
    keys = _owner_keys(apps)
    for plan in ConversationPlan.objects.only("pk", "user_id", "sealed").iterator():
        texts = open_sealed_json(keys(plan.user_id), plan.sealed)
        ConversationPlan.objects.filter(pk=plan.pk).update(
            **{name: texts.get(name, "") for name in PLAN_FIELDS}
        )
    for check in SelfCheck.objects.only("pk", "user_id", "sealed").iterator():
        data = open_sealed_json(keys(check.user_id), check.sealed)
        SelfCheck.objects.filter(pk=check.pk).update(
            answers_json=json.dumps(data.get("answers", {})), note=data.get("note", "")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_userkey"),
        ("guides", "0002_conversation_plan_journal_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversationplan",
            name="sealed",
            field=accounts.fields.SealedTextField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="selfcheck",
            name="sealed",
            field=accounts.fields.SealedTextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(seal_under_owner_keys, open_to_server_keys, elidable=False),
        # blank=True only for the way back: re-adding a dropped NOT NULL column fills it
        # with "" (then the data is written back) rather than NULL.
        migrations.AlterField(
            model_name="selfcheck",
            name="answers_json",
            field=accounts.fields.EncryptedTextField(blank=True),
        ),
        *(migrations.RemoveField(model_name="conversationplan", name=name) for name in PLAN_FIELDS),
        migrations.RemoveField(model_name="selfcheck", name="answers_json"),
        migrations.RemoveField(model_name="selfcheck", name="note"),
    ]
