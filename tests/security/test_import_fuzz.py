"""Hostile files against the journal import, zip and JSON: every one gets a clear answer.

Each case is uploaded through the import page and must get a 400 with a small page
(or a 302 when the file is in fact good), within a bounded time, and a refusal must
leave the database as it was. Hypothesis is not installed here, so the cases are a
table: structure (depth, size, count), a wrong type in every field, encodings,
numbers, duplicate keys, and the odd corners of the zip format.
"""

from __future__ import annotations

import io
import json
import struct
import time
import warnings
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from journal.exports import FIELDS, MAX_ENTRIES, MAX_UPLOAD
from journal.models import EntryToken, JournalEntry
from tests.journal.conftest import finish_job

PAGE_LIMIT = 64 * 1024
SECONDS = 3.0  # each case takes a few hundredths to a few tenths of a second here
GOOD_FRONT = "---\ndate: 2026-03-14\ntitle: Fine\n---\nWords that are fine.\n"
GOOD_ENTRY = {"date": "2026-03-14", "title": "Fine", "body": "Words that are fine."}


def document(*entries, **top) -> dict:
    return {"format": "common-ground-journal", "version": 1, "entries": list(entries), **top}


def as_json(value, **options) -> bytes:
    return json.dumps(value, **options).encode()


def zipped(members, method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": one case wants it
        for name, text in members:
            if name.endswith("/"):
                archive.mkdir(name.rstrip("/"))
            else:
                archive.writestr(name, text)
    return buffer.getvalue()


# Where a field sits in a zip's local header and in its directory entry.
OFFSETS = {"flags": (6, 8, "<H"), "method": (8, 10, "<H"), "size": (22, 24, "<I")}


def patched(data: bytes, field: str, value: int, *, local: bool = True) -> bytes:
    """*data* (a zip of one file) with *field* of that file set to *value*."""
    changed = bytearray(data)
    in_local, in_directory, layout = OFFSETS[field]
    if local:
        struct.pack_into(layout, changed, changed.find(b"PK\x03\x04") + in_local, value)
    struct.pack_into(layout, changed, changed.find(b"PK\x01\x02") + in_directory, value)
    return bytes(changed)


def nested(depth: int, inner: str = "1") -> bytes:
    return ("[" * depth + inner + "]" * depth).encode()


ONE_GOOD_ZIP = zipped([("journal/a.md", GOOD_FRONT)])

# (id, file name, bytes, entries it imports: None for a refusal)
CASES = [
    # --- JSON structure
    ("json-empty-file", "j.json", b"", None),
    ("json-whitespace", "j.json", b" \n\t ", None),
    ("json-top-list", "j.json", b"[]", None),
    ("json-top-string", "j.json", b'"common-ground-journal"', None),
    ("json-top-null", "j.json", b"null", None),
    ("json-5000-deep-entries", "j.json",
     b'{"format":"common-ground-journal","version":1,"entries":' + nested(5000) + b"}", None),
    ("json-5000-deep-objects", "j.json", b'{"a":' * 5000 + b"1" + b"}" * 5000, None),
    ("json-100000-deep", "j.json", nested(100_000), None),
    ("json-9-deep-field", "j.json",
     as_json(document({**GOOD_ENTRY, "title": json.loads(nested(6))})), None),
    ("json-no-entries", "j.json", as_json(document()), None),
    ("json-entries-object", "j.json", as_json({**document(), "entries": {"a": GOOD_ENTRY}}), None),
    ("json-entries-null", "j.json", as_json({**document(), "entries": None}), None),
    ("json-too-many-entries", "j.json", as_json(document(*[GOOD_ENTRY] * (MAX_ENTRIES + 1))), None),
    ("json-entry-not-object", "j.json", as_json(document("an entry", 3, None, [GOOD_ENTRY])), None),
    ("json-version-huge", "j.json", as_json({**document(GOOD_ENTRY), "version": 10**4000}), None),
    ("json-version-nested", "j.json", as_json({**document(GOOD_ENTRY), "version": [[[1]]]}), None),
    ("json-format-wrong", "j.json", as_json({**document(GOOD_ENTRY), "format": "x" * 10**6}), None),
    ("json-unknown-fields", "j.json",
     as_json(document({**GOOD_ENTRY, **{f"k{i}" * 50: i for i in range(5000)}})), None),
    ("json-truncated", "j.json", as_json(document(GOOD_ENTRY))[:-7], None),
    ("json-trailing-garbage", "j.json", as_json(document(GOOD_ENTRY)) + b"}{", None),
    # --- Numbers
    ("json-mood-4400-digits", "j.json",
     as_json(document({**GOOD_ENTRY, "mood": 0})).replace(b'"mood": 0', b'"mood": ' + b"9" * 4400),
     None),
    ("json-mood-4000-digits", "j.json", as_json(document({**GOOD_ENTRY, "mood": 10**3999})), None),
    ("json-mood-1e400", "j.json",
     as_json(document({**GOOD_ENTRY, "mood": 0})).replace(b'"mood": 0', b'"mood": 1e400'), None),
    ("json-mood-nan", "j.json", as_json(document({**GOOD_ENTRY, "mood": float("nan")})), None),
    ("json-mood-infinity", "j.json", as_json(document({**GOOD_ENTRY, "mood": float("inf")})), None),
    ("json-mood-minus-infinity", "j.json",
     as_json(document({**GOOD_ENTRY, "mood": float("-inf")})), None),
    ("json-mood-float", "j.json", as_json(document({**GOOD_ENTRY, "mood": 3.0})), None),
    ("json-mood-bool", "j.json", as_json(document({**GOOD_ENTRY, "mood": True})), None),
    ("json-mood-ok", "j.json", as_json(document({**GOOD_ENTRY, "mood": 3})), 1),
    ("json-created-year-1-east", "j.json",
     as_json(document({**GOOD_ENTRY, "created_at": "0001-01-01T00:00:00+05:00"})), None),
    ("json-created-year-9999", "j.json",
     as_json(document({**GOOD_ENTRY, "updated_at": "9999-12-31T23:59:59-05:00"})), None),
    # --- Duplicate keys
    ("json-duplicate-top-key", "j.json",
     b'{"format":"common-ground-journal","format":"x","version":1,"entries":[]}', None),
    ("json-duplicate-entry-key", "j.json",
     b'{"format":"common-ground-journal","version":1,"entries":'
     b'[{"date":"2026-03-14","body":"a","body":"b"}]}', None),
    # --- Encodings
    ("json-utf8-bom", "j.json", b"\xef\xbb\xbf" + as_json(document(GOOD_ENTRY)), 1),
    ("json-utf16-le-bom", "j.json",
     json.dumps(document(GOOD_ENTRY)).encode("utf-16"), 1),
    ("json-utf16-be", "j.json", json.dumps(document(GOOD_ENTRY)).encode("utf-16-be"), 1),
    ("json-utf32", "j.json", json.dumps(document(GOOD_ENTRY)).encode("utf-32"), 1),
    ("json-latin1", "j.json",
     json.dumps(document({**GOOD_ENTRY, "title": "café"}), ensure_ascii=False).encode("latin-1"),
     None),
    ("json-invalid-utf8", "j.json", as_json(document(GOOD_ENTRY)).replace(b"Fine", b"\xff\xfe"),
     None),
    ("json-raw-nul", "j.json", as_json(document(GOOD_ENTRY)).replace(b"Fine", b"Fi\x00ne"), None),
    ("json-escaped-nul-body", "j.json", as_json(document({**GOOD_ENTRY, "body": "a\x00b"})), None),
    ("json-lone-surrogate-body", "j.json",
     as_json(document({**GOOD_ENTRY, "body": "a\ud800b"})), None),
    ("json-lone-surrogate-title", "j.json",
     as_json(document({**GOOD_ENTRY, "title": "\udfff"})), None),
    ("json-control-characters", "j.json",
     as_json(document({**GOOD_ENTRY, "title": "\x07\x1b[31m", "body": "ok\x08\x7f"})), 1),
    ("json-emoji-and-rtl", "j.json",
     as_json(document({**GOOD_ENTRY, "title": "🌱 \u202eevil", "body": "ok 🌱"})), 1),
    # --- Size
    ("upload-over-the-limit", "j.json", b"{" + b" " * MAX_UPLOAD + b"}", None),
    ("json-body-over-the-limit", "j.json",
     as_json(document({**GOOD_ENTRY, "body": "x" * 50_001})), None),
    # --- Zip structure
    ("zip-truncated", "j.zip", ONE_GOOD_ZIP[: len(ONE_GOOD_ZIP) // 2], None),
    ("zip-only-header", "j.zip", b"PK\x03\x04", None),
    ("zip-empty", "j.zip", zipped([]), None),
    ("zip-only-directories", "j.zip", zipped([("journal/", ""), ("journal/a.md/", "")]), None),
    ("zip-directories-and-a-file", "j.zip",
     zipped([("journal/", ""), ("journal/a.md", GOOD_FRONT)]), 1),
    ("zip-absolute-path", "j.zip", zipped([("/etc/passwd.md", GOOD_FRONT)]), 1),
    ("zip-dot-dot-path", "j.zip", zipped([("../../../tmp/x.md", GOOD_FRONT)]), 1),
    ("zip-windows-path", "j.zip", zipped([("C:\\Users\\x\\a.md", GOOD_FRONT)]), 1),
    ("zip-stored", "j.zip", zipped([("a.md", GOOD_FRONT)], zipfile.ZIP_STORED), 1),
    ("zip-bzip2", "j.zip", zipped([("a.md", GOOD_FRONT)], zipfile.ZIP_BZIP2), 1),
    ("zip-lzma", "j.zip", zipped([("a.md", GOOD_FRONT)], zipfile.ZIP_LZMA), 1),
    ("zip-encrypted-flag", "j.zip", patched(ONE_GOOD_ZIP, "flags", 0x1), None),
    ("zip-unknown-method", "j.zip", patched(ONE_GOOD_ZIP, "method", 99), None),
    ("zip-claims-tiny-inflates-more", "j.zip", patched(ONE_GOOD_ZIP, "size", 10), None),
    ("zip-directory-claims-tiny", "j.zip", patched(ONE_GOOD_ZIP, "size", 10, local=False), None),
    ("zip-claims-huge", "j.zip", patched(ONE_GOOD_ZIP, "size", 2**31), None),
    ("zip-zero-length-member", "j.zip", zipped([("a.md", "")]), None),
    ("zip-no-markdown", "j.zip", zipped([("a.txt", GOOD_FRONT), ("inner.zip", ONE_GOOD_ZIP)]),
     None),
    ("zip-hidden-and-macos-shadows", "j.zip",
     zipped([("a.md", GOOD_FRONT), ("._a.md", "\x00\x05\x16\x07"), ("__MACOSX/a.md", "x"),
             (".hidden.md", "x")]), 1),
    ("zip-utf8-bom-member", "j.zip", zipped([("a.md", "\ufeff" + GOOD_FRONT)]), 1),
    ("zip-crlf-member", "j.zip", zipped([("a.md", GOOD_FRONT.replace("\n", "\r\n"))]), 1),
    ("zip-invalid-utf8-member", "j.zip", zipped([("a.md", b"---\ndate: \xff\n---\nx")]), None),
    ("zip-nul-in-body", "j.zip", zipped([("a.md", GOOD_FRONT + "\x00")]), None),
    ("zip-utf16-member", "j.zip", zipped([("a.md", GOOD_FRONT.encode("utf-16"))]), None),
    ("zip-duplicate-names", "j.zip", zipped([("a.md", GOOD_FRONT), ("a.md", GOOD_FRONT)]), 2),
    ("zip-same-id-twice", "j.zip",
     zipped([(f"{n}.md", "---\nid: 8b5c0f8e-4f53-4a4e-9c8e-0d1e2f3a4b5c\n" + GOOD_FRONT[4:])
             for n in "ab"]), None),
    ("zip-too-many-entries", "j.zip",
     zipped([(f"{n}.md", GOOD_FRONT) for n in range(MAX_ENTRIES + 1)], zipfile.ZIP_STORED), None),
    ("zip-front-matter-not-closed", "j.zip", zipped([("a.md", "---\ndate: 2026-03-14\n")]), None),
    ("zip-front-matter-deep", "j.zip",
     zipped([("a.md", "---\n" + "[" * 10_000 + "\n---\nx")]), None),
    ("zip-front-matter-two-documents", "j.zip",
     zipped([("a.md", "---\ndate: 2026-03-14\n--- \ntitle: x\n---\nx")]), None),
    ("zip-yaml-python-tag", "j.zip",
     zipped([("a.md", "---\ndate: !!python/object/apply:os.system [id]\n---\nx")]), None),
    ("zip-yaml-merge-key", "j.zip",
     zipped([("a.md", "---\n<<: {date: 2026-03-14}\n---\nx")]), None),
    ("zip-yaml-control-char", "j.zip", zipped([("a.md", "---\ndate: 2026-03-14\x07\n---\nx")]),
     None),
    ("zip-inside-json-name", "j.json", ONE_GOOD_ZIP, 1),  # the content decides, not the name
]  # fmt: skip

# A wrong value in every field of a JSON entry: none of these is valid for any field.
WRONG_VALUES = [
    0, -1, 1.5, True, {}, [[1]], {"a": {"b": [1]}}, "x" * 100_000, 10**300, "\x00", "\ud800",
    [None], [1, "a"], ["a"] * 13, [],
]  # fmt: skip
for field in (*FIELDS, "body"):
    for number, value in enumerate(WRONG_VALUES):
        if field == "tags" and value == []:
            continue  # no tags is fine
        entry = {**GOOD_ENTRY, field: value}
        CASES.append((f"json-{field}-wrong-{number}", "j.json", as_json(document(entry)), None))

# The same for the front matter of a zip's file, written as YAML.
WRONG_YAML = [
    "{a: 1}", "[[1]]", "&a x", "*a", "!!binary aGk=", "!!str x", "[1, 2]", "9" * 50, ".nan",
    ".inf", "true", "-1", "1.5", '"\\0"', '"\\ud800"', "[" * 50, "? a\n: b",
]  # fmt: skip
for field in FIELDS:
    for number, value in enumerate(WRONG_YAML):
        front = f"---\ndate: 2026-03-14\n{field}: {value}\n---\nWords.\n"
        if field == "date":
            front = f"---\ndate: {value}\n---\nWords.\n"
        CASES.append((f"zip-{field}-wrong-{number}", "j.zip", zipped([("a.md", front)]), None))


@pytest.fixture
def journal_state(user):
    def state():
        return (JournalEntry.objects.count(), EntryToken.objects.count())

    return state


@pytest.mark.parametrize(
    ("name", "data", "imports"), [pytest.param(*case[1:], id=case[0]) for case in CASES]
)
def test_a_hostile_import_gets_a_clear_small_quick_answer(
    signed_in, user, journal_state, name, data, imports
):
    before = journal_state()
    signed_in.get("/journal/import/")  # the first request of a process loads the templates
    start = time.perf_counter()
    response = signed_in.post("/journal/import/", {"file": SimpleUploadedFile(name, data)})
    seconds = time.perf_counter() - start
    assert len(response.content) < PAGE_LIMIT
    assert seconds < SECONDS
    if imports is None:
        assert response.status_code == 400, response.text[:2000]
        said = "Nothing was imported" in response.text or "That file is empty." in response.text
        assert said
        assert journal_state() == before
    else:
        assert response.status_code == 303, response.text[-4000:]  # to the import job's page
        assert "Imported" in finish_job(signed_in, response).text
        assert JournalEntry.objects.filter(user=user).count() == before[0] + imports


def test_the_table_covers_every_field_and_both_formats():
    names = [case[0] for case in CASES]
    for field in (*FIELDS, "body"):
        assert any(name.startswith(f"json-{field}-wrong") for name in names)
    for field in FIELDS:
        assert any(name.startswith(f"zip-{field}-wrong") for name in names)
    assert sum(case[3] is None for case in CASES) > 300
