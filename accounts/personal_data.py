"""The account's part of "Download your data" and "Delete your account" (yourdata.parts).

It covers what allauth keeps about a person for this app (email addresses,
two-factor methods, signed-in sessions), and the admin's log of a staff member.
"""

from __future__ import annotations

import json

from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.core.internal.ratelimit import get_cache_key, parse_rates
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.utils.module_loading import import_string

from core import ratelimit

from .crypto import forget_user_keys
from .devices import known_device
from .models import UserKey

COVERS = ("account", "mfa", "usersessions", "admin")
README = """\
account.json                  your email addresses, when you joined, two-factor
                              methods (not their secrets) and signed-in sessions
"""


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def export(user, pdfs) -> dict[str, bytes]:
    account = {
        "email_addresses": [
            {"email": a.email, "primary": a.primary, "verified": a.verified}
            for a in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "joined": user.date_joined.isoformat(),
        "time_zone": user.time_zone,
        "last_sign_in": user.last_login.isoformat() if user.last_login else None,
        "two_factor": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "signed_in_sessions": [
            {"since": s.created_at.isoformat(), "last_seen": s.last_seen_at.isoformat()}
            for s in UserSession.objects.filter(user=user).order_by("created_at")
        ],
    }
    return {"account.json": _json(account)}


def erase(user) -> None:
    """Remove what the account holds beside the user row itself:

    - every session allauth knows for the person, from the database and the cache
      (sessions do not point at users; what the other apps keep in a session, such
      as the journal's sealed search or the guides' safety-check answer, goes too);
    - the rate-limit counters keyed by them: allauth's per person and per address
      (failed sign-ins, sign-in codes, password resets, this browser's own count),
      and the site's write limits (core.ratelimit);
    - their email addresses, two-factor methods and passkeys, the admin's log of
      what they did there (staff only), their wrapped data key and the unwrapped
      copy this process keeps.
    """
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    sessions = UserSession.objects.filter(user=user)
    for key in sessions.values_list("session_key", flat=True):
        store(session_key=key).delete()
    sessions.delete()
    cache.delete_many(_rate_limit_keys(user))
    ratelimit.forget(user)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    LogEntry.objects.filter(user=user).delete()
    forget_user_keys(user)
    UserKey.objects.filter(user_id=user.pk).delete()


def _rate_limit_keys(user) -> list[str]:
    """The cache keys of allauth's counters about *user* (none of those kept per IP address).

    allauth counts per person (reauthenticate, change_password, ...) and per "key":
    an address (password resets, sign-in codes), "host:address" for failed sign-ins
    and "mfa-auth-user-<id>" for two-step codes, each with ":device:<id>" for a browser
    that signed in before (accounts.adapters). The device is known only for the
    browser asking for the deletion; another browser's own count names no address
    (a digest of it) and ends within minutes.
    """
    request = context.request
    addresses = {user.email.lower()} | {
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    addresses.discard("")
    keyed = set(addresses) | {f"mfa-auth-user-{user.pk}"}
    if request is not None:
        host = request.get_host()
        keyed |= {f"{host}:{address}" for address in addresses}
    if request is not None:
        for address in addresses:
            device = known_device(request, address)
            if device:
                keyed |= {f"{key}:device:{device}" for key in list(keyed)}
    keys = []
    for app, app_settings in (
        ("allauth.account", account_settings),
        ("allauth.mfa", mfa_settings),
    ):
        for action, rates in app_settings.RATE_LIMITS.items():
            for rate in parse_rates(rates):
                if rate.per == "user":
                    keys.append(
                        get_cache_key(request, app=app, action=action, rate=rate, user=user)
                    )
                elif rate.per == "key":
                    keys += [
                        get_cache_key(request, app=app, action=action, rate=rate, key=key)
                        for key in keyed
                    ]
    return keys
