"""Encryption at rest: nothing a person writes reaches the database, its WAL or a dump."""

import textwrap

from django.contrib import admin
from django.core.management import call_command
from django.test import override_settings

from accounts.models import User, UserKey
from journal.models import Draft, EntryToken, JournalEntry
from journal.selectors import entry_for_owner
from tests.at_rest import written_at_rest


def fresh(user):
    """The same person as a new request would see them: no keys cached on the object."""
    return User.objects.get(pk=user.pk)


# The script writes through the real views into a real SQLite file in WAL mode, then
# searches the file, its -wal and a dumpdata output for every word the person wrote.
SCRIPT = textwrap.dedent(
    """
    import io, json, os, shutil, sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from allauth.account.models import EmailAddress
    from accounts.models import User

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA wal_autocheckpoint=0")  # keep every page in the WAL
    user = User.objects.create_user("canary@example.org", "a-long-test-passphrase")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    client = Client()
    client.force_login(user)
    words = json.loads(os.environ["CANARY_WORDS"])
    new = client.post("/journal/new/", {
        "title": words["title"], "body": words["body"], "entry_date": "2026-03-14",
        "mood": "2", "tags": words["tag"],
        "step": "understand-the-resistance/not-about-you",
        "prompt": words["prompt"],
    })
    assert new.status_code == 302, new.status_code
    entry_url = new.headers["Location"]
    assert words["body"] in client.get(entry_url).text  # the site itself can read it
    edit = client.post(entry_url + "edit/", {
        "title": words["title"], "body": words["body"] + " " + words["edit"],
        "entry_date": "2026-03-14", "tags": words["tag"], "version": "1",
    })
    assert edit.status_code == 302, edit.status_code
    saved = client.post("/journal/autosave/", {"body": words["draft"], "entry_date": "2026-03-15"})
    assert saved.json()["draft"]
    # The search is kept in the session (a table in this file): sealed, like the rest.
    assert client.post("/journal/search/", {"q": words["search"]}).status_code == 302
    assert words["title"] in client.get("/journal/search/").text
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    # SQLite folds the WAL back into the file and deletes it when the last connection
    # closes: copy both while this one is open.
    name = connection.settings_dict["NAME"]
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{name}{suffix}", f"{name}{suffix}.copy")
    sys.stdout.write(json.dumps({"dump": dump.getvalue()}))
    """
)


def test_entries_drafts_and_search_leave_no_plain_text_in_the_database_wal_or_a_dump(tmp_path):
    words = {
        "title": "Quindlewort title",
        "body": "Zephyrine body about marmalade secrets",
        "tag": "brackenfell",
        "prompt": (
            "When your partner said no, what story did you tell yourself about what it meant?"
        ),
        "edit": "Oxbridgean afterthought",
        "draft": "Thrumbleworth draft",
        "search": "marmalade",
    }
    stored = written_at_rest(SCRIPT, tmp_path / "journal.sqlite3", words)
    assert len(stored["wal"]) > 100_000  # the writes are in it
    dump = stored["dump"].decode()
    needles = [
        "Quindlewort", "Zephyrine", "marmalade", "brackenfell", "Oxbridgean", "Thrumbleworth",
        "what story did you tell yourself", "not-about-you",
    ]  # fmt: skip
    for where, data in stored.items():
        for needle in needles:
            for encoding in ("utf-8", "utf-16-le"):
                assert needle.encode(encoding) not in data, f"{needle!r} found in {where}"
    assert '"model": "journal.journalentry"' in dump and '"model": "journal.entrytoken"' in dump


def test_what_the_database_holds_for_an_entry_is_ciphertext(user, write):
    entry = write(user, title="Pelargonium", body="Pelargonium body", tags=["mine"], mood=3)
    row = JournalEntry.objects.values().get(pk=entry.pk)
    for field in ("sealed_meta", "sealed_body", "sealed_html"):
        assert row[field].startswith("gAAAA")  # a Fernet token
        assert "Pelargonium" not in row[field]
    assert EntryToken.objects.filter(entry=entry).count() >= 5
    assert all(
        isinstance(token, int) for token in EntryToken.objects.values_list("token", flat=True)
    )


def test_the_admin_shows_no_journal_text_and_no_keys():
    registered = {model._meta.label for model in admin.site._registry}
    for label in (
        "journal.JournalEntry",
        "journal.EntryToken",
        "journal.Draft",
        "accounts.UserKey",
    ):
        assert label not in registered


def test_the_admin_index_lists_no_journal_for_a_superuser(client, db, write):
    boss = User.objects.create_superuser("boss@example.org", "a-long-test-passphrase")
    write(boss, title="Admin canary", body="Admin canary body")
    client.force_login(boss)
    page = client.get("/admin/").text
    assert "Journal" not in page and "canary" not in page
    assert Draft.objects.count() == 0 and UserKey.objects.count() == 1


def test_rotation_rewraps_user_keys_and_entries_stay_readable_with_only_the_new_key(
    user, settings, write
):
    old_key, new_key = settings.DATA_ENCRYPTION_KEYS[1], settings.DATA_ENCRYPTION_KEYS[0]
    with override_settings(DATA_ENCRYPTION_KEYS=[old_key]):
        entry = write(fresh(user), title="Before rotation", body="Still *here* after.", mood=2)
        wrapped_before = UserKey.objects.get(user=user).wrapped
        sealed_before = type(entry).objects.get(pk=entry.pk).sealed_body

    call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert UserKey.objects.get(user=user).wrapped != wrapped_before
    assert type(entry).objects.get(pk=entry.pk).sealed_body == sealed_before  # rows untouched
    with override_settings(DATA_ENCRYPTION_KEYS=[new_key]):
        opened = entry_for_owner(fresh(user), entry.pk, body=True, html=True)
        assert (opened.title, opened.body, opened.mood) == (
            "Before rotation",
            "Still *here* after.",
            2,
        )
        assert opened.body_html == "<p>Still <em>here</em> after.</p>"
