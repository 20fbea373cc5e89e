"""Check settings.SAFETY_LINES at start-up: a crisis line that cannot be dialled, or a
file of the wrong shape, is found by `manage.py check`, not by someone in danger.

The default list is pages/data/crisis_lines.yaml; a deployment replaces it with
SAFETY_LINES_FILE (README). Only plain strings are accepted: a nested value, which a
YAML alias can make enormous once turned into text, is refused before that happens.
"""

import re

from django.conf import settings
from django.core.checks import Error, register

SHOWN = ("region", "name", "detail", "phone", "url")
REQUIRED = ("region", "name")
RECORDED = ("source", "checked")  # where and when each line was checked: not shown
# crisis: repeated under the page's crisis sections; safety_plan: false keeps a line out
# of the lines a safety plan fills in (safety/lines.py).
FLAGS = ("crisis", "safety_plan")
MAX_LINES = 200
MAX_TEXT = 500
PHONE = re.compile(r"^\+?[0-9][0-9 -]{1,24}$")


def problems_in(lines) -> list[str]:
    """What is wrong with *lines*, in words that name the line and the key."""
    if not isinstance(lines, list) or not lines:
        return ["SAFETY_LINES must be a non-empty list of lines."]
    if len(lines) > MAX_LINES:
        return [f"SAFETY_LINES has {len(lines)} lines; at most {MAX_LINES} are shown."]
    found = []
    for number, line in enumerate(lines, start=1):
        if not isinstance(line, dict):
            found.append(f"Line {number} is not a mapping of keys to text.")
            continue
        label = f"Line {number}"
        if isinstance(line.get("name"), str):
            label += f" ({line['name'][:60]})"
        unknown = set(line) - {*SHOWN, *RECORDED, *FLAGS}
        if unknown:
            found.append(f"{label} has unknown keys: {', '.join(sorted(map(str, unknown)))}.")
        for key in REQUIRED:
            if not (isinstance(line.get(key), str) and line[key].strip()):
                found.append(f"{label} needs a {key}.")
        for key in SHOWN:
            value = line.get(key, "")
            if not isinstance(value, str):
                found.append(f"{label}: {key} must be text.")
            elif len(value) > MAX_TEXT:
                found.append(f"{label}: {key} is longer than {MAX_TEXT} characters.")
        phone, url = line.get("phone", ""), line.get("url", "")
        if isinstance(phone, str) and phone and not PHONE.match(phone):
            found.append(f"{label}: phone {phone[:40]!r} is not a number that can be dialled.")
        if isinstance(url, str) and url and not url.startswith("https://"):
            found.append(f"{label}: url must start with https://.")
        for flag in FLAGS:
            if not isinstance(line.get(flag, False), bool):
                found.append(f"{label}: {flag} must be true or false.")
        source = line.get("source", [])
        if not (
            isinstance(source, str)
            or (isinstance(source, list) and all(isinstance(s, str) for s in source))
        ):
            found.append(f"{label}: source must be a web address or a list of them.")
        if not isinstance(line.get("checked", ""), str):
            found.append(f'{label}: checked must be a quoted date, such as "2026-12-06".')
    return found


@register()
def check_safety_lines(app_configs=None, **kwargs):
    return [
        Error(problem, hint="See SAFETY_LINES_FILE in the README.", id="pages.E001")
        for problem in problems_in(settings.SAFETY_LINES)
    ]
