"""Run wrk against a URL and read requests per second and latency percentiles."""

import re
import shutil
import subprocess
import sys

from .server import HEADERS

LUA_PERCENTILES = """
done = function(summary, latency, requests)
  io.write(string.format("P50 %d\\nP99 %d\\nERRORS %d\\nTIMEOUTS %d\\nREQUESTS %d\\n",
    latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status,
    summary.errors.timeout, summary.requests))
end
"""


def require_wrk() -> str:
    path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is needed: sudo apt-get install -y wrk")
    return path


def run(url: str, *, seconds: int = 5, connections: int = 16, threads: int = 2,
        cookie: str | None = None, script_path: str) -> dict:  # fmt: skip
    headers = dict(HEADERS)
    if cookie:
        headers["Cookie"] = cookie
    command = [
        require_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "-s",
        script_path,
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if found is None:
        raise RuntimeError(f"wrk printed no Requests/sec line:\n{out}")
    rps = float(found[1])
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    values = dict(re.findall(r"^(P50|P99|ERRORS|TIMEOUTS|REQUESTS) (\d+)$", out, re.MULTILINE))
    return {
        "rps": rps,
        "p50_ms": int(values["P50"]) / 1000,
        "p99_ms": int(values["P99"]) / 1000,
        "errors": int(values["ERRORS"]) + (int(non_2xx[1]) if non_2xx else 0),
        "timeouts": int(values["TIMEOUTS"]),
        "requests": int(values["REQUESTS"]),
    }
