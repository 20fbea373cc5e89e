"""Entries indexed with the journal's old stemmer are found again after `migrate`: the
migration that came with the shared stemmer (core.text.stem) rebuilds everyone's tokens."""

import re

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.crypto import user_keys
from core.text import normalise
from journal.models import EntryToken
from journal.selectors import EntryFilters, filtered_entries

BEFORE = [("journal", "0004_tried_things")]
AFTER = [("journal", "0005_reindex_with_one_stemmer")]


def old_words(text):
    """The journal's words before the shared stemmer: plurals folded (Porter's step 1a) only."""
    found = []
    for word in re.findall(r"[^\W_]+(?:'[^\W_]+)*", normalise(text)):
        word = word.removesuffix("'s").replace("'", "")
        if word.endswith("sses") or (word.endswith("ies") and len(word) > 4):
            word = word[:-2]
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
        found.append(word)
    return found


def found(user, query):
    return list(filtered_entries(user, EntryFilters(query=query)))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_an_entry_indexed_with_the_old_stems_is_found_after_migrate(transactional_db, user, write):
    entry = write(user, title="Sunday", body="We talked about my boundaries.", tags=["home"])
    keys = user_keys(user)
    # As the old code indexed it: "talked" and "boundari", where a search now asks for
    # "talk" and "boundar".
    EntryToken.objects.filter(entry=entry).delete()
    old_terms = {f"w:{word}" for word in old_words("Sunday\nWe talked about my boundaries.")}
    EntryToken.objects.bulk_create(
        EntryToken(entry=entry, token=keys.index_token(term)) for term in old_terms
    )
    assert found(user, "boundaries") == [] and found(user, "talked") == []

    migrate(BEFORE)
    migrate(AFTER)

    for query in ("boundaries", "boundary", "talked", "talking", "Sunday"):
        assert found(user, query) == [entry], query
    assert [e.pk for e in filtered_entries(user, EntryFilters(tag="home"))] == [entry.pk]
    tokens = sorted(EntryToken.objects.filter(entry=entry).values_list("token", flat=True))
    migrate(BEFORE)  # run again, the migration writes the same tokens
    migrate(AFTER)
    assert sorted(EntryToken.objects.filter(entry=entry).values_list("token", flat=True)) == tokens
    call_command("migrate", verbosity=0)  # leave the database as the rest of the suite expects
