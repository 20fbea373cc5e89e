"""Start the site under gunicorn on 127.0.0.1 with production settings, for benchmarks.

Production settings exactly, with throwaway secrets, a SQLite database and static
files in a temporary folder; requests must carry "X-Forwarded-Proto: https"
(as from the TLS proxy) and the Host header HOST.
"""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
HOST = "bench.localhost"
HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(
    workdir: Path, urlconf_settings: str | None = None, database_url: str | None = None
) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": urlconf_settings or "config.settings.production",
        "DJANGO_SECRET_KEY": "benchmark-" + Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DEFAULT_FROM_EMAIL": "bench@localhost",
        "SQLITE_PATH": str(workdir / "db.sqlite3"),
        "STATIC_ROOT": str(workdir / "static"),
        "CACHE_DIR": str(workdir / "cache"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextlib.contextmanager
def scratch_postgres(base_url: str):
    """Yield the URL of a new, empty database next to *base_url*'s; drop it afterwards."""
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(base_url)
    name = f"cg_bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
        password=settings["PASSWORD"], dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


@contextlib.contextmanager
def gunicorn(
    *,
    workers: int = 2,
    settings: str | None = None,
    server: str = "gunicorn",
    database_url: str | None = None,
):
    """Yield the base URL of a prepared server (SQLite, or a scratch PostgreSQL database)."""
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cg-bench-")))
        if database_url:
            database_url = stack.enter_context(scratch_postgres(database_url))
        env = environment(workdir, settings, database_url)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        port = free_port()
        if server == "granian":
            command = [
                sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
                "--port", str(port), "--workers", str(workers), "--blocking-threads", "1",
                "--log-level", "warning", "config.wsgi:application",
            ]  # fmt: skip
        else:
            command = [
                sys.executable, "-m", "gunicorn", "config.wsgi", "--preload",
                "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                "--log-level", "warning",
            ]  # fmt: skip
        process = subprocess.Popen(command, cwd=ROOT, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base)
            yield base, env
        finally:
            process.terminate()
            process.wait(20)


def wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            request = urllib.request.Request(base + "/healthz", headers=HEADERS)
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")
