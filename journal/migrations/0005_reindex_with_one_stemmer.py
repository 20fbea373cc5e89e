"""Rebuild the journal's search tokens: the journal now stems words as the guide search does.

The journal folded plurals only; core.text.stem now also cuts "-ing", "-ed" and
a final "e" or "y", so "talked" is stored as "talk". Tokens written before hold
the old stems, and a search asks for the new ones: without this, older entries
would silently stop being found. journal.index.reindex_all opens each entry with
its owner's key and writes its tokens again with today's stemmer; it is
idempotent, and the next change to the stemmer adds a migration that calls it
again. Going back leaves the tokens as they are: they match what the code
that runs the reversal searches for.
"""

from django.db import migrations

from journal.index import reindex_all


def reindex(apps, schema_editor):
    reindex_all(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_sessions_keep_device_names"),
        ("journal", "0004_tried_things"),
    ]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
