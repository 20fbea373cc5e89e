"""Deleting an account leaves nothing derived from the person: rows, cache, temp files.

One test per app's part (yourdata.parts): the person's data is written, the caches
are filled through the site's own pages (sign-in, the password check, saves counted
by the write limits, searches, PDFs, exports), the account is deleted through its
page, and then nothing that derives from them is found in the database, the cache
(every key, and every cached session), the pages served from memory, or the
temporary directory.
"""

import datetime
import os
import tempfile
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.checks import run_checks
from django.utils.module_loading import import_string

from accounts.sealing import user_keys
from boundaries.models import Boundary, BoundaryContent, Plan, PlanContent, PlanVersion
from boundaries.services import plan_create
from core import pagecache
from guides import safety_check
from guides.content import site_content
from guides.models import ConversationPlan, SelfCheck, StepProgress
from journal.models import Draft, EntryContent, EntryToken, JournalEntry
from journal.services import entry_create
from tests.tasks import finish_job
from yourdata.parts import apps_holding_people, parts


@pytest.fixture
def canary():
    return f"CANARY{uuid.uuid4().hex[:12]}"


@pytest.fixture
def temp_before():
    """What the temporary directory held before the test."""
    return set(os.listdir(tempfile.gettempdir()))


def cache_keys() -> set[str]:
    """Every key in the test cache (LocMemCache), without Django's ":1:" version prefix."""
    return {key.split(":", 2)[2] for key in cache._cache}  # type: ignore[attr-defined]


def sign_in_through_the_form(client, user, password):
    client.post("/accounts/login/", {"login": user.email, "password": "not the password"})
    client.post("/accounts/login/", {"login": user.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})


def delete_through_the_page(client):
    response = client.post("/accounts/delete/", {"confirm": "delete my account"})
    assert response.status_code == 302


def left_behind(client, user, canary, temp_before) -> list[str]:
    """Everything still found that derives from *user*, one line each."""
    found = []
    user_model = get_user_model()
    if user_model.objects.filter(pk=user.pk).exists():
        found.append("the user row")
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.concrete
                and field.is_relation
                and (field.many_to_one or field.one_to_one)
                and field.related_model is user_model
                and model._default_manager.filter(**{field.name: user.pk}).exists()
            ):
                found.append(f"a {model.__name__} row")
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    for session in Session.objects.all():
        # Sessions are sealed (accounts.sessions): Session.get_decoded() would read {}.
        data = store().decode(session.session_data)
        assert data or not session.session_data, "a session this test cannot read"
        if data.get("_auth_user_id") == str(user.pk) or "journal_search" in data:
            found.append("a session of theirs in the database")
    current = client.cookies.get("sessionid")
    for key in cache_keys():
        if ":ip:" in key:  # allauth's counts per IP address name no one
            continue
        if current is not None and key.endswith(current.value):
            # The browser's new, signed-out session: it holds only the goodbye message.
            store = client.session
            assert "_auth_user_id" not in store and "journal_search" not in store
            continue
        found.append(f"the cache key {key}")
    for _, _, html in pagecache._pages.values():
        if canary in html:
            found.append("a page served from memory")
    for name in set(os.listdir(tempfile.gettempdir())) - temp_before:
        path = Path(tempfile.gettempdir()) / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for file in files:
            try:
                if canary.encode() in file.read_bytes():
                    found.append(f"the temporary file {file}")
            except OSError:
                continue  # removed meanwhile, or another test's
    return found


# --- The interface -----------------------------------------------------------------------


# Django's model checks ask SQLite's features (a query) when no test has connected yet.
@pytest.mark.django_db
def test_every_app_that_keeps_rows_about_a_person_supplies_a_part():
    labels = {part.label for part in parts()}
    covered = labels.union(*(part.covers for part in parts()))
    assert {"accounts", "guides", "journal", "boundaries"} <= labels
    assert apps_holding_people() <= covered
    assert [m for m in run_checks() if m.id and m.id.startswith("yourdata.")] == []


# Django's model checks ask SQLite's features (a query) when no test has connected yet.
@pytest.mark.django_db
def test_an_app_holding_people_without_a_part_fails_the_check(monkeypatch):
    config = apps.get_app_config("journal")
    monkeypatch.delattr(type(config), "personal_data")
    errors = [m for m in run_checks() if m.id == "yourdata.E001"]
    assert [error.obj for error in errors] == ["journal"]
    assert "journal/personal_data.py" in errors[0].hint


# --- One test per part ---------------------------------------------------------------------


