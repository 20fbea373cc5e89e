"""Print uv's pinned requirement with its hashes, read from uv.lock, for pip --require-hashes.

The Makefile bootstraps uv with pip before uv can install anything else: this keeps
uv.lock the one place its version and hashes are written.
"""

import sys
import tomllib
from pathlib import Path

lock = tomllib.loads((Path(__file__).resolve().parent.parent / "uv.lock").read_text())
(uv,) = [package for package in lock["package"] if package["name"] == "uv"]
files = [*uv.get("wheels", []), *([uv["sdist"]] if "sdist" in uv else [])]
if not files:
    sys.exit("uv.lock has no files for uv")
print(f"uv=={uv['version']} " + " ".join(f"--hash={file['hash']}" for file in files))
