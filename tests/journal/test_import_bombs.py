"""Import files built to blow up: YAML aliases, and values that explode in a message.

Before the fix, a 212-byte zip whose one Markdown file had eight levels of nested
YAML aliases in its `id` made the server use 2.8 GB and answer with an 835 MB page
(149 s here): yaml.safe_load kept the aliases as shared references and the error
message formatted the value, expanding it. Every refusal must now be quick, small
and change nothing.
"""

import io
import json
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from journal.exports import MAX_PROBLEM_LENGTH, MAX_PROBLEMS, SHOWN, ImportProblems, shown
from journal.models import EntryToken, JournalEntry
from tests.journal.conftest import finish_job

PAGE_LIMIT = 64 * 1024
FAST = 2.0  # seconds; the refusals below take a few hundredths


def alias_bomb(levels: int, field: str) -> str:
    """Front matter whose *field* is a list of *levels* lists, each nine aliases of the last."""
    lines = ["- &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    for level in range(1, levels):
        name, previous = "abcdefghij"[level], "abcdefghij"[level - 1]
        lines.append(f"- &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return f"---\n{field}:\n" + "\n".join(lines) + "\n---\n"


def zipped(name: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(name, text)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "journal.zip"):
    start = time.perf_counter()
    response = client.post("/journal/import/", {"file": SimpleUploadedFile(name, data)})
    return response, time.perf_counter() - start


@pytest.fixture
def unchanged(user, write):
    """The user's journal (one entry) and a check that an import left it exactly as it was."""
    write(user, title="Already here")
    before = (JournalEntry.objects.count(), EntryToken.objects.count())
    yield
    assert (JournalEntry.objects.count(), EntryToken.objects.count()) == before


def test_the_212_byte_alias_bomb_in_the_id_is_refused_at_once_with_a_small_page(
    signed_in, unchanged
):
    data = zipped("journal/bomb.md", alias_bomb(8, "id"))
    assert len(data) == 212  # the file of the security test: 9**8 "lol"s once expanded
    response, seconds = upload(signed_in, data)
    assert response.status_code == 400
    assert len(response.content) < PAGE_LIMIT
    assert seconds < FAST
    assert "journal/bomb.md: front matter uses YAML anchors or aliases" in response.text


@pytest.mark.parametrize("field", ["date", "created_at", "mood", "updated_at", "tags", "title"])
def test_six_levels_of_aliases_in_any_field_are_refused_small_and_fast(signed_in, unchanged, field):
    response, seconds = upload(signed_in, zipped("journal/a.md", alias_bomb(6, field)))
    assert response.status_code == 400
    assert len(response.content) < PAGE_LIMIT and seconds < FAST
    assert "anchors or aliases" in response.text


def test_a_single_anchor_is_refused_too(signed_in, unchanged):
    text = "---\ndate: &d 2026-03-14\ncreated_at: *d\n---\nWords."
    response, _ = upload(signed_in, zipped("journal/a.md", text))
    assert response.status_code == 400 and "anchors or aliases" in response.text


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("date: 2026-03-14\ntitle: {a: 1}", "not nested lists or fields"),
        ("date: 2026-03-14\ntags: [[a, b]]", "not nested lists or fields"),
        ("date: 2026-03-14\ntags: !!set {a, b}", "uses a YAML tag"),
        ("date: 2026-03-14\ntitle: !!python/object:os.system x", "uses a YAML tag"),
        ("date: 2026-03-14\ndate: 2026-03-15", "has the field &#x27;date&#x27; twice"),
        ("date: 2026-03-14\nmood: " + "9" * 4400, "a number longer than 40 digits"),
        ("date: 2026-02-30", "a date or time that does not exist"),
        ("- date\n- 2026-03-14", "must be a mapping of keys to values"),
        ("date: 2026-03-14\ntags: [" + ",".join(["a"] * 500) + "]", "more than 60 values"),
    ],
)
def test_front_matter_beyond_flat_values_is_refused_with_a_clear_message(
    signed_in, unchanged, front, message
):
    response, seconds = upload(signed_in, zipped("journal/a.md", f"---\n{front}\n---\nWords."))
    assert response.status_code == 400 and seconds < FAST
    assert "journal/a.md: front matter" in response.text and message in response.text


