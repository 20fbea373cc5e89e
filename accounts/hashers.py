"""The site's password hasher: Argon2id with parameters chosen for this server."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id at 46 MiB, 2 passes, 1 lane.

    OWASP's Password Storage Cheat Sheet asks for at least 19 MiB, 2 passes and
    1 lane (or 46 MiB with 1 pass); this is above both. Django's default (100 MiB,
    8 lanes) costs about 0.8 s of CPU on a 2-core server, and every failed
    sign-in is CPU an attacker can make the server burn; this costs about 0.09 s
    (benchmarks/signin.py). One lane, as in OWASP's figures: extra lanes only
    spread one hash over cores the other worker needs. The algorithm name stays "argon2", so hashes
    made with other parameters still verify and are rehashed on the next sign-in.
    """

    time_cost = 2
    memory_cost = 46 * 1024  # KiB
    parallelism = 1
