import io
import json
import zipfile
from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from accounts.crypto import user_keys
from guides.content import site_content
from journal.exports import export_json
from journal.models import JournalEntry
from journal.selectors import entry_content
from tests.journal.conftest import finish_job, words_of

STEP, PROMPT = site_content().prompts[3]
FIELDS = ("pk", "entry_date", "created_at", "updated_at", "title", "body", "body_html",
          "tags", "mood", "prompt", "step_key", "excerpt")  # fmt: skip


def everything(user) -> list[tuple]:
    """Every field of every entry of *user*, decrypted, in a stable order."""
    keys = user_keys(user)
    entries = JournalEntry.objects.for_user(user).order_by("entry_date", "created_at")
    return [
        tuple(getattr(entry_content(entry, keys, body=True, html=True), name) for name in FIELDS)
        for entry in entries
    ]


@pytest.fixture
def journal(user, write):
    """A few entries that use every field, with text that is hard to carry across."""
    write(
        user,
        title="Ünïcode “quotes” — and: a colon",
        body="# Heading\n\n*Stressed* but **hopeful**.\n\n- one\n- two\n\n> quote\n\n---\nend\n",
        entry_date=date(2025, 12, 31),
        mood=2,
        tags=["work", "late night", "don't"],
        prompt=PROMPT,
        step_key=STEP.key,
    )
    write(
        user, title="", body="  leading spaces and trailing newline\n", entry_date=date(2026, 1, 2)
    )
    write(user, title="Third", body="Plain.", mood=5, tags=["hope"], entry_date=date(2026, 2, 3))
    JournalEntry.objects.filter(user=user).update(
        created_at=datetime(2026, 2, 3, 9, 30, 15, 123456, tzinfo=UTC)
    )
    return everything(user)


def download(client, **fields):
    return client.post("/journal/export/", {"format": "json", "title": "Notes", **fields})


def upload(client, name: str, data: bytes):
    return client.post("/journal/import/", {"file": SimpleUploadedFile(name, data)})


def imported(client, name: str, data: bytes) -> str:
    """Import *data* as a person does: the form, then the job's progress page, in words."""
    return words_of(finish_job(client, upload(client, name, data)))


def test_export_asks_for_a_recent_password_check(signed_in, journal):
    response = signed_in.get("/journal/export/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/reauthenticate/")
    assert download(signed_in).status_code == 302  # the file too


def test_the_export_page_lists_the_entries_to_leave_out(reauthenticated, journal):
    page = reauthenticated.get("/journal/export/").text
    assert "3 entries in your journal" in page and page.count('name="leave_out"') == 3
    # The scope is posted ("Show these entries"), so a tag or dates never go into a URL.
    response = reauthenticated.post("/journal/export/", {"tag": "hope", "show": "1"})
    assert response.status_code == 200
    assert "1 entry matches your choice" in response.text and "Third" in response.text
    assert 'method="get"' not in response.text


@pytest.mark.parametrize("kind", ["json", "zip"])
def test_an_export_imported_again_restores_every_field_exactly(
    reauthenticated, user, journal, kind
):
    response = download(reauthenticated, format=kind)
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="notes-2025-12-31-to-2026-02-03.{kind}"'
    JournalEntry.objects.filter(user=user).delete()

    shown = imported(reauthenticated, f"export.{kind}", response.content)
    assert everything(user) == journal
    assert "Imported 3 entries." in shown, shown[-3000:]


def test_the_zip_holds_one_markdown_file_per_entry_with_its_metadata(reauthenticated, journal):
    archive = zipfile.ZipFile(io.BytesIO(download(reauthenticated, format="zip").content))
    names = sorted(archive.namelist())
    assert len(names) == 3 and names[0].startswith("journal/2025-12-31-unicode-quotes-and-a-colon-")
    text = archive.read(names[0]).decode()
    assert text.startswith("---\nid: ")
    assert "mood: 2\n" in text and "- late night\n" in text and f"guide_step: {STEP.key}\n" in text
    assert text.endswith(
        "---\n# Heading\n\n*Stressed* but **hopeful**.\n\n- one\n- two\n\n> quote\n\n---\nend\n"
    )


def test_importing_entries_already_in_the_journal_leaves_them_as_they_are(
    reauthenticated, user, journal
):
    exported = download(reauthenticated).content
    shown = imported(reauthenticated, "export.json", exported)
    assert "Imported 0 entries. 3 were already in your journal" in shown
    assert everything(user) == journal