def test_long_front_matter_is_refused_before_it_is_parsed(signed_in, unchanged, monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("the YAML parser was reached")

    monkeypatch.setattr("yaml.parse", no_parsing)
    front = "date: 2026-03-14\ntitle: " + "x" * 20_000
    response, _ = upload(signed_in, zipped("journal/a.md", f"---\n{front}\n---\nWords."))
    assert response.status_code == 400
    assert "front matter is longer than 16,000 characters" in response.text


# --- Every value quoted in a message is cut short -----------------------------------------


def export_of(**entry) -> str:
    record = {"date": "2026-03-14", "body": "Words.", **entry}
    return json.dumps({"format": "common-ground-journal", "version": 1, "entries": [record]})


HUGE = "x" * 1_000_000
DEEP = json.loads("[" * 5 + "1" + "]" * 5)  # as deep as a field may go (8 in all)


@pytest.mark.parametrize(
    ("entry", "start"),
    [
        ({"id": HUGE}, "id 'xxxx"),
        ({"id": 10**4000}, "id a number too long to show"),
        ({"id": DEEP}, "id [[[...]]]"),
        ({"date": HUGE}, "the date 'xxxx"),
        ({"date": DEEP}, "the date [[[...]]]"),
        ({"created_at": HUGE}, "created_at 'xxxx"),
        ({"updated_at": {"a": HUGE}}, "updated_at {'a': 'xxx"),
        ({"mood": HUGE}, "mood must be a whole number from 1 to 5 or empty, not 'xxxx"),
        ({"mood": 10**4000}, "mood must be a whole number from 1 to 5 or empty, not a number"),
        (
            {"mood": [HUGE[:1000]] * 1000},
            "mood must be a whole number from 1 to 5 or empty, not ['xx",
        ),
        ({"title": [HUGE]}, "title must be text, not ['xxx"),
        ({"tags": HUGE}, "tags must be a list of words, not 'xxx"),
        ({"tags": [HUGE]}, "The tag “xxxx"),
        ({"tags": ["a"] * 100_000}, "Use at most 12 tags; this entry has 100,000."),
        ({HUGE: 1, "y" * 1000: 2, "z": 3, "w": 4}, "unknown field 'w', 'xxxx"),
    ],
)
def test_a_value_in_a_message_is_at_most_a_few_dozen_characters(signed_in, unchanged, entry, start):
    response, seconds = upload(signed_in, export_of(**entry).encode(), "journal.json")
    assert response.status_code == 400 and seconds < FAST
    assert len(response.content) < 16 * 1024
    assert f"Entry 1: {start}" in response.text.replace("&#x27;", "'")


def test_shown_never_builds_more_than_its_limit():
    deep: list = []
    for _ in range(100_000):  # deeper than repr() could go
        deep = [deep]
    for value in ("y" * 10**7, 10**4000, deep, {str(i): i for i in range(10**5)}, -(10**100)):
        assert len(shown(value)) <= SHOWN


def test_the_error_page_lists_at_most_max_problems_lines_of_bounded_length(signed_in, unchanged):
    bad = {"date": "not a date " * 100, "body": "Words.", "mood": "happy " * 100}
    document = {"format": "common-ground-journal", "version": 1, "entries": [bad] * 10_000}
    data = json.dumps(document).encode()
    assert len(data) > 2 * 1024 * 1024  # checked by the worker: the problems are on its page
    response, seconds = upload(signed_in, data, "journal.json")
    start = time.perf_counter()
    page = finish_job(signed_in, response)
    seconds += time.perf_counter() - start
    assert "Nothing was imported" in page.text
    assert len(page.content) < PAGE_LIMIT
    assert f"and {20_000 - MAX_PROBLEMS:,} more problems" in page.text
    assert seconds < 10  # 10,000 entries checked; about a second here


def test_problem_lines_are_cut_to_their_limit():
    error = ImportProblems(["x" * 10_000] * (MAX_PROBLEMS + 5))
    assert len(error.problems) == MAX_PROBLEMS + 1
    assert all(len(line) <= MAX_PROBLEM_LENGTH for line in error.problems)


def test_a_long_member_name_is_cut_in_the_message(signed_in, unchanged):
    name = "journal/" + "n" * 60_000 + ".md"
    response, _ = upload(signed_in, zipped(name, "no front matter"))
    assert response.status_code == 400 and len(response.content) < 16 * 1024
    assert "has no front matter" in response.text
