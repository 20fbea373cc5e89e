import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-with-plenty-of-length-and-variety-0987",
    "DJANGO_ALLOWED_HOSTS": "commonground.example",
    "DATA_ENCRYPTION_KEYS": "u5V2bJk3n9Q0m8a1n4e7r6t5y4u3i2o1p0lKjHgFdSA=",
    "DEFAULT_FROM_EMAIL": "Common Ground <hello@commonground.example>",
}


def manage(*args, env, tmp_path):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k not in {"CI", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "SQLITE_PATH": str(tmp_path / "db.sqlite3"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_no_warnings(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATA_ENCRYPTION_KEYS"]
)
def test_production_refuses_to_start_without(missing, tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr
