"""How fast is a boundary plan's PDF, next to WeasyPrint rendering the same HTML itself?

Measured side by side in one run, interleaved round by round (which goes first
alternates), medians of several rounds, so both see the same noise on this
2-core machine:

- full path: GET /plans/<id>/pdf/ through Django's test client: middleware, the
  view, the plan read and decrypted, the template, the cache look-up (missed: the
  cache is cleared first), the render in a child process with its limits, and the
  PDF encrypted into the cache. Production's file-based cache is used.
- WeasyPrint alone: weasyprint.HTML(string=html, ...).write_pdf(...) in this process,
  on the identical HTML (checked: its digest is the one the view cached), with the
  same bundled fonts and stylesheet and the same options. Target: full <= 1.25x this.
- repeat export: the same GET again, served from the cache. Target: < 5% of the
  full path.
- Also shown, not a target: the bare call weasyprint.HTML(string=html).write_pdf().
  Its default fetcher cannot reach the bundled assets (their host is .invalid on
  purpose), so it lays out a different, unstyled document without the fonts.

    .venv/bin/python -m benchmarks.plans_pdf [--rounds 9] [--boundaries 10]
"""

import argparse
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

import weasyprint  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from accounts.sealing import user_keys  # noqa: E402
from boundaries import pdf as plan_pdf  # noqa: E402
from boundaries.examples import EXAMPLES  # noqa: E402
from boundaries.models import PlanContent  # noqa: E402
from boundaries.selectors import plan_content  # noqa: E402
from boundaries.services import plan_create  # noqa: E402
from core.pdf import ASSET_BASE, BundledAssetFetcher  # noqa: E402
from tests.factories import UserFactory  # noqa: E402


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def ten_boundaries(count: int):
    examples = [example.content() for example in EXAMPLES]
    return tuple(examples[n % len(examples)] for n in range(count))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--boundaries", type=int, default=10)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    workdir = Path(tempfile.mkdtemp(prefix="plans-pdf-bench-"))
    file_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(workdir / "cache"),
        }
    }
    with override_settings(CACHES=file_cache, ALLOWED_HOSTS=["testserver"]):
        user = UserFactory()
        content = PlanContent(
            title="Looking after myself this winter",
            why="I keep losing evenings and sleep to the same conversations.\n"
            "I want to stay kind, and stay well.",
            boundaries=ten_boundaries(args.boundaries),
        )
        plan = plan_create(user=user, content=content)
        client = Client()
        client.force_login(user)
        url = f"/plans/{plan.pk}/pdf/"
        html = plan_pdf.plan_html(plan_content(plan, user_keys(user)), plan_pdf.PrintOptions())

        def full():
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response.content

        def weasyprint_alone():
            document = weasyprint.HTML(
                string=html, base_url=ASSET_BASE, url_fetcher=BundledAssetFetcher()
            )
            return document.write_pdf(pdf_tags=True)

        def bare():
            return weasyprint.HTML(string=html).write_pdf()

        # Warm up every path once (templates compiled, the worker's WeasyPrint warmed).
        cache.clear()
        first_pdf = full()
        digest, _ = cache.get(f"boundaries:pdf:{plan.pk}")
        assert digest == plan_pdf._digest(plan.pk, html), "the view rendered other HTML"
        own_pdf = weasyprint_alone()
        bare_pdf = bare()

        times = {"full": [], "own": [], "cached": [], "bare": []}
        for round_number in range(args.rounds):
            pair = [("full", None), ("own", weasyprint_alone)]
            if round_number % 2:
                pair.reverse()
            for name, function in pair:
                if name == "full":
                    cache.clear()
                    elapsed, _ = timed(full)
                else:
                    elapsed, _ = timed(function)
                times[name].append(elapsed)
            times["cached"].append(timed(full)[0])
            times["bare"].append(timed(bare)[0])

    median = {name: statistics.median(values) for name, values in times.items()}
    pages = len(PdfReader(io.BytesIO(first_pdf)).pages)
    print(
        f"Boundary plan PDF, {args.boundaries} boundaries, {pages} pages, "
        f"{len(first_pdf) / 1024:.0f} KB; {args.rounds} interleaved rounds, medians"
    )
    print(f"{'path':<44}{'median ms':>10}{'min':>8}{'max':>8}")
    labels = {
        "full": "full view path, first export (uncached)",
        "own": "WeasyPrint alone, same HTML and assets",
        "cached": "full view path, repeat export (cache)",
        "bare": "bare HTML(string=html).write_pdf() [*]",
    }
    for name, label in labels.items():
        values = times[name]
        print(
            f"{label:<44}{median[name] * 1000:>10.1f}"
            f"{min(values) * 1000:>8.1f}{max(values) * 1000:>8.1f}"
        )
    ratio = median["full"] / median["own"]
    cached = median["cached"] / median["full"]
    verdict = "meets" if ratio <= 1.25 else "MISSES"
    best = min(times["full"]) / min(times["own"])
    print(f"full / WeasyPrint alone = {ratio:.2f}x ({verdict} <= 1.25x); fastest runs: {best:.2f}x")
    print(
        f"repeat / first export   = {cached * 100:.1f}% "
        f"({'meets' if cached < 0.05 else 'MISSES'} < 5%)"
    )
    print(
        f"[*] not comparable: without the bundled fonts and stylesheet it lays out "
        f"another document ({len(bare_pdf) / 1024:.0f} KB against {len(own_pdf) / 1024:.0f} KB)."
    )


if __name__ == "__main__":
    main()
