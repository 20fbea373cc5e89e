"""How the journal's pages scale: 10, 1,000 and 10,000 entries for one person, side by side.

One SQLite file in WAL mode (the production options), three people in it with 10,
1,000 and 10,000 entries of about 200 words each, written through the import
service (so rendered, sealed and indexed as the site does it). Each request goes
through Django's test client, the whole stack: middleware, session, the view,
decryption, the template. Rounds are interleaved across the three people so they
share this noisy 2-core machine's noise; the figures are medians.

A request's time depends on what ran just before it: straight after a different
page, the CPU's caches hold that page's code and data, and the same request
takes two to three times as long (a view that does nothing: 0.5 to 0.9 ms after
itself, 1.3 to 1.8 ms after a list page). So every request is timed in two
states, the same for all: "warm", straight after the same request, as when one
person's autosaves follow each other; and "cold", straight after walking 24 MB
of unrelated memory, as when a request arrives after other people's pages.

Targets (issue 4): list and entry pages at 10,000 within 1.5x of 10; search at
10,000 within 5x of 10; an autosave under a tenth of a list page (checked warm
and cold; the size checks use the warm figures).

    .venv/bin/python -m benchmarks.journal [--rounds 41]
"""

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

WORKDIR = Path(tempfile.mkdtemp(prefix="journal-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'journal.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from config.settings.base import SQLITE_OPTIONS  # noqa: E402
from journal.exports import ImportRow  # noqa: E402
from journal.models import EntryContent, JournalEntry  # noqa: E402
from journal.services import entries_import  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

SIZES = (10, 1_000, 10_000)
VOCABULARY = 3_000
WORDS_PER_ENTRY = 200
# A word in about 2% of the entries, and a two-word search (both words needed).
SEARCH = "zefta korbin"
FORM_ENCODED = "application/x-www-form-urlencoded"


def vocabulary() -> list[str]:
    syllables = ["ka", "lo", "mi", "ren", "sa", "to", "vel", "ny", "dor", "pa", "gu", "fi"]
    rng = random.Random(1)
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def entry_rows(count: int, rng: random.Random, words: list[str]) -> list[ImportRow]:
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf-like, as prose is
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    for number in range(count):
        chosen = rng.choices(words, weights, k=WORDS_PER_ENTRY)
        if number == 0 or rng.random() < 0.02:  # the first, so every person has a hit
            chosen[rng.randrange(WORDS_PER_ENTRY)] = "zefta"
            chosen[rng.randrange(WORDS_PER_ENTRY)] = "korbin"
        paragraphs = [" ".join(chosen[i : i + 50]).capitalize() + "." for i in range(0, 200, 50)]
        content = EntryContent(
            title=" ".join(chosen[:3]).capitalize(),
            body="\n\n".join(paragraphs),
            entry_date=today - timedelta(days=number),
            mood=number % 5 + 1,
            tags=(chosen[5], chosen[6]),
            prompt="",
            step_key="",
        )
        rows.append(ImportRow(id=None, content=content, created_at=now, updated_at=now))
    return rows


STATES = ("warm", "cold")
UNRELATED = list(range(3_000_000))  # about 24 MB of pointers and 80 MB of ints


def walk_unrelated_memory() -> None:
    """Fill the CPU's caches with something else, as other people's requests would."""
    total = 0
    for number in UNRELATED[::3]:
        total += number


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=41)
    args = parser.parse_args()

    setup_test_environment()
    connection.settings_dict.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)  # as deployed
    call_command("migrate", verbosity=0)
    words = vocabulary()
    rng = random.Random(4)
    people = {}
    print(f"Seeding {sum(SIZES):,} entries in {WORKDIR} ...", flush=True)
    for size in SIZES:
        user = UserFactory()
        rows = entry_rows(size, rng, words)
        started = time.perf_counter()
        entries_import(user=user, rows=rows)
        seconds = time.perf_counter() - started
        per_entry = seconds / size * 1000
        print(f"  imported {size:>6,} entries in {seconds:6.1f} s ({per_entry:.1f} ms each)")
        client = Client()
        client.force_login(user)
        entry = JournalEntry.objects.filter(user=user).order_by("-entry_date")[size // 2]
        draft = client.post("/journal/autosave/", {"body": "A draft", "entry_date": "2026-01-01"})
        people[size] = {
            "client": client,
            "entry": f"/journal/{entry.pk}/",
            "draft": draft.json()["draft"],
            "last_page": f"/journal/?page={(size + 19) // 20}",
        }
    connection.cursor().execute("ANALYZE")

    def search(client, fields):
        client.post("/journal/search/", fields)
        return client.get("/journal/search/")

    def requests(person):
        client = person["client"]
        autosave_form = urlencode(
            {
                "body": "A draft, a little longer",
                "entry_date": "2026-01-01",
                "draft": person["draft"],
            }
        )
        return {
            "list page": lambda: client.get("/journal/"),
            "list, last page": lambda: client.get(person["last_page"]),
            "entry page": lambda: client.get(person["entry"]),
            # The search form is a POST kept in the session; the results page reads it back.
            f"search “{SEARCH}”": lambda: search(client, {"q": SEARCH}),
            "search + tag + mood": lambda: search(client, {"q": "zefta", "mood": "3"}),
            # url-encoded, as static/js/journal.js sends it
            "autosave": lambda: client.post(
                "/journal/autosave/", autosave_form, content_type=FORM_ENCODED
            ),
            # What any signed-in request costs before a view does anything (benchmarks/urls.py).
            "floor: minimal view": lambda: client.post(
                "/bench/minimal/", autosave_form, content_type=FORM_ENCODED
            ),
        }

    names = list(requests(people[SIZES[0]]))
    times = {state: {size: {name: [] for name in names} for size in SIZES} for state in STATES}
    queries = {size: {} for size in SIZES}
    results = {}
    # Every autosave is counted against the write limit as in production, but never refused.
    unlimited = {"write": ((10**9, 60),), "autosave": ((10**9, 60),)}
    with override_settings(
        DEBUG=False, ROOT_URLCONF="benchmarks.urls", WRITE_RATE_LIMITS=unlimited
    ):
        for size in SIZES:  # warm up, then count queries and check every answer
            for name, request in requests(people[size]).items():
                request()
                with CaptureQueriesContext(connection) as captured:
                    response = request()
                assert response.status_code == 200, (size, name, response.status_code)
                queries[size][name] = len(captured.captured_queries)
                if name.startswith("search “"):
                    results[size] = response.text.count('class="entry-card__title"')
        for round_number in range(args.rounds):
            order = SIZES if round_number % 2 == 0 else tuple(reversed(SIZES))
            for name in names:
                for size in order:
                    request = requests(people[size])[name]
                    for state, before in (("warm", request), ("cold", walk_unrelated_memory)):
                        before()
                        started = time.perf_counter()
                        request()
                        times[state][size][name].append(time.perf_counter() - started)

    print()
    print(f"Median of {args.rounds} rounds, ms per request (queries in brackets)")
    for state in STATES:
        report(state, times[state], queries, names)
    found = ", ".join(f"{size:,}: {results[size]} shown" for size in SIZES)
    print(f"Search results on the first page ({found}).")
    print()
    print("Share of a list page, warm / cold:")
    for size in SIZES:
        shares = {
            name: " / ".join(f"{share(times[state], size, name):.3f}" for state in STATES)
            for name in ("autosave", "floor: minimal view")
        }
        print(
            f"  at {size:>6,} entries: autosave {shares['autosave']}"
            f"   (a view that does nothing: {shares['floor: minimal view']})"
        )

    warm = times["warm"]
    largest, smallest = SIZES[-1], SIZES[0]
    checks = {
        "list page within 1.5x": median_ms(warm[largest]["list page"])
        <= 1.5 * median_ms(warm[smallest]["list page"]),
        "entry page within 1.5x": median_ms(warm[largest]["entry page"])
        <= 1.5 * median_ms(warm[smallest]["entry page"]),
        "search within 5x": median_ms(warm[largest][f"search “{SEARCH}”"])
        <= 5 * median_ms(warm[smallest][f"search “{SEARCH}”"]),
    }
    for state in STATES:
        checks[f"autosave under a tenth of a list page, {state}"] = all(
            share(times[state], size, "autosave") < 0.1 for size in SIZES
        )
    print()
    for check, passed in checks.items():
        print(f"{'met' if passed else 'MISSED':>7}  {check}")


def share(times: dict, size: int, name: str) -> float:
    """The time of *name* as a share of the list page's, for the person with *size* entries."""
    return median_ms(times[size][name]) / median_ms(times[size]["list page"])


def report(state: str, times: dict, queries: dict, names: list[str]) -> None:
    width = 22
    print()
    header = f"{state:{width}}" + "".join(f"{f'{size:,} entries':>18}" for size in SIZES)
    print(header + f"{'10,000 / 10':>14}")
    for name in names:
        cells = "".join(
            f"{median_ms(times[size][name]):>12.2f} ({queries[size][name]:>2})" for size in SIZES
        )
        ratio = median_ms(times[SIZES[-1]][name]) / median_ms(times[SIZES[0]][name])
        print(f"{name:{width}}{cells}{ratio:>13.2f}x")
    print()


if __name__ == "__main__":
    main()
