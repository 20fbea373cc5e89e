import os

import pytest

from .factories import PASSWORD, UserFactory

# Playwright's sync API runs an event loop; Django then refuses ORM calls from the
# test thread unless told this is safe. Tests only: never set in settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def signed_in(client, user):
    """A test client signed in as *user*."""
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters, cached sessions and pages served from memory: start clean."""
    from django.core.cache import cache

    from core import pagecache

    cache.clear()
    pagecache.clear()
    yield
    cache.clear()
    pagecache.clear()
