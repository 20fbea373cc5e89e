"""No export of the database carries what a person wrote in clear.

`manage.py dumpdata` (and so fixtures, and any copy made from them) serialises
each field with value_to_string. A canary is written in every text field a
person can fill, through the site's own services; no dump holds it, and a dump
loaded back into an emptied database reads back exactly as it was written.
"""

import base64
import datetime
import io
import json
import zlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import connection, models

from accounts.crypto import decrypt_text, encrypt_text, user_keys
from accounts.fields import EncryptedTextField
from boundaries.models import Plan, PlanContent
from boundaries.services import plan_update
from guides.models import ConversationPlan, SelfCheck
from journal.models import Draft, EntryContent, JournalEntry
from journal.services import draft_save, entry_create
from tests.factories import BoundaryContentFactory, PlanFactory, UserFactory

CANARY = "Quokka-canary-4417"
# A TOTP secret is base32: this one is recognisable in a dump too.
TOTP_CANARY = "QUOKKACANARYTOTPSECRETAAAAAAAAAA"

SITE_APPS = ("accounts", "guides", "journal", "boundaries")

# Text columns of the site's own models that are not EncryptedTextField, and why
# each is safe in clear. A new text field fails test_every_text_field_is_sealed_or_explained
# until it is encrypted or added here with its reason.
NOT_WRITTEN_BY_A_PERSON = {
    ("accounts", "user", "email"): "account data: the address people sign in with",
    ("accounts", "user", "password"): "a password hash",
    ("accounts", "userkey", "wrapped"): "the data key, encrypted under the server keys",
    ("guides", "stepprogress", "step_key"): "a guide step's slug, chosen from the site's guides",
    ("boundaries", "boundary", "status"): "one of four fixed choices",
    ("boundaries", "planversion", "reason"): "written by the site ('Edited', 'Restored …')",
    ("journal", "journalentry", "sealed_meta"): "sealed with the owner's own data key",
    ("journal", "journalentry", "sealed_body"): "sealed with the owner's own data key",
    ("journal", "journalentry", "sealed_html"): "sealed with the owner's own data key",
    ("journal", "draft", "sealed"): "sealed with the owner's own data key",
}


def text_fields():
    for label in SITE_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, (models.CharField, models.TextField)):
                    yield label, model, field


def test_every_text_field_is_sealed_or_explained():
    unexplained = [
        f"{label}.{model.__name__}.{field.name}"
        for label, model, field in text_fields()
        if not isinstance(field, EncryptedTextField)
        and (label, model._meta.model_name, field.name) not in NOT_WRITTEN_BY_A_PERSON
    ]
    assert unexplained == []


def canary(name: str) -> str:
    return f"{CANARY} {name} ünïcödé “quoted” <b>&amp;</b>\nsecond line"


def write_everywhere(client, user) -> dict:
    """Fill every field a person writes, the way the site does; return what was written."""
    written = {}
    content = EntryContent(
        title=canary("title"),
        body=canary("body"),
        entry_date=datetime.date(2026, 3, 1),
        mood=3,
        tags=(f"{CANARY}-tag",),
        prompt=canary("prompt"),
        step_key="grow-yourself/" + CANARY,
    )
    entry = entry_create(user=user, content=content).entry
    written["entry"] = (entry.pk, content)
    draft_fields = {"title": canary("draft title"), "body": canary("draft body")}
    draft_id = draft_save(
        user=user, draft_id=None, entry_id=None, base_version=None, fields=draft_fields
    )
    written["draft"] = (draft_id, draft_fields)

    plan = PlanFactory(
        user=user,
        title=canary("plan title"),
        why=canary("plan why"),
        boundaries=[
            BoundaryContentFactory.build(
                need=canary("need"),
                action=canary("action"),
                say=canary("say"),
                if_crossed=canary("if crossed"),
                support=canary("support"),
            )
        ],
    )
    edited = PlanContent(
        title=canary("plan title, edited"),
        why=canary("plan why"),
        boundaries=plan.content().boundaries,
    )
    plan_update(plan=plan, content=edited)  # a second version
    written["plan"] = (plan.pk, edited)

    names = [
        field.name
        for field in ConversationPlan._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]
    conversation = ConversationPlan.objects.create(
        user=user, **{name: canary(name) for name in names}
    )
    written["conversation"] = (conversation.pk, {name: canary(name) for name in names})
    answers = json.dumps({"q1": 4, "q2": 2, "why": CANARY})
    check = SelfCheck.objects.create(user=user, answers_json=answers, note=canary("note"))
    written["self_check"] = (check.pk, answers, canary("note"))

    TOTP.activate(user, TOTP_CANARY)

    # The session: a form posted after reauthentication has lapsed is kept in the
    # session (allauth's suspend_request) until the person has signed in again.
    client.force_login(user)
    response = client.post(
        "/journal/export/", {"format": "json", "title": canary("export title"), "q": CANARY}
    )
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    return written


