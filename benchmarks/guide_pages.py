"""How fast is a guide step page, next to a minimal Django view on the same server?

Both run under gunicorn (production settings, 2 sync workers, --preload) on
127.0.0.1 and are loaded by wrk in alternating rounds, so both see the same noise
on this 2-core machine. Target: step page / minimal view >= 0.6.

    .venv/bin/python -m benchmarks.guide_pages [--seconds 5] [--rounds 3]
"""

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from . import wrk
from .server import gunicorn

STEP = "/guides/understand-the-resistance/not-about-you/"
MINIMAL = "/bench/minimal/"
RESULTS = Path(__file__).resolve().parent / "results"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk.LUA_PERCENTILES)
    runs = {"minimal": [], "step": []}
    with gunicorn(settings="benchmarks.settings") as (base, _env):
        for path in (MINIMAL, STEP):  # warm up: content loaded, templates compiled
            wrk.run(base + path, seconds=1, script_path=script.name)
        for _ in range(args.rounds):
            for name, path in (("minimal", MINIMAL), ("step", STEP)):
                runs[name].append(
                    wrk.run(base + path, seconds=args.seconds,
                            connections=args.connections, script_path=script.name)
                )  # fmt: skip
    summary = {
        name: {
            "rps_median": statistics.median(r["rps"] for r in results),
            "p50_ms_median": statistics.median(r["p50_ms"] for r in results),
            "p99_ms_median": statistics.median(r["p99_ms"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "rounds": [round(r["rps"]) for r in results],
        }
        for name, results in runs.items()
    }
    ratio = summary["step"]["rps_median"] / summary["minimal"]["rps_median"]
    print(f"gunicorn, 2 sync workers, wrk {args.connections} connections, "
          f"{args.rounds} x {args.seconds}s rounds each, alternating")  # fmt: skip
    print(f"{'page':<10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}  rounds")
    for name, row in summary.items():
        print(f"{name:<10}{row['rps_median']:>10.0f}{row['p50_ms_median']:>10.1f}"
              f"{row['p99_ms_median']:>10.1f}{row['errors']:>8}  {row['rounds']}")  # fmt: skip
    verdict = "meets" if ratio >= 0.6 else "MISSES"
    print(f"step page / minimal view = {ratio:.2f} ({verdict} the 0.6 target)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "guide_pages.json").write_text(
        json.dumps({"summary": summary, "ratio": round(ratio, 3)}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
