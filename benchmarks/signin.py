"""How much server time does a sign-in cost, next to a minimal view, in one run?

Production settings (benchmarks.settings) in this process, with throwaway
secrets and a scratch SQLite database; requests go through Django's test client,
so the figures are the server's own time, without a network in between. Each
round alternates a minimal view with sign-ins (right and wrong password) as the
site does them now (Argon2id, accounts.hashers) and as it did before (PBKDF2 at
Django's 1,500,000 iterations, with Django's ModelBackend in front of allauth's,
so a wrong password was hashed twice), each request from its own client address
so allauth's per-IP limits stay out of the way. Medians are compared.

Target: a sign-in costs under 0.25 s of server CPU time. Wall time is printed
too; on a shared machine it also counts waiting for a core.

    .venv/bin/python -m benchmarks.signin [--rounds 5]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
TARGET_SECONDS = 0.25
PASSWORD = "bench-passphrase-of-some-length"  # noqa: S105 (a throwaway benchmark account)
NOW = "now@example.org"
BEFORE = "before@example.org"
# The settings before Argon2id: Django's default hashers, two backends.
BEFORE_SETTINGS = {
    "PASSWORD_HASHERS": [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
    "AUTHENTICATION_BACKENDS": [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
}


def setup(workdir: Path) -> None:
    from .server import environment

    os.environ.update(environment(workdir, "benchmarks.settings"))
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    # Plain static storage: no collectstatic run for pages whose cost is the hash.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    django.setup()
    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.test import override_settings

    from accounts.models import User

    call_command("migrate", verbosity=0)
    for email, overrides in ((NOW, {}), (BEFORE, BEFORE_SETTINGS)):
        with override_settings(**overrides):
            user = User.objects.create_user(email, PASSWORD)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)


def timed(call) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = call()
    return time.perf_counter() - wall, time.process_time() - cpu, response


def describe(encoded: str) -> str:
    from django.contrib.auth.hashers import identify_hasher

    hasher = identify_hasher(encoded)
    params = hasher.decode(encoded)
    if hasher.algorithm == "argon2":
        m, t, p = params["memory_cost"], params["time_cost"], params["parallelism"]
        return f"argon2id m={m} KiB t={t} p={p}"
    return f"{hasher.algorithm} {params['iterations']:,} iterations"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cg-signin-") as workdir:
        setup(Path(workdir))
        from django.test import Client, override_settings

        from accounts.models import User

        from .server import HOST

        address = iter(f"198.51.{n // 250}.{n % 250 + 1}" for n in range(10_000))

        def client() -> Client:
            return Client(
                HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https",
                HTTP_X_FORWARDED_FOR=next(address),
            )  # fmt: skip

        def minimal():
            return client().get("/bench/minimal/")

        def sign_in(email, password, overrides):
            def post():
                with override_settings(**overrides):
                    return client().post("/accounts/login/", {"login": email, "password": password})

            return post

        def right(response):
            return response.status_code == 302 and response.headers["Location"] == "/"

        def wrong(response):
            return response.status_code == 200 and "match an account" in response.text

        calls = {
            "minimal view": (minimal, lambda r: r.status_code == 200),
            "sign-in now": (sign_in(NOW, PASSWORD, {}), right),
            "wrong pw now": (sign_in(NOW, "not-the-passphrase", {}), wrong),
            "sign-in before": (sign_in(BEFORE, PASSWORD, BEFORE_SETTINGS), right),
            "wrong pw before": (sign_in(BEFORE, "not-the-passphrase", BEFORE_SETTINGS), wrong),
        }
        for call, _ in calls.values():  # warm up: templates compiled, code loaded
            call()
        runs = {name: {"wall": [], "cpu": []} for name in calls}
        for _ in range(args.rounds):
            for name, (call, check) in calls.items():
                wall, cpu, response = timed(call)
                if not check(response):
                    raise SystemExit(f"{name}: unexpected response {response.status_code}")
                runs[name]["wall"].append(wall)
                runs[name]["cpu"].append(cpu)
        hashes = {
            "now": describe(User.objects.get(email=NOW).password),
            "before": describe(User.objects.get(email=BEFORE).password),
        }
    summary = {
        name: {
            "wall_ms_median": round(statistics.median(r["wall"]) * 1000, 1),
            "cpu_ms_median": round(statistics.median(r["cpu"]) * 1000, 1),
            "wall_ms": [round(t * 1000) for t in r["wall"]],
        }
        for name, r in runs.items()
    }
    minimal_ms = summary["minimal view"]["wall_ms_median"]
    load = os.getloadavg()[0]
    print(f"stored hashes: now {hashes['now']}; before {hashes['before']}")
    print(f"{args.rounds} alternating rounds, in-process, production settings, load {load:.1f}")
    print(f"{'request':<17}{'wall ms':>9}{'cpu ms':>9}{'x minimal':>11}  rounds, wall ms")
    for name, row in summary.items():
        print(
            f"{name:<17}{row['wall_ms_median']:>9.1f}{row['cpu_ms_median']:>9.1f}"
            f"{row['wall_ms_median'] / minimal_ms:>11.0f}  {row['wall_ms']}"
        )
    now, before = summary["sign-in now"], summary["sign-in before"]
    verdict = "meets" if now["cpu_ms_median"] / 1000 < TARGET_SECONDS else "MISSES"
    print(
        f"sign-in now / minimal view = {now['wall_ms_median'] / minimal_ms:.0f}; "
        f"before / now = {before['cpu_ms_median'] / now['cpu_ms_median']:.1f} (CPU), "
        f"{before['wall_ms_median'] / now['wall_ms_median']:.1f} (wall)"
    )
    print(
        f"sign-in now: {now['cpu_ms_median'] / 1000:.3f} s CPU, "
        f"{now['wall_ms_median'] / 1000:.3f} s wall ({verdict} the {TARGET_SECONDS} s target)"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "signin.json").write_text(
        json.dumps({"hashes": hashes, "load": round(load, 1), "summary": summary}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
