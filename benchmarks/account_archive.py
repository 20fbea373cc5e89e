"""How long and how much memory does "Download everything" take to build?

One scenario per run, in a fresh process, so the peak memory figures are this
scenario's own:

- ``--oversized N``: N plans far over the size a plan PDF may have (30 boundaries,
  every field 1,000 one-letter lines: about 150,000 lines each), the shape of the
  outside test's finding.
- ``--plans N``: N ordinary plans (three of the example boundaries each).

Both add a small journal (10 entries). Printed: the wall time of building the
archive and the CPU time it used (with its children's: steadier on a busy
machine), the load average, the parent's peak resident memory, the largest peak of any render child
(RUSAGE_CHILDREN), how many PDFs were made and how many were listed as not made,
and the size of the zip. The cache is cleared first, so every PDF is rendered.

    .venv/bin/python -m benchmarks.account_archive --oversized 3
    .venv/bin/python -m benchmarks.account_archive --plans 50
"""

import argparse
import datetime
import io
import os
import resource
import time
import zipfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from boundaries.examples import EXAMPLES  # noqa: E402
from boundaries.models import BoundaryContent, PlanContent  # noqa: E402
from boundaries.services import plan_create  # noqa: E402
from journal.models import EntryContent  # noqa: E402
from journal.services import entry_create  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from yourdata.archive import account_archive  # noqa: E402


def oversized() -> PlanContent:
    lines = "\n".join("a" * 1000)  # 1,999 characters, 1,000 lines
    boundary = BoundaryContent(need=lines, action=lines, say=lines, if_crossed=lines, support=lines)
    return PlanContent(title="Oversized", why=lines, boundaries=(boundary,) * 30)


def ordinary(number: int) -> PlanContent:
    examples = [example.content() for example in EXAMPLES]
    chosen = tuple(examples[(number + n) % len(examples)] for n in range(3))
    return PlanContent(title=f"Plan {number}", why="Rest, and a calmer week.", boundaries=chosen)


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: steadier than wall time under load."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--oversized", type=int)
    group.add_argument("--plans", type=int)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    user = UserFactory()
    for day in range(10):
        entry_create(
            user=user,
            content=EntryContent(
                title=f"Entry {day}", body="A calmer evening, and a walk. " * 20,
                entry_date=datetime.date(2026, 3, 1 + day), mood=3, tags=(), prompt="",
                step_key="",
            ),
        )  # fmt: skip
    if args.oversized:
        for _ in range(args.oversized):
            plan_create(user=user, content=oversized())
        label = f"{args.oversized} oversized plans"
    else:
        for number in range(args.plans):
            plan_create(user=user, content=ordinary(number))
        label = f"{args.plans} ordinary plans"
    cache.clear()

    before = peak_mb(resource.RUSAGE_SELF)
    start, cpu = time.perf_counter(), cpu_seconds()
    archive = account_archive(user)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        names = zipped.namelist()
    made = sum(name.endswith(".pdf") for name in names)
    not_made = sum(name.endswith("-not-made.txt") for name in names)
    print(
        f"{label} + 10 journal entries: {seconds:.1f} s ({cpu:.1f} s of CPU, "
        f"load average {os.getloadavg()[0]:.1f}); "
        f"parent peak RSS {peak_mb(resource.RUSAGE_SELF):.0f} MB (before building: {before:.0f}); "
        f"largest render child peak RSS {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB; "
        f"PDFs made {made}, not made {not_made}; zip {len(archive) / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
