"""A plan's PDF made by the worker, when the cache does not hold it already.

The plan page answers at once with a PDF the cache holds (boundaries.pdf); for any
other it starts a job (jobs, Kind.PLAN_PDF) and sends the person to its progress
page. The job's input is the plan's id, the day the PDF is dated and the print
options chosen, sealed under the person's key like every job's input: never a word
of the plan. The worker reads the plan itself, by id, through its owner's queryset,
so a job can only ever print its own person's plan; a plan deleted meanwhile ends
the job with a plain message. It renders through boundaries.pdf.plan_pdf (size
check, then the renderer, which fills the cache: the next request for the same PDF
is answered at once).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.http import Http404
from django.tasks import task
from django.utils.translation import gettext

from accounts.models import User
from accounts.sealing import UserKeys, user_keys
from core.pdf import PDFTooComplex
from jobs.models import Job, Kind, State
from jobs.services import Run, job_start, run_job

from . import pdf, selectors
from .models import Plan

# A person's PDF jobs waiting or running at once. More is someone clicking with every
# option in turn, or a script: each waits for the last, and the page says so.
MAX_WAITING = 3
# How many of a person's recent PDF jobs the plan page opens to find its own.
LOOKED_AT = 10

GONE = "This plan was deleted before its PDF was made, so there is nothing to download."
EMPTY = (
    "This plan has no boundaries now, so there is nothing to print. "
    "Add at least one boundary, save the plan, and print it then."
)


@task()
def make_plan_pdf(job_id: str) -> None:
    run_job(job_id, plan_pdf_work)


def pdf_request(plan: Plan, options: pdf.PrintOptions, today: datetime.date) -> dict[str, Any]:
    """What a PDF job is given: which plan, the day printed on it, the options chosen."""
    return {"plan": str(plan.pk), "today": today.isoformat(), **options.as_data()}


def plan_pdf_start(*, user: User, request: dict[str, Any]) -> Job:
    """Start the job that makes the PDF *request* (pdf_request()) describes."""
    return job_start(user=user, kind=Kind.PLAN_PDF, task=make_plan_pdf, data=request, total=1)


def plan_pdf_work(run: Run) -> None:
    data = run.input_json()
    options = pdf.PrintOptions.from_data(data)
    today = datetime.date.fromisoformat(data["today"])
    try:
        plan = selectors.plan_for_user(run.user, data["plan"], boundaries=True)
    except Http404:
        run.refuse([gettext(GONE)])
        return
    content = selectors.plan_content(plan, run.keys)
    if not content.boundaries:
        run.refuse([gettext(EMPTY)])
        return
    run.report(0, total=1, stage="making-pdf")
    try:
        document = pdf.plan_pdf(plan.pk, content, options, today=today)
    except PDFTooComplex as problem:
        run.refuse([str(problem)])
        return
    if not Plan.objects.filter(pk=plan.pk).exists():  # deleted while it was being laid out
        run.refuse([gettext(GONE)])
        return
    run.finish_file(
        document,
        name=pdf.filename(content, options, today),
        content_type="application/pdf",
        summary={"plan": str(plan.pk)},
    )


# --- What the plan page shows ----------------------------------------------------------


def _input(job: Job, keys: UserKeys) -> dict[str, Any]:
    sealed = bytes(job.sealed_input)
    return dict(json.loads(keys.cipher.decrypt(sealed))) if sealed else {}


def _about_plan(job: Job, keys: UserKeys) -> str:
    """The plan a job prints: from its input while it runs, its outcome once done."""
    if job.finished:
        return str(json.loads(keys.decrypt(job.sealed_outcome)).get("plan", ""))
    return str(_input(job, keys).get("plan", ""))


def pdf_jobs(user: User) -> Any:
    """*user*'s PDF jobs that are waiting, running, or done with a file still to take."""
    ready = (
        Job.objects.for_user(user)
        .filter(kind=Kind.PLAN_PDF, state=State.DONE, downloaded=False)
        .exclude(sealed_result=b"")
    )
    return (waiting_jobs(user) | ready).order_by("-created_at")


def plan_pdf_job(user: User, plan: Plan, keys: UserKeys) -> Job | None:
    """The newest of *user*'s PDF jobs (of the last LOOKED_AT) that prints *plan*, if any:
    being made, or made and not downloaded yet."""
    for job in pdf_jobs(user).defer("sealed_result")[:LOOKED_AT]:
        if _about_plan(job, keys) == str(plan.pk):
            return job
    return None


def waiting_jobs(user: User) -> Any:
    return Job.objects.for_user(user).filter(kind=Kind.PLAN_PDF).unfinished()


def same_job(user: User, request: dict[str, Any], keys: UserKeys) -> Job | None:
    """An unfinished job of *user*'s making exactly the PDF *request* asks for (a reload,
    a second click), so it is not made twice."""
    for job in waiting_jobs(user).order_by("-created_at")[:MAX_WAITING]:
        if _input(job, keys) == request:
            return job
    return None


def plan_pdfs_forget(*, user: User, plan: Plan) -> None:
    """Delete *user*'s PDFs of *plan* made and not yet downloaded (the plan is being
    deleted: no copy of it stays behind). One still being made finds the plan gone
    and ends saying so."""
    keys = user_keys(user)
    made = pdf_jobs(user).filter(state=State.DONE).defer("sealed_result", "sealed_input")
    Job.objects.filter(
        pk__in=[job.pk for job in made[:LOOKED_AT] if _about_plan(job, keys) == str(plan.pk)]
    ).delete()
