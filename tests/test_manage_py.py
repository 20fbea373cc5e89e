"""manage.py runs the development settings (DEBUG on) only where no production variable is set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.guard import PRODUCTION_ONLY

ROOT = Path(__file__).resolve().parent.parent
SHOW = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"


def manage(*args, **env):
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in PRODUCTION_ONLY
        and name not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_in_a_checkout_manage_py_runs_the_development_settings():
    result = manage("shell", "-c", SHOW)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["config.settings.local", "True"]


@pytest.mark.parametrize("variable", ["DJANGO_ALLOWED_HOSTS", "DEFAULT_FROM_EMAIL"])
def test_manage_py_refuses_debug_where_production_variables_are_set(variable):
    result = manage("shell", "-c", SHOW, **{variable: "commonground.example"})
    assert result.returncode != 0
    assert result.stdout == ""
    assert f"(DEBUG on): {variable} is set" in result.stderr
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_development_settings_refuse_to_load_beside_production_variables():
    result = manage(
        "shell", "-c", SHOW,
        DJANGO_SETTINGS_MODULE="config.settings.local", DJANGO_ALLOWED_HOSTS="commonground.example",
    )  # fmt: skip
    assert result.returncode != 0
    assert "Refusing to start with the development settings" in result.stderr
