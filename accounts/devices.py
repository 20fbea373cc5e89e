"""Plain names for browsers and devices ("Chrome on Android"), read from a user agent.

The sessions page, the passkey names it suggests and the notification emails show
these instead of the raw user-agent string. A rough name is enough for a person to
tell "my phone" from "a computer I don't own"; nothing here is used for security.
"""

import re

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


def device_label(user_agent: str) -> str:
    """Return "Chrome on Android", "Safari on iPhone", "Firefox on Windows"...

    Either half may be missing ("Firefox", "a browser on Linux"); a string we
    cannot read at all gives UNKNOWN_DEVICE.
    """
    text = (user_agent or "")[:_READ_AT_MOST]
    browser = _first(_BROWSERS, text)
    system = _first(_SYSTEMS, text)
    if browser and system:
        return f"{browser} on {system}"
    if browser:
        return browser
    if system:
        return f"A browser on {system}"
    return UNKNOWN_DEVICE
