import pytest

from tests.worker_scenarios import Scenario, scenario_database


@pytest.fixture(scope="session")
def worker_database(tmp_path_factory):
    """One migrated database for the worker tests of this test process (each
    pytest-xdist worker makes its own), dropped at the end."""
    with scenario_database(tmp_path_factory.mktemp("worker")) as scenario:
        yield scenario


@pytest.fixture
def scenario(worker_database: Scenario):
    """The worker tests' database; workers still running at the end are killed."""
    yield worker_database
    worker_database.end()
