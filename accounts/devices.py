"""Devices a person signs in from: a plain name for each, and a cookie for known ones.

`device_label()` gives plain names for browsers and devices ("Chrome on Android"),
read from a user agent. The sessions page, the passkey names it suggests and the
notification emails show these instead of the raw user-agent string, and the
sessions table keeps only this name and no IP address (keep_only_the_label). A
rough name is enough for
a person to tell "my phone" from "a computer I don't own"; the name is not used
for security.

The device cookie follows OWASP's "Slow Down Online Guessing Attacks with Device
Cookies": a browser that completed a sign-in gets a signed cookie tied to the
address it signed in with, and failed attempts from it count against its own
allowance instead of the one all unknown devices share (accounts.adapters).
Someone who knows a person's address can slow down guessing from everywhere
else, but cannot keep the person out of the browser they already use.
"""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import constant_time_compare, salted_hmac

UNKNOWN_DEVICE = "Unknown browser"

# Only the start of the header is read: real ones are a few hundred characters,
# and nothing a client sends should cost more than that to look at.
_READ_AT_MOST = 512

# Order matters: Edge, Opera and Samsung Internet also say "Chrome", Chrome says
# "Safari", and iOS browsers say "Safari" with their own token.
_BROWSERS = [
    ("Edge", r"\bEdg(?:e|A|iOS)?/"),
    ("Opera", r"\bOPR/|\bOpera\b"),
    ("Samsung Internet", r"\bSamsungBrowser/"),
    ("Firefox", r"\bFirefox/|\bFxiOS/"),
    ("Chrome", r"\bChrome/|\bCriOS/|\bHeadlessChrome/"),
    ("Chromium", r"\bChromium/"),
    ("Safari", r"\bSafari/"),
]

_SYSTEMS = [
    ("iPhone", r"\biPhone\b"),
    ("iPad", r"\biPad\b"),
    ("Android", r"\bAndroid\b"),
    ("Windows", r"\bWindows\b"),
    ("ChromeOS", r"\bCrOS\b"),
    ("Mac", r"\bMacintosh\b|\bMac OS X\b"),
    ("Linux", r"\bLinux\b"),
]


def _first(patterns: list[tuple[str, str]], text: str) -> str:
    for name, pattern in patterns:
        if re.search(pattern, text):
            return name
    return ""


LABELS = frozenset(
    [UNKNOWN_DEVICE]
    + [browser for browser, _ in _BROWSERS]
    + [f"A browser on {system}" for system, _ in _SYSTEMS]
    + [f"{browser} on {system}" for browser, _ in _BROWSERS for system, _ in _SYSTEMS]
)


def device_label(user_agent: str) -> str:
    """Return "Chrome on Android", "Safari on iPhone", "Firefox on Windows"...

    Either half may be missing ("Firefox", "a browser on Linux"); a string we
    cannot read at all gives UNKNOWN_DEVICE. A name this function gave comes back
    unchanged, so a stored name can go through it again.
    """
    text = (user_agent or "")[:_READ_AT_MOST]
    if text in LABELS:
        return text
    browser = _first(_BROWSERS, text)
    system = _first(_SYSTEMS, text)
    if browser and system:
        return f"{browser} on {system}"
    if browser:
        return browser
    if system:
        return f"A browser on {system}"
    return UNKNOWN_DEVICE


# --- Device cookies ------------------------------------------------------------

DEVICE_COOKIE_AGE = timedelta(days=90)
_SALT = "accounts.devices.cookie"


def device_cookie_name() -> str:
    # __Host- cookies must be Secure, on "/" and without a Domain (production).
    return "__Host-device" if settings.SESSION_COOKIE_SECURE else "device"


def _address_digest(address: str) -> str:
    """A keyed digest of the address, so the cookie itself names no one."""
    return salted_hmac(_SALT, address.strip().lower(), algorithm="sha256").hexdigest()[:32]


def _read_cookie(request: HttpRequest) -> tuple[str, str] | None:
    value = request.COOKIES.get(device_cookie_name(), "")
    if not value or len(value) > 300:
        return None
    try:
        digest, nonce = signing.loads(value, salt=_SALT, max_age=DEVICE_COOKIE_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(digest, str) and isinstance(nonce, str)):
        return None
    return digest, nonce


def known_device(request: HttpRequest, address: str) -> str | None:
    """Return this browser's device id if it has signed in with *address* before."""
    cookie = _read_cookie(request) if address else None
    if cookie and constant_time_compare(cookie[0], _address_digest(address)):
        return cookie[1]
    return None


def remember_device(request: HttpRequest, response: HttpResponseBase, address: str) -> None:
    """Give (or renew) this browser's device cookie after a completed sign-in."""
    nonce = known_device(request, address) or secrets.token_urlsafe(16)
    response.set_cookie(
        device_cookie_name(),
        signing.dumps([_address_digest(address), nonce], salt=_SALT),
        max_age=int(DEVICE_COOKIE_AGE.total_seconds()),
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- What the sessions table keeps -----------------------------------------------

# allauth's user-sessions table needs an IP address in every row; this one says
# "none kept". The sessions page shows the device name and times, nothing more.
NO_ADDRESS = "0.0.0.0"  # noqa: S104 (a stored placeholder, not a bind address)


def keep_only_the_label(sender, instance, **kwargs) -> None:
    """Before a user-session row is saved, replace its user agent and IP address.

    allauth stores the raw user-agent string and the client's IP address with each
    signed-in session, even with activity tracking off. The sessions page only
    needs to tell one device from another, so the row keeps "Chrome on Android"
    and no address, and goes when the session ends.
    """
    instance.user_agent = device_label(instance.user_agent)
    instance.ip = NO_ADDRESS


def forget_ended_session(sender, request, user, **kwargs) -> None:
    """When a person signs out, their row for that session goes with it.

    So do rows of their sessions that ended otherwise (a browser closed until
    the session expired). allauth would keep both until the next sign-in; the
    sessions page only lists sessions that are still signed in.
    """
    from allauth.usersessions.models import UserSession

    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()
    if user is not None and user.is_authenticated:
        UserSession.objects.purge_and_list(user)
