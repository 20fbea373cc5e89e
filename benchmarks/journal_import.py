"""Importing a journal: today's path against the one it replaced, side by side in one run.

Each size is imported twice for two fresh people, once through the path as it was
before issue 17 (kept here only, for this comparison: Markdown rendered one text
after another in one child with a new converter each time, every search token a
model instance written by bulk_create) and once through journal.services.entries_import
(two children that render, seal and index at once, every entry and token written by
one executemany each). The rows are those of benchmarks/journal.py: about 200 words
an entry, from a 3,000-word vocabulary, as prose is. Figures are wall-clock seconds
and milliseconds per entry, and the CPU time used (this process and its children, per
entry), which other work on the machine does not inflate.

    .venv/bin/python -m benchmarks.journal_import [--sizes 1000 10000]
        [--database-url postgres://user:pass@127.0.0.1:5432/name]

SQLite is a file of its own in WAL mode with the production options; with
--database-url the tables are migrated into that (empty, throwaway) database and the
benchmark's people are deleted at the end.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import resource
import sys
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast
from unittest import mock

WORKDIR = Path(tempfile.mkdtemp(prefix="journal-import-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def _database_url() -> str | None:
    if "--database-url" in sys.argv:
        return sys.argv[sys.argv.index("--database-url") + 1]
    return None


os.environ["DATABASE_URL"] = _database_url() or f"sqlite:///{WORKDIR / 'import.sqlite3'}"

import django  # noqa: E402

django.setup()

import markdown  # noqa: E402
import nh3  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.crypto import user_keys  # noqa: E402
from accounts.models import User  # noqa: E402
from config.settings.base import SQLITE_OPTIONS  # noqa: E402
from core import markdown as site_markdown  # noqa: E402
from core import sandbox  # noqa: E402
from core import text as folding  # noqa: E402
from journal import index  # noqa: E402
from journal.exports import ImportRow  # noqa: E402
from journal.models import EntryToken, JournalEntry  # noqa: E402
from journal.services import entries_import  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

from .journal import entry_rows, vocabulary  # noqa: E402

# --- The path before issue 17, as it was (journal.services and core.markdown) ----------


def _old_normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    without = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folding.straight_apostrophes(without.casefold())


def _old_to_safe_html(text: str) -> str:
    html = markdown.markdown(
        text,
        extensions=site_markdown.EXTENSIONS,
        extension_configs=site_markdown.EXTENSION_CONFIGS,
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=site_markdown.ALLOWED_TAGS,
        attributes=site_markdown.ALLOWED_ATTRIBUTES,
        url_schemes={"https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
        url_relative="deny",
    )


def _old_render_child(texts: Sequence[str], send: sandbox.Send) -> None:
    for text in texts:
        send(_old_to_safe_html(text).encode("utf-8"))


def _old_render(texts: Sequence[str]) -> list[str]:
    """One child renders the batch, each text waited for within the time limit, as before."""
    done = []
    work = functools.partial(_old_render_child, texts)
    with sandbox.forked(work, prefix="markdown-render-") as child:
        for _ in texts:
            html = child.receive(site_markdown.TIME_LIMIT)
            assert html is not None
            done.append(html.decode("utf-8"))
    return done


def old_entries_import(*, user, rows: Sequence[ImportRow]) -> int:
    keys = user_keys(user)
    wanted = [row.id for row in rows if row.id is not None]
    mine = set(
        JournalEntry.objects.for_user(user).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    rows = [row for row in rows if row.id not in mine]
    rendered = _old_render([row.content.body for row in rows])
    entries = []
    for row, html in zip(rows, rendered, strict=True):
        entry = JournalEntry(
            id=row.id or uuid.uuid4(),
            user=user,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        entry.seal(keys, content=row.content, html=html)
        entries.append(entry)

    def tokens_of(content) -> list[int]:
        terms = index.entry_terms(
            title=content.title,
            body=content.body,
            tags=content.tags,
            mood=content.mood,
            step_key=content.step_key,
        )
        return index.tokens(keys, terms)

    with transaction.atomic():
        JournalEntry.objects.bulk_create(entries, batch_size=500)
        EntryToken.objects.bulk_create(
            (
                EntryToken(entry=entry, token=token)
                for entry, row in zip(entries, rows, strict=True)
                for token in tokens_of(row.content)
            ),
            batch_size=2000,
        )
    return len(entries)


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock seconds of *work*, and the CPU seconds it used here and in its children
    (user and system): the second does not grow when other work shares the machine."""
    before = _cpu()
    started = time.perf_counter()
    work()
    return time.perf_counter() - started, _cpu() - before


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--database-url", help="a throwaway PostgreSQL database")
    args = parser.parse_args()

    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    call_command("migrate", verbosity=0)
    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    words = vocabulary()
    people = []
    print(f"Importing on {database} ({os.cpu_count()} cores), old path then new, per size:")
    print(
        f"{'entries':>8} {'old s':>7} {'old ms/e':>9} {'cpu ms/e':>9} "
        f"{'new s':>7} {'new ms/e':>9} {'cpu ms/e':>9} {'faster':>7}"
    )
    try:
        for size in args.sizes:
            rows = entry_rows(size, random.Random(size), words)
            old_person, new_person = cast(User, UserFactory()), cast(User, UserFactory())
            people += [old_person, new_person]
            user_keys(old_person), user_keys(new_person)
            with mock.patch.object(folding, "normalise", _old_normalise):
                old, old_cpu = timed(lambda: old_entries_import(user=old_person, rows=rows))  # noqa: B023
            new, new_cpu = timed(lambda: entries_import(user=new_person, rows=rows))  # noqa: B023
            for person in (old_person, new_person):
                assert JournalEntry.objects.filter(user=person).count() == size
            assert EntryToken.objects.filter(entry__user=old_person).count() == (
                EntryToken.objects.filter(entry__user=new_person).count()
            )
            print(
                f"{size:>8,} {old:>7.1f} {old / size * 1000:>9.2f} {old_cpu / size * 1000:>9.2f} "
                f"{new:>7.1f} {new / size * 1000:>9.2f} {new_cpu / size * 1000:>9.2f} "
                f"{old / new:>6.1f}x",
                flush=True,
            )
    finally:
        for person in people:
            person.delete()


if __name__ == "__main__":
    main()
