"""A plan's PDF not in the cache is made by a job, through the real queue and worker loop.

What the PDF holds is tested in test_pdf.py (through tests.tasks.finish_job).
"""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from boundaries import pdf
from jobs.models import Job, Kind, State
from tests.factories import PlanFactory
from tests.sealed import plan_content
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)

CANARY = "CANARY-plan-words"


def test_a_pdf_not_made_yet_comes_from_a_job_then_from_the_cache_at_once(signed_in, user):
    plan = PlanFactory(user=user, title=f"{CANARY} title", why=f"{CANARY} why", boundaries=2)
    response = signed_in.get(f"/plans/{plan.pk}/pdf/", {"paper": "letter", "parts": ["why"]})
    job = Job.objects.get()
    assert (response.status_code, response["Location"]) == (303, f"/jobs/{job.pk}/")
    assert job.kind == Kind.PLAN_PDF
    assert CANARY.encode() not in bytes(job.sealed_input)
    assert DBTaskResult.objects.get().args_kwargs == {"args": [str(job.pk)], "kwargs": {}}
    page = signed_in.get(f"/plans/{plan.pk}/").text
    assert "A PDF of this plan is being made." in page and f'href="/jobs/{job.pk}/"' in page

    assert run_tasks() == 1
    page = signed_in.get(f"/plans/{plan.pk}/").text
    assert "A PDF of this plan is ready." in page and f'href="/jobs/{job.pk}/"' in page
    download = signed_in.post(f"/jobs/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    options = pdf.PrintOptions(paper="letter", parts=frozenset({"why"}))
    name = pdf.filename(plan_content(plan), options, timezone.localdate())
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'
    assert "A PDF of this plan" not in signed_in.get(f"/plans/{plan.pk}/").text

    again = signed_in.get(f"/plans/{plan.pk}/pdf/", {"paper": "letter", "parts": ["why"]})
    assert again.status_code == 200 and again.content == download.content
    assert again["Content-Disposition"] == download["Content-Disposition"]
    assert Job.objects.count() == 1
    rows = json.dumps(list(DBTaskResult.objects.values()), default=str)
    assert CANARY not in rows


def test_asking_again_joins_the_job_under_way_and_only_a_few_wait_at_once(signed_in, user):
    plan = PlanFactory(user=user)
    url = f"/plans/{plan.pk}/pdf/"
    first = signed_in.get(url)["Location"]
    assert signed_in.get(url)["Location"] == first  # a reload, a second click
    for paper, neutral in [("letter", ""), ("a4", "on")]:
        signed_in.get(url, {"paper": paper, "parts": ["why"], "neutral": neutral})
    assert Job.objects.filter(state=State.QUEUED).count() == 3
    refused = signed_in.get(url, {"paper": "letter", "parts": ["say"]})
    assert refused.status_code == 429
    assert "3 PDFs you asked for are still being made" in refused.text
    assert Job.objects.count() == 3


def test_a_plan_deleted_before_its_pdf_is_made_ends_the_job_plainly(signed_in, user):
    plan = PlanFactory(user=user)
    progress = signed_in.get(f"/plans/{plan.pk}/pdf/")["Location"]
    signed_in.post(f"/plans/{plan.pk}/delete/")
    run_tasks()
    assert Job.objects.get().state == State.FAILED
    page = signed_in.get(progress).text
    assert "This plan was deleted before its PDF was made" in page
    assert f'action="{progress}download/"' not in page


def test_deleting_a_plan_deletes_its_pdf_waiting_to_be_downloaded(signed_in, user):
    plan, other = PlanFactory(user=user), PlanFactory(user=user)
    for each in (plan, other):
        signed_in.get(f"/plans/{each.pk}/pdf/")
    run_tasks()
    assert Job.objects.filter(state=State.DONE).exclude(sealed_result=b"").count() == 2
    signed_in.post(f"/plans/{plan.pk}/delete/")
    [kept] = Job.objects.all()
    assert f"/jobs/{kept.pk}/" in signed_in.get(f"/plans/{other.pk}/").text
