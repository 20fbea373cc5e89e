"""Rows kept before this change: a device name instead of the user agent, no IP address.

From now on accounts.devices.keep_only_the_label does this as each row is saved.
"""

from django.db import migrations

from accounts.devices import NO_ADDRESS, device_label


def keep_only_device_names(apps, schema_editor):
    UserSession = apps.get_model("usersessions", "UserSession")
    for row in UserSession.objects.only("pk", "user_agent", "ip").iterator():
        UserSession.objects.filter(pk=row.pk).update(
            user_agent=device_label(row.user_agent), ip=NO_ADDRESS
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_userkey"),
        ("usersessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(keep_only_device_names, migrations.RunPython.noop)]