def test_the_import_message_speaks_of_one_entry_in_the_singular(reauthenticated, user, write):
    write(user, title="Only one", body="Just this.")
    exported = download(reauthenticated).content
    shown = imported(reauthenticated, "export.json", exported)
    assert "Imported 0 entries. 1 was already in your journal and left as it is." in shown


def test_importing_someone_elses_export_gives_new_ids_and_never_touches_theirs(
    reauthenticated, user, other_user, journal, client, password
):
    exported = download(reauthenticated).content
    client.force_login(other_user)
    assert "Imported 3 entries." in imported(client, "export.json", exported)
    theirs = everything(other_user)
    assert [row[1:] for row in theirs] == [row[1:] for row in journal]  # all but the id
    assert not {row[0] for row in theirs} & {row[0] for row in journal}
    assert everything(user) == journal


def test_export_can_leave_out_entries_and_keep_to_a_date_range(reauthenticated, user, journal):
    third = JournalEntry.objects.get(user=user, entry_date=date(2026, 2, 3))
    document = json.loads(download(reauthenticated, leave_out=[str(third.pk)]).content)
    assert [entry["date"] for entry in document["entries"]] == ["2025-12-31", "2026-01-02"]
    document = json.loads(download(reauthenticated, start="2026-01-01", end="2026-01-31").content)
    assert [entry["date"] for entry in document["entries"]] == ["2026-01-02"]
    response = download(reauthenticated, start="2030-01-01", end="2030-01-02")
    assert response.status_code == 422 and "There are no entries to export" in response.text


def test_the_pdf_has_a_neutral_title_and_file_name_and_every_chosen_entry(
    reauthenticated, user, journal
):
    response = download(reauthenticated, format="pdf", title="Personal notes")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="personal-notes-2025-12-31-to-2026-02-03.pdf"'
    )
    pdf = PdfReader(io.BytesIO(response.content))
    assert pdf.metadata.title == "Personal notes"
    assert not pdf.metadata.author
    text = " ".join(page.extract_text() for page in pdf.pages)
    for expected in ("Personal notes", "Wednesday 31 December 2025", "Stressed", "Mood: Low",
                     "Tags: work, late night, don", "MOOD OVER THIS PERIOD", "Third"):  # fmt: skip
        assert expected in text, expected
    assert "Common Ground" not in text and "couples" not in text.lower()


def test_a_pdf_too_complex_to_lay_out_is_refused_clearly_not_a_500(reauthenticated, user, write):
    write(user, body="> " * 60 + "deep")
    response = download(reauthenticated, format="pdf")
    assert response.status_code == 422
    assert "too complex to export" in response.text and "nested too deeply" in response.text


def test_an_unknown_format_or_title_is_refused(reauthenticated, journal):
    assert download(reauthenticated, format="docx").status_code == 422
    assert download(reauthenticated, format="pdf", title="Secret journal").status_code == 422


# --- Broken import files --------------------------------------------------------------------


def export_of(**entry) -> bytes:
    record: dict[str, object] = {
        "id": None, "date": "2026-01-01", "title": "", "body": "Text.", "mood": None, "tags": [],
        "prompt": "", "guide_step": "", "created_at": None, "updated_at": None,
    }  # fmt: skip
    record.update(entry)
    return json.dumps(
        {"format": "common-ground-journal", "version": 1, "entries": [record]}
    ).encode()


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"hello", "neither a .zip nor a .json export"),
        ("x.json", b'{"format": "common-ground-journal", "entries": [', "broken at line 1, column"),
        ("x.json", b'{"entries": []}', "not a journal export"),
        (
            "x.json",
            export_of(date="2026-13-01"),
            "Entry 1: the date &#x27;2026-13-01&#x27; is not a date",
        ),
        ("x.json", export_of(mood=7), "Entry 1: mood must be a whole number from 1 to 5"),
        ("x.json", export_of(mood="happy"), "mood must be a whole number"),
        ("x.json", export_of(body="  "), "Entry 1: This entry is empty"),
        ("x.json", export_of(body="x" * 50_001), "the limit is 50,000"),
        ("x.json", export_of(tags=["ok", "<b>"]), "The tag “&lt;b&gt;” can only hold letters"),
        ("x.json", export_of(tags="work"), "tags must be a list of words"),
        ("x.json", export_of(id="not-an-id"), "id &#x27;not-an-id&#x27; is not an entry id"),
        ("x.json", export_of(moood=3), "unknown field &#x27;moood&#x27;"),
        (
            "x.json",
            export_of(created_at="yesterday"),
            "created_at &#x27;yesterday&#x27; is not a date",
        ),
        ("x.json", export_of(guide_step="../etc"), "is not a guide step"),
        ("x.zip", b"PK\x03\x04 broken", "The .zip file is damaged or incomplete"),
        ("x.zip", zip_of({"journal/a.md": "no front matter"}), "journal/a.md: has no front matter"),
        (
            "x.zip",
            zip_of({"journal/a.md": "---\ndate: [\n---\nx"}),
            "front matter is not valid YAML",
        ),
        ("x.zip", zip_of({"journal/a.md": b"\xff\xfe".decode("latin-1")}), "has no front matter"),
        ("x.zip", zip_of({"readme.txt": "hi"}), "The file holds no entries"),
    ],
)
def test_a_broken_import_file_gets_a_clear_error_and_imports_nothing(
    signed_in, user, write, name, data, message
):
    write(user, title="Existing")
    response = upload(signed_in, name, data)
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert message in response.text
    assert JournalEntry.objects.filter(user=user).count() == 1


