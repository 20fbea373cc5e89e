"""CI's second pass, on PostgreSQL (`--second-engine`, tests/conftest.py), leaves out the
tests marked `any_engine`, and only those. The suites that exist because engines differ
(transactions, locks, workers on DATABASE_URL's database, every form and import through
the live server) must stay in it: marking one of them by mistake fails here."""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import pytest_collection_modifyitems

ROOT = Path(__file__).resolve().parent.parent

# Engine-bound: each writes through the site or runs processes on DATABASE_URL's database.
MUST_STAY = (
    "tests/jobs/",
    "tests/reliability/",
    "tests/security/test_form_fuzz.py",
    "tests/security/test_access_matrix.py",
    "tests/security/test_import_fuzz.py",
    "tests/browser/test_every_form.py",
    "tests/browser/test_import.py",
    "tests/browser/test_jobs.py",
    "tests/browser/test_real_use.py",
    "tests/browser/test_journal.py::test_a_second_tab_saving_later",
    "tests/browser/test_plans.py::test_a_person_meets_the_check",
    "tests/test_production_settings.py",  # its deploy check keeps DATABASE_URL
)


def marked_any_engine() -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "any_engine"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return {line for line in result.stdout.splitlines() if "::" in line}


@pytest.mark.any_engine  # how tests are chosen, not what they do
def test_no_engine_bound_suite_is_marked_any_engine():
    marked = marked_any_engine()
    assert len(marked) > 20  # the browser's look-only tests, at least
    assert not [test for test in marked if test.startswith(MUST_STAY)]
    for prefix in MUST_STAY:  # each name above still names something that exists
        path, _, name = prefix.partition("::")
        assert (ROOT / path).exists(), prefix
        assert not name or f"def {name}" in (ROOT / path).read_text(), prefix


class Item(SimpleNamespace):
    def get_closest_marker(self, name):
        return self.markers.get(name)


@pytest.mark.any_engine
@pytest.mark.parametrize("second_engine", [False, True])
def test_the_second_engine_option_leaves_out_the_marked_tests_and_no_others(second_engine):
    mark = pytest.mark.any_engine.mark
    items = [
        Item(nodeid="tests/a.py::test_looks", markers={"any_engine": mark}, fixturenames=()),
        Item(nodeid="tests/b.py::test_writes", markers={}, fixturenames=("db",)),
        Item(nodeid="tests/c.py::test_pure", markers={}, fixturenames=()),
    ]
    config = SimpleNamespace(
        getoption=lambda name: {"second_engine": second_engine}[name],
        hook=SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items)),
    )
    deselected: list = []
    kept = list(items)
    pytest_collection_modifyitems(config, kept)
    left_out = {item.nodeid for item in deselected}
    assert left_out == ({"tests/a.py::test_looks"} if second_engine else set())
    assert {item.nodeid for item in kept} == {item.nodeid for item in items} - left_out
