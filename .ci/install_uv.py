"""Put the uv that uv.lock pins into a virtual environment's bin/, checked against the lock.

Usage: python .ci/install_uv.py VENV
       python .ci/install_uv.py --requirement   (print uv's requirement line for pip)

The Makefile needs uv before uv can install anything. This script picks this machine's
wheel among the files uv.lock lists for uv, takes it from a download cache or downloads
it, checks its sha256 against the lock (every time, cached or not), and unpacks the uv
binary into VENV/bin. No pip: the virtual environment is made with --without-pip, which
saves the 5-10 s ensurepip takes; `make install-dev` installs uv's own package over it
later, as any other locked package. uv.lock stays the one place uv's version and hashes
are written.

Exit status 3 when uv.lock has no wheel for this machine: the Makefile then installs uv
with pip instead (ensurepip, then `pip install --require-hashes -r` the line that
--requirement prints: uv's pin with every hash the lock records for it).
"""

import hashlib
import io
import os
import platform
import re
import sys
import tempfile
import tomllib
import urllib.request
import zipfile
from pathlib import Path

NO_WHEEL_HERE = 3
LOCK = Path(__file__).resolve().parent.parent / "uv.lock"


def uv_package() -> dict:
    lock = tomllib.loads(LOCK.read_text())
    (uv,) = [package for package in lock["package"] if package["name"] == "uv"]
    return uv


def platform_tags() -> list[str]:
    """The wheel platform tags this machine runs, best first (uv's wheels are py3-none-*)."""
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    if sys.platform == "darwin":
        return ["macosx_11_0_arm64"] if machine == "aarch64" else [f"macosx_10_12_{machine}"]
    if not sys.platform.startswith("linux"):
        return []
    libc, version = platform.libc_ver()
    if libc != "glibc":  # musl: platform.libc_ver() names glibc only
        return [f"musllinux_1_1_{machine}"]
    have = tuple(int(part) for part in version.split(".")[:2])
    return [f"manylinux_{m}_{n}_{machine}" for m, n in [(2, 17), (2, 28)] if (m, n) <= have]


def pick_wheel(uv: dict, tags: list[str]) -> dict | None:
    for tag in tags:
        for wheel in uv.get("wheels", []):
            name = wheel["url"].rsplit("/", 1)[1]
            if tag in re.sub(r"\.whl$", "", name).split("-")[-1].split("."):
                return wheel
    return None


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def fetch(wheel: dict) -> bytes:
    """The wheel's bytes, from the cache if a file there has the lock's hash, else downloaded."""
    name = wheel["url"].rsplit("/", 1)[1]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "common-ground"
    cached = cache / name
    if cached.is_file() and sha256(data := cached.read_bytes()) == wheel["hash"]:
        return data
    if not wheel["url"].startswith("https://"):
        sys.exit(f"{name}: uv.lock gives no https address for it; nothing installed")
    try:
        with urllib.request.urlopen(wheel["url"], timeout=120) as response:  # noqa: S310 (https only)
            data = response.read()
    except OSError as error:  # offline, DNS, TLS, timeout: say so, not a traceback
        sys.exit(f"{name} could not be downloaded ({error}); nothing installed")
    if sha256(data) != wheel["hash"]:
        sys.exit(f"{name}: its sha256 is not the one uv.lock records; nothing installed")
    try:  # a cache that cannot be written only costs the next download
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache, delete=False) as part:
            part.write(data)
        os.replace(part.name, cached)
    except OSError:
        pass
    return data


def main(venv: Path) -> int:
    uv = uv_package()
    wheel = pick_wheel(uv, platform_tags())
    if wheel is None:
        return NO_WHEEL_HERE
    data = fetch(wheel)
    bin_dir = venv / "bin"
    with zipfile.ZipFile(io.BytesIO(data)) as wheel_zip:
        binary = wheel_zip.read(f"uv-{uv['version']}.data/scripts/uv")
    with tempfile.NamedTemporaryFile(dir=bin_dir, delete=False) as part:
        part.write(binary)
    os.chmod(part.name, 0o755)  # noqa: S103 (a program everyone may run, as pip would install it)
    os.replace(part.name, bin_dir / "uv")
    return 0


def requirement() -> str:
    uv = uv_package()
    files = [*uv.get("wheels", []), *([uv["sdist"]] if "sdist" in uv else [])]
    return f"uv=={uv['version']} " + " ".join(f"--hash={file['hash']}" for file in files)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    if sys.argv[1] == "--requirement":
        print(requirement())
        sys.exit(0)
    sys.exit(main(Path(sys.argv[1])))
