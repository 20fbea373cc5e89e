"""The lines a safety plan fills in for the region a person chooses.

They come from the site's one list of crisis and domestic-abuse lines,
settings.SAFETY_LINES (pages/data/crisis_lines.yaml, or a deployment's own
SAFETY_LINES_FILE), so /safety/ and the plan never disagree. A line marked
`safety_plan: false` there (a line for people worried about their own behaviour)
is shown on /safety/ but not put into anyone's plan.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

# A region whose people can also call the lines of a wider one. Applied only when
# both regions are in the list, so a deployment's own list needs nothing here.
WIDER = {
    "England": "All of the United Kingdom",
    "Scotland": "All of the United Kingdom",
    "Wales": "All of the United Kingdom",
    "Northern Ireland": "All of the United Kingdom",
}


def _lines() -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = settings.SAFETY_LINES
    return lines


def regions() -> list[str]:
    """Every region of the list, in its order."""
    return list(dict.fromkeys(str(line["region"]) for line in _lines()))


def lines_for(region: str) -> list[dict[str, Any]]:
    """The lines for *region* that belong in a plan: a wider region's first, then its own."""
    wanted = [WIDER[region], region] if region in WIDER else [region]
    return [
        line
        for name in wanted
        for line in _lines()
        if line["region"] == name and line.get("safety_plan", True)
    ]


def crisis_lines_for(region: str) -> list[dict[str, Any]]:
    """The suicide and crisis lines for *region* (all of them when none is chosen)."""
    lines = lines_for(region) if region else _lines()
    return [line for line in lines if line.get("crisis") and line.get("phone")]


def as_text(line: dict[str, Any]) -> str:
    """One line as a person would write it in their plan: name, number, what to know."""
    reach = line.get("phone") or str(line.get("url") or "").removeprefix("https://")
    text = f"{line['name']}: {reach}" if reach else str(line["name"])
    detail = " ".join(str(line.get("detail") or "").split())
    return f"{text}. {detail}" if detail else f"{text}."


def filled_in(region: str) -> str:
    """The text the plan's "Lines I can call" starts with for *region*."""
    return "\n".join(as_text(line) for line in lines_for(region))
