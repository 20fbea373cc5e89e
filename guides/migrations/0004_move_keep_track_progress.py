"""Second edition (issue 16): "Keep a record of what you try" (alternatives-to-try-together/
keep-track) is folded into "Start smaller than a therapist's office" (.../smaller-steps).

A reader who had marked the old step as done keeps that mark on the step it became: the
mark moves, or is dropped where they had marked the new step too (one mark per step).
The mapping is written out here, not read from guides/content/moved.yaml, so this
migration does the same thing whatever that file holds later.
"""

from django.db import migrations

MOVED = {
    "alternatives-to-try-together/keep-track": "alternatives-to-try-together/smaller-steps",
}


def move_marks(apps, schema_editor):
    StepProgress = apps.get_model("guides", "StepProgress")
    for old, new in MOVED.items():
        already = StepProgress.objects.filter(step_key=new).values("user_id")
        StepProgress.objects.filter(step_key=old, user_id__in=already).delete()
        StepProgress.objects.filter(step_key=old).update(step_key=new)


class Migration(migrations.Migration):
    dependencies = [("guides", "0003_seal_with_owner_key")]

    operations = [migrations.RunPython(move_marks, migrations.RunPython.noop)]
