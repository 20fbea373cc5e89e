"""Find the Chromium the browser tests drive, or say how to get it.

`python -m tests.browser.find_chromium` prints the path and exits 0. Without a
browser it prints how to install one; it exits 1 under CI (CI=true), where a
missing browser must fail the run, and 0 elsewhere (the browser tests are then
reported as skipped, with this reason, at the end of the run).
"""

import os
import shutil
import sys
from pathlib import Path

CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser")
INSTALL_HINT = (
    "Chromium was not found, so the browser tests cannot run.\n"
    "Install Debian's build with:  sudo apt-get update && sudo apt-get install -y chromium\n"
    "(or set CHROMIUM_PATH to a Chromium or Chrome binary)."
)


def chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for candidate in CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def main() -> int:
    path = chromium_path()
    if path:
        print(f"Browser tests will use {path}")
        return 0
    print(INSTALL_HINT, file=sys.stderr)
    return 1 if under_ci() else 0


if __name__ == "__main__":
    sys.exit(main())
