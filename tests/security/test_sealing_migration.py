"""Plans, conversation plans and self-checks written the old way (server keys) are
sealed under each owner's own data key by the migrations, and back again when reversed."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.crypto import InvalidToken, decrypt_text, user_keys
from accounts.models import User, UserKey
from boundaries import selectors as plan_selectors
from boundaries.models import Plan
from guides import selectors as guide_selectors
from guides.models import ConversationPlan, SelfCheck

BEFORE = [("boundaries", "0001_initial"), ("guides", "0002_conversation_plan_journal_entry")]
AFTER = [("boundaries", "0002_seal_plans_with_owner_key"), ("guides", "0003_seal_with_owner_key")]

SNAPSHOT = {
    "title": "Évenings — “mine”",
    "why": "Line one\nLine two",
    "boundaries": [
        {
            "need": "Rest",
            "action": "I will stop at ten.",
            "say": "Je suis fatiguée. 🌙",
            "if_crossed": "",
            "support": "<Sam> & 'Priya'",
            "status": "holding",
            "review_on": "2030-02-28",
        }
    ],
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _column(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (fixed names, a test)
        return [value for (value,) in cursor.fetchall()]


@pytest.fixture
def old_rows(transactional_db):
    """Rows as the site wrote them before: text in EncryptedTextField (server keys)."""
    old = _migrate(BEFORE)
    with_key = User.objects.create_user("had-a-key@example.org", "pw-long-enough-1")
    user_keys(with_key)  # this one wrote in the journal: their data key exists
    without_key = User.objects.create_user("no-key@example.org", "pw-long-enough-2")
    OldPlan = old.get_model("boundaries", "Plan")
    plan = OldPlan.objects.create(user_id=with_key.pk, title=SNAPSHOT["title"], why=SNAPSHOT["why"])
    kept = {name: SNAPSHOT["boundaries"][0][name] for name in ("need", "action", "say")}
    old.get_model("boundaries", "Boundary").objects.create(
        plan_id=plan.pk,
        position=0,
        status="holding",
        review_on="2030-02-28",
        if_crossed="",
        support="<Sam> & 'Priya'",
        **kept,
    )
    old.get_model("boundaries", "PlanVersion").objects.create(
        plan_id=plan.pk, number=1, reason="Created", snapshot=json.dumps(SNAPSHOT)
    )
    old.get_model("guides", "ConversationPlan").objects.create(
        user_id=without_key.pk, feeling="lonely", what_happened="We talked."
    )
    old.get_model("guides", "SelfCheck").objects.create(
        user_id=without_key.pk, answers_json=json.dumps({"q1": 2}), note="first"
    )
    # What the old columns held: server-key tokens.
    assert decrypt_text(_column("boundaries_plan", "title")[0]) == SNAPSHOT["title"]
    yield with_key, without_key
    _migrate(AFTER)  # leave the database as the rest of the suite expects it
    call_command("migrate", verbosity=0)


def test_the_migration_seals_old_rows_under_each_owners_key(old_rows):
    with_key, without_key = old_rows
    wrapped_before = UserKey.objects.get(user=with_key).wrapped
    _migrate(AFTER)

    # The person who had a data key keeps it (their journal still opens); the other gets one.
    assert UserKey.objects.get(user=with_key).wrapped == wrapped_before
    assert UserKey.objects.filter(user=without_key).exists()
    for table in ("boundaries_plan", "boundaries_boundary", "boundaries_planversion",
                  "guides_conversationplan", "guides_selfcheck"):  # fmt: skip
        for token in _column(table, "sealed"):
            assert "lonely" not in token and "Évenings" not in token
            with pytest.raises(InvalidToken):
                decrypt_text(token)  # not under the server keys any more

    plan = Plan.objects.get()
    keys = user_keys(with_key)
    content = plan_selectors.plan_content(plan, keys)
    assert json.loads(content.to_json()) == SNAPSHOT
    assert plan_selectors.version_content(plan.versions.get(), keys) == content
    other = user_keys(without_key)
    written = guide_selectors.conversation_plan_content(ConversationPlan.objects.get(), other)
    assert written.feeling == "lonely" and written.what_happened == "We talked."
    check = guide_selectors.self_check_content(SelfCheck.objects.get(), other)
    assert check.answers == {"q1": 2} and check.note == "first"


def test_the_migration_can_be_reversed(old_rows):
    _migrate(AFTER)
    old = _migrate(BEFORE)
    plan = old.get_model("boundaries", "Plan").objects.get()
    assert (plan.title, plan.why) == (SNAPSHOT["title"], SNAPSHOT["why"])
    boundary = old.get_model("boundaries", "Boundary").objects.get()
    assert boundary.say == "Je suis fatiguée. 🌙" and boundary.support == "<Sam> & 'Priya'"
    version = old.get_model("boundaries", "PlanVersion").objects.get()
    assert json.loads(version.snapshot) == SNAPSHOT
    written = old.get_model("guides", "ConversationPlan").objects.get()
    assert written.feeling == "lonely" and written.what_happened == "We talked."
    check = old.get_model("guides", "SelfCheck").objects.get()
    assert json.loads(check.answers_json) == {"q1": 2} and check.note == "first"
    assert decrypt_text(_column("guides_selfcheck", "note")[0]) == "first"
