"""Per-person write limits: far above what anyone does by hand, low enough to stop a script.

Without them one signed-in client made 940 journal entries in 20 seconds. Each
write a view makes (an entry, a plan, a self-check, an autosave) counts against
the person's budget in the cache that every worker shares, as allauth's rate
limits do (production: Redis, or a file cache on one machine). Fixed windows:
two cache calls per window, so the cheap autosave stays cheap.

The limits can be changed with the WRITE_RATE_LIMITS setting (action -> list of
(writes, seconds)). A refused write changes nothing and says what to do.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# Someone typing without a pause autosaves once every three or four seconds in
# one tab; saving by hand takes seconds a time. These are several times that.
DEFAULT_RATES: dict[str, tuple[tuple[int, int], ...]] = {
    "write": ((30, 60), (300, 60 * 60), (1500, 24 * 60 * 60)),
    "autosave": ((120, 60), (1500, 60 * 60)),
    # A PDF made from a posted form (the safety plan, which works without an account):
    # each render is a forked child for 0.3-1 s. Per client first (a person, or an
    # address for visitors who are not signed in), so a client over its own limit never
    # uses up the shared one; then for all such visitors together, so visitors from many
    # addresses hold at most about half of one core. The shared limit is per minute
    # only: it bounds the cost as a rate, and a few addresses that reach it keep
    # everyone else waiting a minute at most, not an hour. Whoever meets it is told it
    # is not their doing and can print the page from the browser, which costs nothing.
    "pdf": ((10, 60), (60, 60 * 60)),
    "pdf-anonymous": ((40, 60),),
    # Long work for the background worker (an import, an archive, a PDF): a person
    # starts a few an hour by hand; each holds a worker for seconds to minutes.
    "job": ((10, 60), (40, 60 * 60), (200, 24 * 60 * 60)),
}
TOO_MANY = (
    "That is more saving in a short time than a person does, so we paused it for a moment. "
    "Nothing was lost and nothing was changed. Wait {wait} and save again."
)


def _rates(action: str) -> tuple[tuple[int, int], ...]:
    rates: dict[str, tuple[tuple[int, int], ...]] = getattr(
        settings, "WRITE_RATE_LIMITS", DEFAULT_RATES
    )
    return rates[action] if action in rates else DEFAULT_RATES[action]


def consume(user: AbstractBaseUser, action: str = "write") -> int | None:
    """Count one write by *user*; return None if allowed, else the seconds to wait."""
    return consume_for(str(user.pk), action)


def consume_for(who: str, action: str) -> int | None:
    """Count one use of *action* by *who* (a user's pk, or another stable key of a client,
    such as a keyed hash of an address); return None if allowed, else the seconds to wait."""
    now = int(time.time())
    for amount, period in _rates(action):
        key = f"writes:{action}:{who}:{period}:{now // period}"
        cache.add(key, 0, timeout=period + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, timeout=period + 5)
            count = 1
        if count > amount:
            return period - now % period
    return None


def forget(user: AbstractBaseUser) -> None:
    """Drop *user*'s write counters (account deletion): the windows still open, and the
    ones just closed that the cache keeps a few seconds longer."""
    now = int(time.time())
    cache.delete_many(
        [
            f"writes:{action}:{user.pk}:{period}:{window}"
            for action, rates in getattr(settings, "WRITE_RATE_LIMITS", DEFAULT_RATES).items()
            for _, period in rates
            for window in (now // period, now // period - 1)
        ]
    )


def wait_words(seconds: int) -> str:
    if seconds <= 60:
        return "a minute"
    if seconds <= 60 * 60:
        return f"{-(-seconds // 60)} minutes"
    return f"{-(-seconds // 3600)} hours"


def message(wait: int) -> str:
    return TOO_MANY.format(wait=wait_words(wait))


def refused(request: HttpRequest, wait: int, *, json: bool = False) -> HttpResponse:
    """The 429 answer: JSON for scripts of our own pages, else a page in the site's voice."""
    headers = {"Retry-After": str(wait)}
    if json:
        return JsonResponse({"error": message(wait)}, status=429, headers=headers)
    response = render(request, "429.html", {"message": message(wait)}, status=429)
    response["Retry-After"] = str(wait)
    return response


View = Callable[..., HttpResponse]


def limit_writes(action: str = "write", *, json: bool = False) -> Callable[[View], View]:
    """Count each POST by a signed-in person against *action*'s budget; refuse beyond it."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and request.user.is_authenticated:
                wait = consume(request.user, action)
                if wait is not None:
                    return refused(request, wait, json=json)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
