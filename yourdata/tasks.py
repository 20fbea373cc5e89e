"""'Download everything' as a job: the worker makes the archive, the person waits on its page.

The job is given nothing (its input is empty): the worker reads the person's data
itself, through each app's part (yourdata.archive), as the page once did while the
browser waited. The zip is the job's result, sealed under the person's key until
their one download (jobs.services).
"""

from __future__ import annotations

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from accounts.models import User
from jobs.models import Job, Kind, State
from jobs.services import Run, job_start, run_job

from .archive import account_archive


@task()
def make_archive(job_id: str) -> None:
    run_job(job_id, archive_work)


def archive_work(run: Run) -> None:
    data = account_archive(run.user, report=run.report)
    day = timezone.localdate(run.job.created_at)
    run.finish_file(data, name=f"account-data-{day:%Y-%m-%d}.zip", content_type="application/zip")


def archive_job(user: User) -> Job | None:
    """*user*'s archive being made, or made and not downloaded yet (the newest), if any."""
    return (
        Job.objects.for_user(user)
        .filter(kind=Kind.ARCHIVE, state__in=[State.QUEUED, State.RUNNING, State.DONE])
        .exclude(state=State.DONE, sealed_result=b"")
        .defer("sealed_result", "sealed_input")
        .order_by("-created_at")
        .first()
    )


def archive_start(*, user: User) -> Job:
    """Start making *user*'s archive, or return the one being made already.

    One at a time per person: a second tab or click joins the first, since more
    would only multiply the work. The person's row is locked while this decides,
    so two clicks at once cannot both start one. An earlier archive still waiting
    to be downloaded is deleted: the new one replaces it, and fewer copies of
    everything they wrote are kept.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        mine = Job.objects.for_user(user).filter(kind=Kind.ARCHIVE)
        running = mine.unfinished().order_by("-created_at").first()
        if running is not None:
            return running
        mine.delete()
        return job_start(user=user, kind=Kind.ARCHIVE, task=make_archive)