def stored_title(plan_id) -> str:
    """A plan's title column as the database holds it."""
    with connection.cursor() as cursor:
        key = Plan._meta.pk.get_db_prep_value(plan_id, connection)
        cursor.execute("SELECT title FROM boundaries_plan WHERE id = %s", [key])
        return cursor.fetchone()[0]


def revealed(dump: str) -> str:
    """The dump with every session's payload opened, as anyone holding the dump could."""
    parts = [dump]
    for session in Session.objects.all():
        payload = session.session_data.split(":")[0]
        compressed = payload.startswith(".")
        payload = payload.removeprefix(".")
        try:
            data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            parts.append((zlib.decompress(data) if compressed else data).decode())
        except (ValueError, zlib.error, UnicodeDecodeError):
            continue  # not a signed payload: nothing to open without a key
    return "\n".join(parts)


def dump(*labels: str, fmt: str = "json") -> str:
    out = io.StringIO()
    call_command("dumpdata", *labels, format=fmt, indent=1, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml", "jsonl"])
def test_dumpdata_of_every_app_holds_no_canary(client, fmt):
    user = UserFactory()
    write_everywhere(client, user)
    assert Session.objects.exists()
    output = dump(fmt=fmt)
    assert output.count("sealed:") >= 20  # the encrypted fields are there, sealed
    opened = revealed(output)
    assert CANARY.lower() not in opened.lower()
    assert CANARY.encode().hex() not in opened
    assert TOTP_CANARY not in opened


@pytest.mark.django_db(transaction=True)
def test_dumpdata_flush_loaddata_gives_back_the_same_text(client, tmp_path):
    user = UserFactory()
    written = write_everywhere(client, user)
    fixture = tmp_path / "everything.json"
    fixture.write_text(dump(), encoding="utf-8")

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    assert not Plan.objects.exists()
    call_command("loaddata", str(fixture), verbosity=0)

    user.refresh_from_db()
    entry_id, content = written["entry"]
    entry = JournalEntry.objects.get(pk=entry_id).open(user_keys(user), body=True)
    assert entry.content() == content
    draft_id, draft_fields = written["draft"]
    assert Draft.objects.get(pk=draft_id).open(user_keys(user)).fields == draft_fields
    plan_id, plan_content = written["plan"]
    plan = Plan.objects.get(pk=plan_id)
    assert plan.content() == plan_content
    assert [v.content().title for v in plan.versions.all()] == [
        canary("plan title, edited"),
        canary("plan title"),
    ]
    conversation_id, fields = written["conversation"]
    conversation = ConversationPlan.objects.get(pk=conversation_id)
    assert {name: getattr(conversation, name) for name in fields} == fields
    check_id, answers, note = written["self_check"]
    check = SelfCheck.objects.get(pk=check_id)
    assert (check.answers_json, check.note) == (answers, note)
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert decrypt_text(totp.data["secret"]) == TOTP_CANARY
    # What was loaded is sealed again in the database, not stored as the dump's text.
    stored = stored_title(plan_id)
    assert CANARY not in stored
    assert decrypt_text(stored) == plan_content.title


@pytest.mark.django_db
def test_a_sealed_value_typed_into_a_form_is_kept_as_typed(user):
    """Only loaddata opens "sealed:" values: a form cannot be used to decrypt a stolen token."""
    from guides.forms import ConversationPlanForm

    typed = "sealed:" + encrypt_text("what someone else wrote")
    form = ConversationPlanForm(data={"feeling": typed})
    assert form.is_valid(), form.errors
    plan = form.save(commit=False)
    plan.user = user
    plan.save()
    assert ConversationPlan.objects.get(pk=plan.pk).feeling == typed


WHEN = {"created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}


@pytest.mark.django_db
def test_a_fixture_sealed_under_an_unknown_key_is_refused_by_name(user, tmp_path):
    fixture = tmp_path / "foreign.json"
    fields = {"user": user.pk, "title": "sealed:gAAAAABnot-a-token", "why": "", **WHEN}
    fixture.write_text(json.dumps([{"model": "boundaries.plan", "fields": fields}]))
    with pytest.raises(DeserializationError, match="title holds a sealed value"):
        call_command("loaddata", str(fixture), verbosity=0)
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_a_plain_text_fixture_loads_and_is_sealed_in_the_database(user, tmp_path):
    fixture = tmp_path / "plain.json"
    fields = {"user": user.pk, "title": "Written by hand", "why": "", **WHEN}
    fixture.write_text(json.dumps([{"model": "boundaries.plan", "fields": fields}]))
    call_command("loaddata", str(fixture), verbosity=0)
    plan = Plan.objects.get()
    assert plan.title == "Written by hand"
    assert decrypt_text(stored_title(plan.pk)) == "Written by hand"


# --- Sessions ------------------------------------------------------------------------


def stored_session(key):
    return Session.objects.get(session_key=key).session_data


@pytest.mark.django_db
def test_sessions_are_sealed_in_the_database_and_in_the_cache(client, user):
    from django.core.cache import cache

    from accounts.sessions import SessionStore

    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = SessionStore(session_key=key)
    session["note"] = CANARY
    session.save()
    sealed = stored_session(key)
    assert sealed.startswith("gAAAAA")  # a Fernet token, not base64 of JSON
    assert CANARY not in revealed("")
    cached = cache.get(SessionStore.cache_key_prefix + key)
    assert isinstance(cached, str) and CANARY not in cached
    assert decrypt_text(cached) and SessionStore(session_key=key)["note"] == CANARY
    # A page view reads it back: still signed in.
    assert client.get("/journal/").status_code == 200


@pytest.mark.django_db
def test_a_session_saved_before_sealing_is_still_read_and_sealed_at_its_next_save(user):
    from django.contrib.sessions.backends.cached_db import SessionStore as SignedOnly

    from accounts.sessions import SessionStore

    old = SignedOnly()
    old["note"] = "from before"
    old.create()
    assert not stored_session(old.session_key).startswith("gAAAAA")
    session = SessionStore(session_key=old.session_key)
    assert session["note"] == "from before"
    session["more"] = 1
    session.save()
    assert stored_session(old.session_key).startswith("gAAAAA")
    assert SessionStore(session_key=old.session_key).load() == {"note": "from before", "more": 1}


@pytest.mark.django_db
def test_deleting_an_account_removes_its_other_sessions_sealed_copies(client, user, password):
    from django.core.cache import cache
    from django.test import Client

    from accounts.sessions import SessionStore

    other = Client()
    other.post("/accounts/login/", {"login": user.email, "password": password})
    key = other.cookies[settings.SESSION_COOKIE_NAME].value
    assert other.get("/journal/").status_code == 200
    assert cache.get(SessionStore.cache_key_prefix + key) is not None
    client.post("/accounts/login/", {"login": user.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    assert client.post("/accounts/delete/", {"confirm": "delete my account"}).status_code == 302
    assert cache.get(SessionStore.cache_key_prefix + key) is None
    assert not Session.objects.filter(session_key=key).exists()
