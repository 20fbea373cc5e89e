"""Production settings plus one extra route: a minimal view to compare pages against."""

from config.settings.production import *  # noqa: F403 (the exact production settings)

ROOT_URLCONF = "benchmarks.urls"
