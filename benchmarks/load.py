"""Bounded load on loopback: gunicorn and granian side by side, same mix, same settings.

The mix alternates anonymous guide pages with signed-in journal pages (a user with
entries, signed in through a real session cookie). Each server gets the same
wrk run (64 connections for 60 seconds by default), and the figures are written
to benchmarks/results/load.json and printed:

    .venv/bin/python -m benchmarks.load [--seconds 60] [--connections 64]
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from . import wrk
from .server import ROOT, gunicorn

RESULTS = Path(__file__).resolve().parent / "results"
GUIDE_PAGES = [
    "/",
    "/guides/",
    "/guides/understand-the-resistance/",
    "/guides/understand-the-resistance/not-about-you/",
    "/guides/open-the-conversation/plan-the-talk/",
    "/guides/set-boundaries/what-a-boundary-is/",
    "/guides/reevaluate/questions-to-sit-with/",
    "/safety/",
]

MIX_LUA = """
local guide = {%(guide)s}
local private = {%(private)s}
local cookie = "%(cookie)s"
local n = 0
request = function()
  n = n + 1
  if n %% 2 == 0 then
    local path = private[(n / 2) %% #private + 1]
    wrk.headers["Cookie"] = cookie
    return wrk.format("GET", path)
  end
  wrk.headers["Cookie"] = nil
  return wrk.format("GET", guide[(n - 1) / 2 %% #guide + 1])
end
"""

SEED = """
import django, sys
django.setup()
from benchmarks.seed import seed
print(seed(entries=int(sys.argv[1])))
"""


def lua_list(paths):
    return ", ".join(f'"{p}"' for p in paths)


def run_one(server: str, args) -> dict:
    with gunicorn(server=server, database_url=args.database_url) as (base, env):
        out = subprocess.run(
            [sys.executable, "-c", SEED, str(args.entries)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        seeded = json.loads(out.strip().splitlines()[-1])
        script = (
            MIX_LUA
            % {
                "guide": lua_list(GUIDE_PAGES),
                "private": lua_list(seeded["private_paths"]),
                "cookie": seeded["cookie"],
            }
            + wrk.LUA_PERCENTILES
        )
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(script)
        wrk.run(base + "/", seconds=3, connections=8, script_path=handle.name)  # warm up
        result = wrk.run(
            base + "/", seconds=args.seconds, connections=args.connections,
            script_path=handle.name,
        )  # fmt: skip
        result["private_paths"] = seeded["private_paths"]
        return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument(
        "--database-url",
        help="run against a scratch database on this PostgreSQL server (default: SQLite)",
    )
    args = parser.parse_args()
    results = {server: run_one(server, args) for server in ("gunicorn", "granian")}
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{args.connections} connections for {args.seconds} s on {database}; half guide "
          f"pages, half signed-in pages; 2 workers each")  # fmt: skip
    print(f"{'server':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'requests':>10}{'errors':>8}"
          f"{'timeouts':>10}")  # fmt: skip
    for server, r in results.items():
        print(f"{server:<10}{r['rps']:>9.0f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}"
              f"{r['requests']:>10}{r['errors']:>8}{r['timeouts']:>10}")  # fmt: skip
    faster = max(results, key=lambda name: results[name]["rps"])
    print(f"faster: {faster}")
    RESULTS.mkdir(exist_ok=True)
    name = "load-postgresql.json" if args.database_url else "load-sqlite.json"
    (RESULTS / name).write_text(json.dumps(
        {"args": {**vars(args), "database_url": database}, "results": results, "faster": faster},
        indent=2) + "\n")  # fmt: skip
    # Failed requests (refused connections, resets, non-2xx/3xx answers) fail the run.
    # Responses slower than wrk's 30 s timeout are reported, not failed: on a 2-core
    # machine that is also running wrk and other jobs they measure the machine.
    if any(r["errors"] for r in results.values()):
        sys.exit("errors under load")
    if any(r["timeouts"] for r in results.values()):
        print("note: some responses took longer than 30 s (see the timeouts column)")


if __name__ == "__main__":
    main()
