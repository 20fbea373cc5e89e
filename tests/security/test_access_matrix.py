"""Every URL pattern, requested as an anonymous visitor, as the owner and as another user.

The routes come from the URLconf itself, so a new view cannot slip past: a route
that is not classified below fails test_every_route_is_classified until someone
decides what it is. For private routes the database must be unchanged after
every refused request.
"""

import datetime

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.tasks import task
from django.urls import URLPattern, URLResolver, get_resolver

from boundaries.models import BoundaryContent, PlanContent
from boundaries.services import plan_create
from jobs.models import Kind
from jobs.services import job_start
from journal.models import EntryContent, TryContent
from journal.services import draft_save, entry_create, try_create
from reminders.models import DEFAULT_AT, Way
from reminders.models import Kind as ReminderKind
from reminders.services import reminder_set
from reminders.tokens import Purpose
from reminders.tokens import make as reminder_token
from safety.models import PlanContent as SafetyPlanContent
from safety.services import plan_save as safety_plan_save
from tests.conftest import answer_safety_check
from tests.factories import ConversationPlanFactory, SelfCheckFactory, UserFactory


@task()
def noop(job_id: str) -> None:
    """A job's task for the matrix: never run (the matrix only looks at the job's pages)."""


# Pages anyone may see. Each is a (namespace:)name or, for unnamed routes, the pattern.
PUBLIC = {
    "home", "safety", "privacy", "quick-exit", "healthz", "favicon.ico",
    "guides:index", "guides:search", "guides:guide", "guides:guide-print",
    "guides:safety-check", "guides:step", "guides:step-done", "guides:sources",
    "guides:check", "guides:reading-choices",  # the safety check's answers, and where a yes leads
    "guides:for-your-partner", "tools",
    "safety:plan", "safety:pdf", "safety:print",  # works without an account, storing nothing
    "accounts:display",  # discreet mode, for signed-out readers too (a cookie)
    "reminders:stop",  # a reminder's one-click stop: its signed token is the proof
}  # fmt: skip

# Signed-in pages with no object of their own in the URL.
PRIVATE = {
    "accounts:settings", "accounts:keepalive", "accounts:delete", "accounts:export",
    "guides:planner-list", "guides:planner-new", "guides:self-check",
    "guides:self-check-compare",
    "journal:list", "journal:search", "journal:new", "journal:autosave", "journal:moods",
    "journal:trash", "journal:trash-empty", "journal:export", "journal:import",
    "journal:tries",
    "boundaries:list", "boundaries:new", "boundaries:check",
    "safety:history", "safety:compare", "safety:delete",
    "reminders:settings",
}  # fmt: skip

# Signed-in pages about one object: the key names the kind of object in the URL.
OWNED = {
    "guides:planner-edit": "conversation_plan",
    "guides:planner-print": "conversation_plan",
    "guides:planner-delete": "conversation_plan",
    "planner-journal": "conversation_plan",
    "guides:self-check-detail": "self_check",
    "guides:self-check-delete": "self_check",
    "journal:draft-discard": "draft",
    "journal:detail": "entry",
    "journal:edit": "entry",
    "journal:delete": "entry",
    "journal:restore": "entry",
    "journal:purge": "entry",
    "journal:try-delete": "tried",
    "boundaries:detail": "plan",
    "boundaries:edit": "plan",
    "boundaries:pdf": "plan",
    "boundaries:history": "plan",
    "boundaries:compare": "plan",
    "boundaries:version": "plan_version",
    "boundaries:restore": "plan_version",
    "boundaries:duplicate": "plan",
    "boundaries:delete": "plan",
    "safety:version": "safety_version",
    "safety:restore": "safety_version",
    "jobs:progress": "job",
    "jobs:download": "job",
    "reminders:calendar": "reminder",
    "reminders:off": "reminder",
    "reminders:open": "reminder_link",
}

# Routes that belong to django-allauth or the Django admin: their own access rules,
# tested in tests/accounts/. Listed by namespace or name prefix.
DELEGATED_PREFIXES = ("account_", "mfa_", "usersessions_", "admin:", "admin/")


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else prefix + str(entry.pattern)
            yield name, prefix + str(entry.pattern)


ROUTES = dict(walk(get_resolver().url_patterns))


def is_delegated(name: str) -> bool:
    return name.startswith(DELEGATED_PREFIXES) or name.startswith("accounts/")


def test_every_route_is_classified():
    unknown = [
        f"{name} ({pattern})"
        for name, pattern in ROUTES.items()
        if name not in PUBLIC | PRIVATE | set(OWNED) and not is_delegated(name)
    ]
    assert unknown == [], "Classify these routes in tests/security/test_access_matrix.py"
    stale = (PUBLIC | PRIVATE | set(OWNED)) - set(ROUTES)
    assert stale == set(), f"These classified routes no longer exist: {stale}"


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table but sessions (many-to-many tables included), as plain values.

    One plain SELECT a table, ordered by its key: the fuzz takes a snapshot around each of
    thousands of requests, and the ORM's queryset for each table cost 0.8 ms of the 1 ms."""
    rows = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if model is Session or meta.proxy or not meta.managed:
                continue
            table, key = quote(meta.db_table), quote(meta.pk.column or meta.pk.name)  # model names
            cursor.execute(f"SELECT * FROM {table} ORDER BY {key}")  # noqa: S608
            rows[meta.label] = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()
            ]
    return rows


