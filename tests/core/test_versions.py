"""core.versions: what every versioned document (boundary plans, the safety plan) shares."""

import datetime

import pytest

from core import versions


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"a": "3", "b": "1"}, (1, 3)),
        ({"a": "1", "b": "3"}, (1, 3)),
        ({"a": "2", "b": "2"}, "Choose two different versions to compare."),
        ({"a": "2"}, "Choose two versions to compare."),
        ({"a": "two", "b": "1"}, "Choose two versions to compare."),
        ({}, "Choose two versions to compare."),
    ],
)
def test_a_compare_request_names_two_different_versions_or_says_what_is_wrong(query, expected):
    assert versions.chosen_pair(query) == expected


def test_the_compare_page_can_show_only_what_changed_with_each_changed_rows_heading():
    rows = [
        versions.CompareRow("Part one", "", "", heading=True),
        versions.CompareRow("A", "x", "x"),
        versions.CompareRow("Part two", "", "", heading=True),
        versions.CompareRow("B", "x", "y"),
    ]
    every = versions.compare_context("v1", "v2", rows, show=None)
    only = versions.compare_context("v1", "v2", rows, show="changes")
    assert (every["changed"], every["only_changes"], every["rows"]) == (1, False, rows)
    assert (only["changed"], only["only_changes"]) == (1, True)
    assert [row.label for row in only["rows"]] == ["Part two", "B"]


def test_exported_versions_come_oldest_first_with_what_each_was_saved_for():
    class Saved:
        def __init__(self, number: int) -> None:
            self.number, self.reason = number, "Edited"
            self.created_at = datetime.datetime(2026, 12, number)

    records = versions.export_records([Saved(2), Saved(1)], lambda v: {"text": f"v{v.number}"})
    assert [(r["number"], r["saved_at"][:10], r["text"]) for r in records] == [
        (1, "2026-12-01", "v1"),
        (2, "2026-12-02", "v2"),
    ]
