"""A job's progress page in Chromium: in place with JavaScript, by reloading without it.

The job here is a small one of the test's own (its work packs the text it was
given); the test moves it along as a worker would, then lets the real worker loop
(tests.tasks.run_tasks) finish it, and downloads the result through the button.
"""

from __future__ import annotations

from pathlib import Path

from django.tasks import task
from django.utils import timezone
from playwright.sync_api import expect

from jobs import services
from jobs.models import Job, Kind, State
from tests.tasks import run_tasks

from .axe import assert_accessible

TEXT = "What I packed for the browser test."


def _pack(run: services.Run) -> None:
    run.report(3, total=3, stage="packing")
    run.finish_file(
        run.input_json()["text"].encode(), name="notes-for-later.txt", content_type="text/plain"
    )


@task()
def pack(job_id: str) -> None:
    services.run_job(job_id, _pack)


def start_job(user) -> Job:
    return services.job_start(user=user, kind=Kind.ARCHIVE, task=pack, data={"text": TEXT})


def worker_reports(job: Job, done: int, total: int, stage: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=State.RUNNING,
        done=done,
        total=total,
        stage=stage,
        runner=f"{services.runner_id()}:1",
        heartbeat_at=timezone.now(),
    )


def test_the_progress_page_updates_in_place_and_offers_the_file_once(page, user, sign_in):
    sign_in(user)
    job = start_job(user)
    page.goto(f"/jobs/{job.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Packing all your data")
    page.evaluate("window.stillThisPage = true")
    worker_reports(job, 40, 100, "gathering")
    status = page.get_by_role("status")
    expect(status).to_contain_text("40 of 100 done (40%)")
    expect(status).to_contain_text("Gathering what you wrote.")
    assert page.get_by_role("progressbar").get_attribute("value") == "40"
    # Polls that bring nothing new write nothing, so a screen reader is not told again.
    page.evaluate(
        """window.statusWrites = 0;
        new MutationObserver(() => window.statusWrites++).observe(
            document.querySelector("[role=status]"), {childList: true, subtree: true})"""
    )
    page.wait_for_timeout(4_500)  # two polls
    assert page.evaluate("window.statusWrites") == 0
    assert_accessible(page, dark_too=False)

    Job.objects.filter(pk=job.pk).update(state=State.QUEUED)  # the worker picks it up
    assert run_tasks() == 1
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_have_text("All your data in one file")
    assert page.evaluate("window.stillThisPage")  # no reload: updated in place
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename == "notes-for-later.txt"
    assert Path(download.value.path()).read_text(encoding="utf-8") == TEXT
    # A second click (the page still offers the file) leads to the page saying where it went.
    page.get_by_role("button", name="Download").click()
    expect(page.get_by_text("This file was downloaded")).to_be_visible()
    assert page.get_by_role("button", name="Download").count() == 0


def test_without_javascript_the_page_reloads_itself_until_the_job_ends(page_without_js, user):
    page = page_without_js
    job = start_job(user)
    page.goto(f"/jobs/{job.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Waiting to start")
    worker_reports(job, 1, 4, "gathering")
    expect(page.get_by_role("status")).to_contain_text("1 of 4 done (25%)", timeout=8_000)
    Job.objects.filter(pk=job.pk).update(state=State.QUEUED)
    run_tasks()
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible(timeout=8_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert Path(download.value.path()).read_text(encoding="utf-8") == TEXT
    # Finished: the page no longer asks to be reloaded.
    assert page.locator("noscript").count() == 0