def make_objects(owner):
    """One object of each kind that private URLs name, all belonging to *owner*."""
    entry = entry_create(
        user=owner,
        content=EntryContent(
            title="Owner's entry", body="Private words.", entry_date=datetime.date(2026, 1, 2),
            mood=3, tags=("private",), prompt="", step_key="",
        ),
    ).entry  # fmt: skip
    draft_id = draft_save(
        user=owner, draft_id=None, entry_id=None, base_version=None, fields={"body": "A draft."}
    )
    plan = plan_create(
        user=owner,
        content=PlanContent(title="Owner's plan", boundaries=(BoundaryContent(action="I will"),)),
    )
    safety_version = safety_plan_save(
        user=owner, content=SafetyPlanContent(warning_signs="Owner's warning signs")
    )
    tried = try_create(
        user=owner,
        content=TryContent(
            tried_on=datetime.date(2026, 1, 3), what="Owner's walk", suggested_by="me", closeness=6
        ),
    )
    job = job_start(user=owner, kind=Kind.ARCHIVE, task=noop, data={"title": "Owner's job"})
    reminder = reminder_set(
        user=owner, kind=ReminderKind.PLAN_REVIEW, way=Way.CALENDAR, at=DEFAULT_AT, plan=plan
    )
    return {
        "reminder": {"pk": reminder.pk},
        "reminder_link": {"token": reminder_token(reminder.pk, Purpose.OPEN)},
        "job": {"pk": job.pk},
        "tried": {"pk": tried.pk},
        "entry": {"pk": entry.pk},
        "draft": {"pk": draft_id},
        "plan": {"pk": plan.pk},
        "plan_version": {"pk": plan.pk, "number": 1},
        "conversation_plan": {"pk": ConversationPlanFactory(user=owner, feeling="x").pk},
        "self_check": {"pk": SelfCheckFactory(user=owner).pk},
        "safety_version": {"pk": safety_version.pk},
    }


def url_for(pattern: str, kwargs: dict) -> str:
    url = "/" + pattern
    for key, value in kwargs.items():
        for converter in ("uuid", "int", "slug", "str"):
            url = url.replace(f"<{converter}:{key}>", str(value))
    return url


def assert_sent_to_sign_in(client, url, name):
    """A GET is sent to sign in; a form post is answered 401 with the sign-in link and
    whatever it carried shown back (core/signed_out.py), never run."""
    response = client.get(url)
    assert response.status_code == 302, (name, response.status_code)
    assert response.headers["Location"].startswith("/accounts/login/"), name
    response = client.post(url)
    assert response.status_code == 401, (name, response.status_code)
    assert 'href="/accounts/login/?next=' in response.text, name


@pytest.fixture
def objects(user):
    return make_objects(user)


@pytest.mark.parametrize("name", sorted(PRIVATE))
def test_private_pages_send_anonymous_visitors_to_sign_in(client, db, name):
    before = snapshot()
    url = url_for(ROUTES[name], {})
    assert_sent_to_sign_in(client, url, name)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(OWNED))
def test_owned_pages_are_404_for_another_user_and_sign_in_for_anonymous(
    client, user, other_user, objects, name
):
    url = url_for(ROUTES[name], objects[OWNED[name]])
    before = snapshot()
    assert_sent_to_sign_in(client, url, name)
    assert snapshot() == before
    client.force_login(other_user)  # signing in writes last_login: snapshot after it
    before = snapshot()
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 404, (name, method.__name__, response.status_code)
        assert "Owner" not in response.text and "Private words" not in response.text
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(OWNED))
def test_owned_pages_open_for_their_owner(client, user, objects, name):
    client.force_login(user)
    answer_safety_check(client)  # the page itself, not the check in front of the builder's
    response = client.get(url_for(ROUTES[name], objects[OWNED[name]]))
    assert "A few questions first" not in response.text, name
    # 303: a plan's PDF not made yet is made by a job, whose page the owner is sent to.
    assert response.status_code in (200, 302, 303, 405), (name, response.status_code)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_answer_anonymous_visitors(client, db, name):
    kwargs = {"guide_slug": "reevaluate", "step_slug": "the-real-question"}
    if name == "reminders:stop":  # a real reminder's stop link (a made-up one is a 404)
        kwargs["token"] = reminder_token(
            make_objects(UserFactory())["reminder"]["pk"], Purpose.STOP
        )
    response = client.get(url_for(ROUTES[name], kwargs))
    assert response.status_code in (200, 301, 302, 405), (name, response.status_code)
    if response.status_code == 302:
        assert not response.headers["Location"].startswith("/accounts/login/"), name


def test_a_snapshot_sees_a_changed_sealed_field_a_new_row_and_a_deleted_one(user, objects):
    """The matrix and the fuzz trust snapshot() to see any write: it must not miss one."""
    from journal.models import JournalEntry

    entry = JournalEntry.objects.get(pk=objects["entry"]["pk"])
    before = snapshot()
    with connection.cursor() as cursor:  # one character of the sealed text, behind the ORM
        table, pk = JournalEntry._meta.db_table, JournalEntry._meta.pk.column
        cursor.execute(
            f"UPDATE {table} SET sealed_body = sealed_body || 'x' WHERE {pk} = %s",  # noqa: S608
            [entry.pk.hex if connection.vendor == "sqlite" else entry.pk],
        )
        assert cursor.rowcount == 1
    assert snapshot() != before
    before = snapshot()
    UserFactory()
    assert snapshot() != before
    before = snapshot()
    entry.delete()
    assert snapshot() != before