def test_deleting_leaves_nothing_of_the_account(client, user, password, canary, temp_before):
    sign_in_through_the_form(client, user, password)
    archive = finish_job(client, client.post("/accounts/export/"))
    assert archive["Content-Type"] == "application/zip"
    keys_before_deletion = cache_keys()
    assert any(f"user:{user.pk}" in key for key in keys_before_deletion)  # reauthenticate
    assert any(":login_failed:" in key and ":ip:" not in key for key in keys_before_deletion)
    delete_through_the_page(client)
    assert left_behind(client, user, canary, temp_before) == []


def test_deleting_leaves_nothing_of_the_guides(client, user, password, canary, temp_before):
    sign_in_through_the_form(client, user, password)
    client.post("/guides/reevaluate/the-real-question/done/")
    check = {question.name: "yes" for question in safety_check.QUESTIONS}
    client.post("/guides/check/", {**check, "next": "/guides/reevaluate/the-real-question/"})
    client.post("/conversation-planner/new/", {"feeling": f"{canary} feeling"})
    answers = {f"q_{q.id}": "3" for q in site_content().questions}
    client.post("/self-check/", {**answers, "note": f"{canary} note"})
    client.get("/guides/search/", {"q": canary})
    assert StepProgress.objects.filter(user=user).exists()
    assert ConversationPlan.objects.filter(user=user).exists()
    assert SelfCheck.objects.filter(user=user).exists()
    assert any(key.startswith(f"writes:write:{user.pk}:") for key in cache_keys())
    delete_through_the_page(client)
    assert left_behind(client, user, canary, temp_before) == []


def test_deleting_leaves_nothing_of_the_journal(client, user, password, canary, temp_before):
    sign_in_through_the_form(client, user, password)
    client.post(
        "/journal/new/",
        {"title": f"{canary} title", "body": f"{canary} body", "entry_date": "2026-03-01"},
    )
    entry = JournalEntry.objects.get(user=user)
    client.post("/journal/autosave/", {"title": f"{canary} draft", "body": "more"})
    client.post("/journal/search/", {"q": canary})
    assert client.get("/journal/search/").status_code == 200
    response = client.post("/journal/export/", {"format": "pdf", "title": "Notes"})
    assert response["Content-Type"] == "application/pdf"
    client.post("/journal/export/", {"format": "zip", "title": "Notes"})
    assert EntryToken.objects.filter(entry=entry).exists()
    assert Draft.objects.filter(user=user).exists()
    assert any(key.startswith(f"writes:autosave:{user.pk}:") for key in cache_keys())
    delete_through_the_page(client)
    assert left_behind(client, user, canary, temp_before) == []
    assert not EntryToken.objects.filter(entry_id=entry.pk).exists()


def test_deleting_leaves_nothing_of_the_plans(client, user, password, canary, temp_before):
    boundary = BoundaryContent(need=f"{canary} need", action=f"I will {canary}")
    plan = plan_create(
        user=user, content=PlanContent(title=f"{canary} plan", why="", boundaries=(boundary,))
    )
    sign_in_through_the_form(client, user, password)
    printed = finish_job(client, client.get(f"/plans/{plan.pk}/pdf/"))
    assert printed["Content-Type"] == "application/pdf"
    client.post(f"/plans/{plan.pk}/duplicate/")
    plans = list(Plan.objects.filter(user=user).values_list("pk", flat=True))
    assert len(plans) == 2
    assert f"boundaries:pdf:{plan.pk}" in cache_keys()
    delete_through_the_page(client)
    assert left_behind(client, user, canary, temp_before) == []
    assert not Boundary.objects.filter(plan_id__in=plans).exists()
    assert not PlanVersion.objects.filter(plan_id__in=plans).exists()


def test_deleting_one_person_leaves_everyone_else_as_they_were(client, user, other_user, password):
    content = PlanContent(title="Theirs", why="", boundaries=(BoundaryContent(action="I will"),))
    theirs = plan_create(user=other_user, content=content)
    entry_create(
        user=other_user,
        content=EntryContent(
            title="Kept", body="Kept", entry_date=datetime.date(2026, 3, 1),
            mood=None, tags=(), prompt="", step_key="",
        ),
    )  # fmt: skip
    client.force_login(other_user)
    finish_job(client, client.get(f"/plans/{theirs.pk}/pdf/"))
    client.logout()
    sign_in_through_the_form(client, user, password)
    delete_through_the_page(client)
    assert f"boundaries:pdf:{theirs.pk}" in cache_keys()
    assert JournalEntry.objects.filter(user=other_user).count() == 1
    assert user_keys(other_user) is not None
