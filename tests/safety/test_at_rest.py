"""At rest: what a person writes in their safety plan is in no database file, WAL or dump.

A script saves a plan twice through the real views into a real SQLite file in WAL
mode (and prints one without an account), then the file, its -wal and a dumpdata
output are searched for every word written (as tests/journal/test_encryption.py).
"""

import textwrap

from tests.at_rest import written_at_rest

SCRIPT = textwrap.dedent(
    """
    import io, json, os, shutil, sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from accounts.models import User

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA wal_autocheckpoint=0")  # keep every page in the WAL
    words = json.loads(os.environ["CANARY_WORDS"])
    every = ["signs", "calm", "safe_spots", "people", "places", "hotlines", "services",
             "documents", "bag", "money", "code_word", "phone", "hard_signs", "hard_steps",
             "reasons", "safer_space"]
    plan = {name: f"{words['plan']} {name}" for name in every}
    plan["warning_signs"] = plan.pop("signs")
    visitor = Client()
    printed = visitor.post("/safety/plan/pdf/", {
        **plan, "warning_signs": words["visitor"], "paper": "a4", "sections": "signs",
    })
    assert printed.status_code == 200, printed.status_code
    user = User.objects.create_user("canary@example.org", "a-long-test-passphrase")
    client = Client()
    client.force_login(user)
    for edit in ("", " " + words["edit"]):
        saved = client.post("/safety/plan/", {
            **plan, "calm": plan["calm"] + edit, "region": "Canada", "intent": "save",
        })
        assert saved.status_code == 302, saved.status_code
    assert words["edit"] in client.get("/safety/plan/").text  # the site itself can read it
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    name = connection.settings_dict["NAME"]
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{name}{suffix}", f"{name}{suffix}.copy")
    sys.stdout.write(json.dumps({"dump": dump.getvalue()}))
    """
)


def test_a_saved_plan_and_a_printed_one_leave_no_text_in_the_database_wal_or_a_dump(tmp_path):
    words = {"plan": "Gryphonwick", "edit": "Marrowgate", "visitor": "Tamberlowe"}
    stored = written_at_rest(SCRIPT, tmp_path / "safety.sqlite3", words)
    assert len(stored["wal"]) > 50_000  # the writes are in it
    dump = stored["dump"].decode()
    for where, data in stored.items():
        for needle in (*words.values(), "Canada"):
            for encoding in ("utf-8", "utf-16-le"):
                assert needle.encode(encoding) not in data, f"{needle!r} found in {where}"
    assert '"model": "safety.safetyplan"' in dump and '"model": "safety.planversion"' in dump
