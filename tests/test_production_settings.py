import json
import os
import re
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


# A sign-in through the whole middleware stack, as production runs it behind the TLS
# proxy. The database is an in-memory SQLite one (what is checked does not depend on
# it) and no page is rendered, so no collectstatic is needed.
HTTPS_SIGN_IN = """
import json

import django

django.setup()
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from accounts.models import User

call_command("migrate", verbosity=0)
user = User.objects.create_user(email="someone@commonground.example", password="a-long-passphrase")
EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
client = Client(HTTP_HOST="commonground.example")
plain = client.get("/healthz")
https = {"X-Forwarded-Proto": "https"}
health = client.get("/healthz", headers=https)
sign_in = client.post(
    "/accounts/login/",
    {"login": user.email, "password": "a-long-passphrase"},
    headers=https,
)
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Location")],
    "health": [health.status_code, dict(health.headers)],
    "sign_in": [sign_in.status_code, dict(sign_in.headers)],
    "cookies": {
        name: {"secure": bool(c["secure"]), "path": c["path"], "domain": c["domain"]}
        for name, c in sign_in.cookies.items()
    },
}))
"""


def test_https_responses_carry_hsts_and_host_prefixed_cookies(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in {"CI", "DATABASE_URL", "CACHE_URL"}}
    paths = {"SQLITE_PATH": ":memory:", "CACHE_DIR": str(tmp_path / "cache"),
             "STATIC_ROOT": str(tmp_path), "PYTHONPATH": str(ROOT)}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", HTTPS_SIGN_IN],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, **paths},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["plain"] == [301, "https://commonground.example/healthz"]
    for _status, headers in (seen["health"], seen["sign_in"]):
        hsts = headers["Strict-Transport-Security"]
        assert int(re.search(r"max-age=(\d+)", hsts)[1]) >= 31536000
        assert "includeSubDomains" in hsts
    assert seen["health"][0] == 200
    assert seen["sign_in"][0] == 302  # signed in
    cookies = seen["cookies"]
    assert {"__Host-sessionid", "__Host-csrftoken"} <= set(cookies)
    for name, cookie in cookies.items():
        assert cookie["secure"], name
        if name.startswith("__Host-"):  # Secure, Path=/ and no Domain, or browsers refuse it
            assert (cookie["path"], cookie["domain"]) == ("/", ""), name
