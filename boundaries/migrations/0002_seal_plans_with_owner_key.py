"""Seal boundary plans with each owner's own data key instead of the server keys.

Plans, their boundaries and versions were EncryptedTextField columns (server
keys). Each row's text is read (the old field decrypts it), sealed as one JSON
document under the owner's data key (accounts.sealing) into `sealed`, and the
old columns are dropped. Reversible: going back opens `sealed` and writes the
old columns again.
"""

import json

from django.db import migrations, models

import accounts.fields
from accounts.sealing import keys_in_migration, open_sealed, open_sealed_json, seal, seal_json

TEXT_FIELDS = ("need", "action", "say", "if_crossed", "support")


def _owner_keys(apps):
    UserKey = apps.get_model("accounts", "UserKey")
    kept = {}

    def keys(user_id):
        if user_id not in kept:
            kept[user_id] = keys_in_migration(UserKey, user_id)
        return kept[user_id]

    return keys


def seal_under_owner_keys(apps, schema_editor):
    Plan = apps.get_model("boundaries", "Plan")
    Boundary = apps.get_model("boundaries", "Boundary")
    PlanVersion = apps.get_model("boundaries", "PlanVersion")
    keys = _owner_keys(apps)
    owners = dict(Plan.objects.values_list("pk", "user_id"))
    # update(), not save(): updated_at (auto_now) must not move, nothing was edited.
    for plan in Plan.objects.only("pk", "user_id", "title", "why").iterator():
        sealed = seal_json(keys(plan.user_id), {"title": plan.title, "why": plan.why})
        Plan.objects.filter(pk=plan.pk).update(sealed=sealed)
    for boundary in Boundary.objects.only("pk", "plan_id", *TEXT_FIELDS).iterator():
        texts = {name: getattr(boundary, name) for name in TEXT_FIELDS}
        sealed = seal_json(keys(owners[boundary.plan_id]), texts)
        Boundary.objects.filter(pk=boundary.pk).update(sealed=sealed)
    for version in PlanVersion.objects.only("pk", "plan_id", "snapshot").iterator():
        sealed = seal(keys(owners[version.plan_id]), version.snapshot)
        PlanVersion.objects.filter(pk=version.pk).update(sealed=sealed)


def open_to_server_keys(apps, schema_editor):
    Plan = apps.get_model("boundaries", "Plan")
    Boundary = apps.get_model("boundaries", "Boundary")
    PlanVersion = apps.get_model("boundaries", "PlanVersion")
    keys = _owner_keys(apps)
    owners = dict(Plan.objects.values_list("pk", "user_id"))
    for plan in Plan.objects.only("pk", "user_id", "sealed").iterator():
        head = open_sealed_json(keys(plan.user_id), plan.sealed)
        Plan.objects.filter(pk=plan.pk).update(title=head["title"], why=head.get("why", ""))
    for boundary in Boundary.objects.only("pk", "plan_id", "sealed").iterator():
        texts = open_sealed_json(keys(owners[boundary.plan_id]), boundary.sealed)
        Boundary.objects.filter(pk=boundary.pk).update(
            **{name: texts.get(name, "") for name in TEXT_FIELDS}
        )
    for version in PlanVersion.objects.only("pk", "plan_id", "sealed").iterator():
        snapshot = open_sealed(keys(owners[version.plan_id]), version.sealed)
        json.loads(snapshot)  # a sealed version is always a PlanContent JSON document
        PlanVersion.objects.filter(pk=version.pk).update(snapshot=snapshot)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_userkey"),
        ("boundaries", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="sealed",
            field=accounts.fields.SealedTextField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="boundary",
            name="sealed",
            field=accounts.fields.SealedTextField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="planversion",
            name="sealed",
            field=accounts.fields.SealedTextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(seal_under_owner_keys, open_to_server_keys, elidable=False),
        # blank=True only for the way back: re-adding a dropped NOT NULL column fills it
        # with "" (then the data is written back) rather than NULL.
        migrations.AlterField(
            model_name="plan", name="title", field=accounts.fields.EncryptedTextField(blank=True)
        ),
        migrations.AlterField(
            model_name="planversion",
            name="snapshot",
            field=accounts.fields.EncryptedTextField(blank=True),
        ),
        migrations.RemoveField(model_name="plan", name="title"),
        migrations.RemoveField(model_name="plan", name="why"),
        migrations.RemoveField(model_name="boundary", name="need"),
        migrations.RemoveField(model_name="boundary", name="action"),
        migrations.RemoveField(model_name="boundary", name="say"),
        migrations.RemoveField(model_name="boundary", name="if_crossed"),
        migrations.RemoveField(model_name="boundary", name="support"),
        migrations.RemoveField(model_name="planversion", name="snapshot"),
    ]
