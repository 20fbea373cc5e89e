"""The builder without JavaScript: add, add an example, move and remove as form posts.

Every button in the builder is a submit button named "builder". "save" saves; the
others change the draft and show the form again, with everything typed so far
kept and nothing saved. plans.js does the same in the page without a round trip.
The draft travels as rows of raw strings (what the user typed, valid or not), in
the order they arranged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME

from . import wording
from .examples import BY_SLUG
from .forms import BOUNDARY_PREFIX, TEXT_FIELDS, BoundaryFormSet, boundary_initial
from .models import MAX_BOUNDARIES

FIELDS = (*TEXT_FIELDS, "status", "review_on")
_TRUE = {"on", "true", "True", "1"}


@dataclass(frozen=True)
class Action:
    kind: str  # "save", "add", "example", "up", "down", "remove"
    argument: str = ""


def parse_action(value: str | None) -> Action:
    kind, _, argument = (value or "save").partition(":")
    if kind in {"add", "example", "up", "down", "remove"}:
        return Action(kind, argument)
    return Action("save")


def raw_rows(formset) -> list[dict]:
    """The posted boundaries as raw strings, in display order, without removed ones."""
    rows = []
    for index, form in enumerate(formset.forms):
        if str(form[DELETION_FIELD_NAME].value()) in _TRUE:
            continue
        row = {name: form[name].value() or "" for name in FIELDS}
        row["review_on"] = str(row["review_on"])
        row["_index"] = str(index)
        order: float
        try:
            order = int(form[ORDERING_FIELD_NAME].value())
        except (TypeError, ValueError):
            order = math.inf
        rows.append((order, index, row))
    return [row for _, _, row in sorted(rows, key=lambda item: item[:2])]


def formset_data(rows: list[dict], prefix: str = BOUNDARY_PREFIX) -> dict:
    """Post data for *rows*, numbered afresh in display order."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(MAX_BOUNDARIES),
    }
    for index, row in enumerate(rows):
        for name in FIELDS:
            data[f"{prefix}-{index}-{name}"] = row.get(name, "")
        data[f"{prefix}-{index}-{ORDERING_FIELD_NAME}"] = str(index + 1)
    return data


def _blank_row() -> dict:
    form = BoundaryFormSet(prefix=BOUNDARY_PREFIX).empty_form
    row = {name: form[name].value() or "" for name in FIELDS}
    row["review_on"] = str(row["review_on"])
    return row


def _example_row(slug: str) -> dict | None:
    example = BY_SLUG.get(slug)
    if example is None:
        return None
    row = boundary_initial(example.content())
    row["review_on"] = row["review_on"].isoformat()
    return row


def example_rows() -> dict[str, dict]:
    """Every example as a row of raw strings, by slug (plans.js fills new rows from these)."""
    return {slug: row for slug in BY_SLUG if (row := _example_row(slug)) is not None}


@dataclass(frozen=True)
class Focus:
    """Where the keyboard focus goes when the page comes back: a row and a control in it."""

    position: int | None  # None: the status note at the top
    control: str = ""  # "up", "down" or "field"


def apply(action: Action, rows: list[dict]) -> tuple[list[dict], str, Focus | None]:
    """Apply *action* to *rows*; return the rows, a note to announce, and where to focus."""
    rows = list(rows)
    if action.kind in {"add", "example"}:
        if len(rows) >= MAX_BOUNDARIES:
            return rows, f"A plan holds up to {MAX_BOUNDARIES} boundaries.", Focus(None)
        row = _blank_row() if action.kind == "add" else _example_row(action.argument)
        if row is None:
            return rows, "", None
        rows.append(row)
        what = "A new boundary" if action.kind == "add" else "The example"
        note = f"{what} is added as boundary {len(rows)}. Save the plan to keep it."
        return rows, note, Focus(len(rows) - 1, "field")
    position = next((i for i, row in enumerate(rows) if row["_index"] == action.argument), None)
    if position is None:
        return rows, "", None
    if action.kind == "remove":
        rows.pop(position)
        note = f"Boundary {position + 1} is removed. Save the plan to keep the change."
        return rows, note, Focus(None)
    target = position - 1 if action.kind == "up" else position + 1
    if not 0 <= target < len(rows):
        return rows, "", Focus(position, action.kind)
    rows[position], rows[target] = rows[target], rows[position]
    # Stay on the button pressed, unless the row reached the end where it is disabled.
    at_end = target == 0 if action.kind == "up" else target == len(rows) - 1
    control = {"up": "down", "down": "up"}[action.kind] if at_end else action.kind
    note = f"Boundary {position + 1} is now boundary {target + 1}. Save the plan to keep the order."
    return rows, note, Focus(target, control)


@dataclass(frozen=True)
class Row:
    """One boundary form as the template lays it out."""

    form: object
    index: str  # the form's number in the post ("__prefix__" in the template row)
    number: int  # its place in the plan, from 1
    first: bool
    last: bool
    flags: tuple = ()
    focus: str = ""  # the control to focus when the page loads: "up", "down", "field"


def rows_for_template(formset, *, focus: Focus | None = None) -> list[Row]:
    """The formset's forms as rows, each with what the wording check notices in it."""
    forms = formset.forms
    rows = []
    for position, form in enumerate(forms):
        values = {name: str(form[name].value() or "") for name in wording.SCANNED_FIELDS}
        flags = tuple(wording.check_boundary(values))
        control = focus.control if focus and focus.position == position else ""
        if control == "field":
            form.fields["need"].widget.attrs["autofocus"] = True
        rows.append(
            Row(
                form=form,
                index=form.prefix.rsplit("-", 1)[-1],
                number=position + 1,
                first=position == 0,
                last=position == len(forms) - 1,
                flags=flags,
                focus=control,
            )
        )
    return rows