def test_an_import_with_one_bad_entry_imports_none_of_the_good_ones(signed_in, user):
    good = json.loads(export_of(body="Fine."))["entries"][0]
    document = {"format": "common-ground-journal", "version": 1,
                "entries": [good, {**good, "date": "soon"}, {**good, "mood": 0}]}  # fmt: skip
    response = upload(signed_in, "x.json", json.dumps(document).encode())
    assert response.status_code == 400
    assert "Entry 2: the date" in response.text and "Entry 3: mood" in response.text
    assert not JournalEntry.objects.exists()


def test_duplicate_ids_in_one_file_are_refused(signed_in):
    entry = json.loads(export_of(id="8b5c0f8e-4f53-4a4e-9c8e-0d1e2f3a4b5c"))["entries"][0]
    document = {"format": "common-ground-journal", "version": 1, "entries": [entry, entry]}
    response = upload(signed_in, "x.json", json.dumps(document).encode())
    assert "Entry 2: the same id as Entry 1" in response.text


def test_choosing_no_file_says_so(signed_in):
    response = signed_in.post("/journal/import/", {})
    assert response.status_code == 400 and "Choose a file to import" in response.text


def test_an_upload_is_read_in_memory_never_spooled_to_disk(signed_in, user, monkeypatch):
    def no_temporary_files(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(
        "django.core.files.uploadedfile.TemporaryUploadedFile.__init__", no_temporary_files
    )
    big = export_of(body="word " * 9_000)
    entries = json.loads(big)["entries"] * 80  # about 3.6 MB, over Django's 2.5 MB spool size
    document = {"format": "common-ground-journal", "version": 1, "entries": entries}
    data = json.dumps(document).encode()
    assert len(data) > 2_621_440
    assert "Imported 80 entries." in imported(signed_in, "big.json", data)
    assert JournalEntry.objects.filter(user=user).count() == 80


def test_the_json_export_is_versioned_and_names_its_format(user, write):
    write(user, title="One")
    keys = user_keys(user)
    document = json.loads(
        export_json([entry_content(e, keys, body=True) for e in JournalEntry.objects.all()])
    )
    assert document["format"] == "common-ground-journal" and document["version"] == 1


# --- One import at a time, a few PDFs ---------------------------------------------------------


def test_a_second_import_waits_for_the_first_and_says_so(signed_in, user):
    first = upload(signed_in, "x.json", export_of(body="First."))
    assert first.status_code == 303
    again = upload(signed_in, "x.json", export_of(body="Second."))
    assert again.status_code == 429
    assert "An import of yours is still going on" in again.text
    finish_job(signed_in, first)
    assert upload(signed_in, "x.json", export_of(body="Second.")).status_code == 303


def test_a_fourth_pdf_waits_while_three_are_being_made(reauthenticated, user, write):
    for day in range(1, 8):
        write(user, title=f"Day {day}", entry_date=date(2026, 2, day))
    for _ in range(3):
        assert download(reauthenticated, format="pdf").status_code == 303
    response = download(reauthenticated, format="pdf")
    assert response.status_code == 429
    assert "Some of your PDFs are still being made" in response.text
