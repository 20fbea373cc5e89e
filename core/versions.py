"""What every versioned document shares (boundary plans, the safety plan).

A save keeps the whole document as a new numbered version; the oldest beyond
VERSIONS_KEPT go. A version's reason is written by the site in English ("Created",
"Edited", "Restored version 3") and shown in the reader's language. Comparing two
versions lines them up part by part as CompareRows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop

# Versions kept per document; the oldest go first. The history pages say so.
VERSIONS_KEPT = 100

CREATED = gettext_noop("Created")
EDITED = gettext_noop("Edited")
_RESTORED = "Restored version "


def restored_reason(number: int) -> str:
    """The reason kept with a restore (in English, like every reason)."""
    return f"{_RESTORED}{number}"


def reason_label(reason: str) -> str:
    """*reason* in the reader's language: services store it in English."""
    number = reason.removeprefix(_RESTORED)
    if number != reason and number.isdigit():
        return gettext("Restored version %(number)s") % {"number": number}
    return gettext(reason)  # the msgids are marked where services write them


def next_number(versions: models.QuerySet[models.Model]) -> int:
    """The number the next version of a document takes, given its *versions*."""
    latest: int | None = versions.aggregate(latest=Max("number"))["latest"]
    return (latest or 0) + 1


def prune(versions: models.QuerySet[models.Model], *, kept: int = VERSIONS_KEPT) -> None:
    """Delete all but the *kept* newest of *versions*."""
    stale = list(versions.order_by("-number").values_list("pk", flat=True)[kept:])
    if stale:
        versions.model._default_manager.filter(pk__in=stale).delete()


@dataclass(frozen=True)
class CompareRow:
    label: str | Promise  # lazily translated
    before: str
    after: str
    heading: bool = False

    @property
    def changed(self) -> bool:
        return not self.heading and self.before != self.after


def only_changes(rows: list[CompareRow]) -> list[CompareRow]:
    """Keep the changed rows, with the heading of each group that has any."""
    kept: list[CompareRow] = []
    heading = None
    for row in rows:
        if row.heading:
            heading = row
        elif row.changed:
            if heading is not None:
                kept.append(heading)
                heading = None
            kept.append(row)
    return kept


class SavedVersion(Protocol):
    number: int
    created_at: datetime.datetime
    reason: str


def export_records[V: SavedVersion](
    versions: Iterable[V], read: Callable[[V], dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each of a document's *versions*, oldest first, as a record for "download everything":
    number, when it was saved, why, and the fields *read* opens from it."""
    return [
        {
            "number": version.number,
            "saved_at": version.created_at.isoformat(),
            "reason": version.reason,
            **read(version),
        }
        for version in sorted(versions, key=lambda version: version.number)
    ]


def chosen_pair(query: Mapping[str, str]) -> tuple[int, int] | str:
    """The two version numbers a compare page was asked for (?a=&b=, lower first), or the
    message that says what is wrong with the request."""
    try:
        numbers = sorted({int(query["a"]), int(query["b"])})
    except (KeyError, ValueError):
        return gettext("Choose two versions to compare.")
    if len(numbers) != 2:
        return gettext("Choose two different versions to compare.")
    return numbers[0], numbers[1]


def compare_context(
    before: SavedVersion, after: SavedVersion, rows: list[CompareRow], *, show: str | None
) -> dict[str, Any]:
    """What the compare table (includes/_version_compare.html) needs; *show* is the
    page's ?show=, "changes" for only what changed."""
    only = show == "changes"
    return {
        "before": before,
        "after": after,
        "rows": only_changes(rows) if only else rows,
        "only_changes": only,
        "changed": sum(1 for row in rows if row.changed),
    }
