"""Each real job (journal import, journal PDF, download everything, plan PDF) started
through its page, done by a `manage.py db_worker` process, its result downloaded.

The database is the worker tests' own (tests/jobs/conftest.py), SQLite or PostgreSQL
as DATABASE_URL says.
"""

from __future__ import annotations

CANARY = "Quetzalcanary-through-the-site"

MADE = {  # what each real job leaves to download: its type and first bytes
    "journal-import": None,  # entries in the journal, no file
    "journal-export": ("application/pdf", "%PDF"),
    "archive": ("application/zip", "PK\x03\x04"),
    "plan-pdf": ("application/pdf", "%PDF"),
}


def test_each_real_job_runs_end_to_end_through_a_worker(scenario):
    """Each job started through its page, done by a worker, its result downloaded:
    one worker and one scenario process for the four, to keep the cost down."""
    worker = scenario.worker()
    seen_all = scenario.step("through_the_site", list(MADE), CANARY)
    worker.stop()
    logged = worker.output()
    for kind, seen in zip(MADE, seen_all["jobs"], strict=True):
        assert (seen["kind"], seen["state"], seen["page"]) == (kind, "done", 200)
        if MADE[kind] is None:
            assert seen["entries"] == 3
        else:
            download = seen["download"]
            assert (download["status"], download["type"], download["head"]) == (200, *MADE[kind])
        assert f"({kind}) done in" in logged
    assert CANARY not in logged
    assert seen_all["queue_quotes"] is False


def test_a_worker_killed_inside_a_real_import_leaves_no_entry_and_the_retry_imports_once(
    scenario,
):
    """The journal import as it is, stopped inside its one transaction (entries written,
    their search tokens next), then killed; recovered, it imports every entry once."""
    held = scenario.worker(hold_in="journal.services._insert_tokens")
    [started] = scenario.step("through_the_site", ["journal-import"], CANARY, False)["jobs"]
    job = started["job"]
    scenario.wait_for_mark("inside journal.services._insert_tokens")
    held.kill()

    recovered = scenario.step("look", [job], "housekeeping")
    assert "1 lost jobs queued again or failed" in recovered["housekeeping"]
    seen = recovered["jobs"][job]
    assert (seen["entries"], seen["tokens"]) == (0, 0)  # nothing half-written
    assert (seen["state"], seen["stage"]) == ("queued", "retrying")

    assert scenario.worker(batch=True).process.wait(timeout=60) == 0
    finished = scenario.step("look", [job])
    seen = finished["jobs"][job]
    assert (seen["state"], seen["attempts"], seen["entries"]) == ("done", 2, 3)
    assert seen["outcome"]["imported"] == 3
    assert seen["tokens"] > 0
    assert finished["tasks"] == ["FAILED", "SUCCESSFUL"]  # the lost run's row, then the new one
    assert scenario.marks().count("inside journal.services._insert_tokens") == 1
