"""Export entries as JSON or a zip of Markdown files, and read those files back in.

Both formats carry every field an entry has (id, date, title, body, mood, tags,
prompt, guide step, when it was written and last edited), so importing an export
restores the entries exactly. Reading a file checks everything first and writes
nothing unless the whole file is good; each problem is named with where it is.
"""

from __future__ import annotations

import io
import json
import lzma
import reprlib
import struct
import time
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import yaml
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from core.frontmatter import read_flat_front_matter
from core.markdown import MAX_LENGTH
from core.pdf import pdf_filename

from .forms import (
    EARLIEST,
    MAX_TAGS,
    PROMPT_LENGTH,
    TITLE_LENGTH,
    check_body,
    check_date,
    check_step_key,
    parse_tags,
)
from .models import EntryContent, OpenedEntry

FORMAT = "common-ground-journal"
FORMAT_VERSION = 1
FIELDS = (
    "id", "date", "title", "mood", "tags", "prompt", "guide_step", "created_at", "updated_at",
)  # fmt: skip
# Budgets of one import, each checked before the work it bounds:
# an export of MAX_ENTRIES ordinary entries passes all of them with room to spare.
MAX_UPLOAD = 25 * 1024 * 1024
MAX_ENTRIES = 10_000
# Files in a zip, folders and the "._" copies macOS adds included: checked against the
# zip's directory before anything is unpacked.
MAX_MEMBERS = 2 * MAX_ENTRIES + 100
MAX_MEMBER = 4 * MAX_LENGTH + 16_000  # a body of MAX_LENGTH 4-byte characters, plus metadata
# What a zip unpacks to: twice the largest JSON file, so both formats carry about the same
# text (indexing that text for search is the import's largest cost after rendering).
MAX_UNCOMPRESSED = 2 * MAX_UPLOAD
# An entry's front matter is about 300 characters; at its longest (every field full of
# characters YAML escapes) under 16,000, in at most 11 fields and 12 tags.
MAX_FRONT_MATTER = 16_000
MAX_FRONT_MATTER_VALUES = 60
MAX_FRONT_MATTER_TOTAL = 20 * 1024 * 1024
MAX_JSON_DEPTH = 8  # an export nests 4 deep: document, entries, entry, tags
READ_SECONDS = 30.0  # checking a file of MAX_ENTRIES ordinary entries takes a few seconds
MAX_PROBLEMS = 15
MAX_PROBLEM_LENGTH = 300
SHOWN = 40  # characters of a value from the file that a message may quote

_REPR = reprlib.Repr(
    maxlevel=2, maxtuple=3, maxlist=3, maxarray=3, maxdict=3, maxset=3, maxfrozenset=3,
    maxdeque=3, maxstring=SHOWN, maxlong=SHOWN, maxother=SHOWN,
)  # fmt: skip


def shown(value: object) -> str:
    """Quote *value* from an imported file in a message: at most SHOWN characters of its repr.

    Every value from the file goes through here before it is formatted into a
    message, so no message grows with what was sent (a 4,000-digit number, a
    deeply nested list, a megabyte of text).
    """
    if isinstance(value, int) and value.bit_length() > 4 * SHOWN:
        return "a number too long to show"
    text = _REPR.repr(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def shown_name(name: str) -> str:
    """A file name from a zip, cut to a length a message can carry."""
    return name if len(name) <= 2 * SHOWN else name[: 2 * SHOWN - 1] + "…"


class ImportProblems(Exception):
    """The file cannot be imported; .problems says why, one line each, for the person.

    At most MAX_PROBLEMS lines of at most MAX_PROBLEM_LENGTH characters, so the page
    that shows them stays small whatever the file holds.
    """

    def __init__(self, problems: list[str]):
        shown_problems = [_cut(problem) for problem in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown_problems.append(f"… and {len(problems) - MAX_PROBLEMS:,} more problems.")
        self.problems = shown_problems
        super().__init__(f"{len(problems)} problem(s)")


def _cut(problem: str) -> str:
    return (
        problem if len(problem) <= MAX_PROBLEM_LENGTH else problem[: MAX_PROBLEM_LENGTH - 1] + "…"
    )


@dataclass(frozen=True)
class ImportRow:
    id: uuid.UUID | None
    content: EntryContent
    created_at: datetime
    updated_at: datetime


# --- Writing --------------------------------------------------------------------------


def entry_record(entry: OpenedEntry) -> dict:
    """Everything about an opened entry (entry_content, body=True), in the export's names."""
    return {
        "id": str(entry.pk),
        "date": entry.entry_date.isoformat(),
        "title": entry.title,
        "mood": entry.mood,
        "tags": list(entry.tags),
        "prompt": entry.prompt,
        "guide_step": entry.step_key,
        "created_at": entry.created_at.isoformat(),
        "updated_at": entry.updated_at.isoformat(),
        "body": entry.body,
    }


def export_stem(title: str, entries: list[OpenedEntry]) -> str:
    """An export's file name without its extension: the title and the dates it covers
    (entries oldest first), in letters, digits and hyphens only."""
    first, last = entries[0].entry_date, entries[-1].entry_date
    return pdf_filename(f"{title} {first.isoformat()} to {last.isoformat()}")[: -len(".pdf")]


def export_json(entries: list[OpenedEntry]) -> bytes:
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "entries": [entry_record(entry) for entry in entries],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def export_zip(entries: list[OpenedEntry]) -> bytes:
    """One Markdown file per entry, its metadata in YAML front matter, the body as written."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            archive.writestr(markdown_name(entry), entry_markdown(entry_record(entry)))
    return buffer.getvalue()


def entry_markdown(record: dict) -> str:
    """An entry record as one Markdown file: every field but the body as front matter."""
    meta = {key: value for key, value in record.items() if key != "body"}
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n{record['body']}"


def markdown_name(entry: OpenedEntry, folder: str = "journal") -> str:
    words = slugify(entry.title)[:40].strip("-") or "entry"
    return f"{folder}/{entry.entry_date.isoformat()}-{words}-{str(entry.pk)[:8]}.md"


# --- Reading --------------------------------------------------------------------------


class _Refused(Exception):
    """The JSON parser met something an export never holds; the message says what."""


def read_import(data: bytes) -> list[ImportRow]:
    """Parse and check a whole export file, or raise ImportProblems naming what is wrong.

    The cheap checks come first: the upload's size, then the number of entries
    (from a zip's directory, before anything is unpacked; from JSON, before any
    entry is looked at), then sizes, then each entry within READ_SECONDS.
    """
    if len(data) > MAX_UPLOAD:
        raise ImportProblems([f"The file is larger than {MAX_UPLOAD // (1024 * 1024)} MB."])
    deadline = time.monotonic() + READ_SECONDS
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        records = _zip_records(data, deadline)
    else:
        records = _json_records(data)
    if not records:
        raise ImportProblems(["The file holds no entries."])
    problems: list[str] = []
    rows = []
    seen_ids: dict[uuid.UUID, str] = {}
    for number, (where, record) in enumerate(records):
        if number % 100 == 0:
            _check_time(deadline)
        row = _row(record, where, problems)
        if row is None:
            continue
        if row.id is not None:
            if row.id in seen_ids:
                problems.append(f"{where}: the same id as {seen_ids[row.id]}.")
                continue
            seen_ids[row.id] = where
        rows.append(row)
    if problems:
        raise ImportProblems(problems)
    return rows


def _too_many(count: int) -> ImportProblems:
    return ImportProblems(
        [f"The file holds {count:,} entries; one import can take {MAX_ENTRIES:,}. "
         "Export a shorter date range, or split the file."]
    )  # fmt: skip


def _check_time(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise ImportProblems(
            ["Checking this file took too long. Export a shorter date range, or split the file."]
        )


def _not_an_export() -> ImportProblems:
    return ImportProblems(
        ["This file is neither a .zip nor a .json export of this journal. "
         "Choose a file made by Export."]
    )  # fmt: skip


# --- JSON


def _json_records(data: bytes) -> list[tuple[str, object]]:
    # json.detect_encoding tells UTF-8 (with or without a byte order mark) from UTF-16
    # and UTF-32, as json.loads does with bytes; exports are UTF-8.
    encoding = json.detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if data.lstrip()[:1] != b"{":
            raise _not_an_export() from None
        raise ImportProblems(["The JSON file is not UTF-8 text."]) from None
    if text.lstrip()[:1] != "{":
        raise _not_an_export()
    try:
        document = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_object)
    except _Refused as refused:
        raise ImportProblems([f"The JSON file {refused}."]) from None
    except RecursionError:
        raise _too_deep() from None
    except json.JSONDecodeError as error:
        raise ImportProblems(
            [f"The JSON file is broken at line {error.lineno:,}, column {error.colno:,}: "
             f"{error.msg[:80]}."]
        ) from None  # fmt: skip
    except ValueError:  # a number of more than 4,300 digits: Python will not read it
        raise ImportProblems(["The JSON file holds a number with too many digits."]) from None
    if _depth_over(document, MAX_JSON_DEPTH):
        raise _too_deep()
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportProblems([f'This JSON file is not a journal export (no "format": "{FORMAT}").'])
    if document.get("version") != FORMAT_VERSION:
        raise ImportProblems(
            [f"This export is version {shown(document.get('version'))}; this site reads version "
             f"{FORMAT_VERSION}."]
        )  # fmt: skip
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise ImportProblems(['The JSON file has no list of "entries".'])
    if len(entries) > MAX_ENTRIES:
        raise _too_many(len(entries))
    return [(f"Entry {number}", record) for number, record in enumerate(entries, 1)]


def _refuse_constant(name: str):
    raise _Refused(f"holds {name}, which is not a number JSON allows")


def _object(pairs: list[tuple[str, object]]) -> dict:
    document = dict(pairs)
    if len(document) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"has the key {shown(key)} twice in one place")
            seen.add(key)
    return document


def _too_deep() -> ImportProblems:
    return ImportProblems(
        [f"The JSON file is nested deeper than an export ever is ({MAX_JSON_DEPTH} levels)."]
    )


def _depth_over(document: object, limit: int) -> bool:
    """Whether lists and objects in *document* nest more than *limit* deep (without recursion)."""
    level = [document]
    for _ in range(limit):
        level = [
            child
            for value in level
            if isinstance(value, dict | list)
            for child in (value.values() if isinstance(value, dict) else value)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return True


# --- Zip


# Compression methods Python's zipfile unpacks (AES-encrypted members use another).
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
# What unpacking a damaged member can raise: a bad CRC or header, bad deflate data, ...
_DAMAGED = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError,
    NotImplementedError, RuntimeError,
)  # fmt: skip


def _zip_records(data: bytes, deadline: float) -> list[tuple[str, object]]:
    """Read the entries of a zip export: every budget is checked from the zip's directory
    (number of files, sizes, compression, passwords) before a single file is unpacked."""
    archive, members = _checked_members(data)
    problems: list[str] = []
    records: list[tuple[str, object]] = []
    front_matter = 0
    for info in members:
        _check_time(deadline)
        name = shown_name(info.filename)
        try:
            # zipfile stops at the size the directory declares (_checked_members) and then
            # fails the CRC check, so a member that inflates further is refused as damaged.
            with archive.open(info) as member:
                raw = member.read(MAX_MEMBER + 1)
        except _DAMAGED:
            problems.append(f"{name}: is damaged; export again.")
            continue
        try:
            # Some editors start a UTF-8 file with a byte order mark.
            text = raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        except UnicodeDecodeError:
            problems.append(f"{name}: is not UTF-8 text.")
            continue
        end = text.find("\n---\n", 0, MAX_FRONT_MATTER + 16)
        front_matter += end if end != -1 else min(len(text), MAX_FRONT_MATTER)
        if front_matter > MAX_FRONT_MATTER_TOTAL:
            raise ImportProblems(["The .zip file holds more than this site can check at once."])
        meta, body, problem = read_flat_front_matter(
            text, max_size=MAX_FRONT_MATTER, max_values=MAX_FRONT_MATTER_VALUES
        )
        if problem:
            problems.append(f"{name}: {problem}.")
            continue
        records.append((name, {**(meta or {}), "body": body}))
    if problems:
        raise ImportProblems(problems)
    return records


def _checked_members(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The zip's entry files, once its directory passes every budget (else ImportProblems)."""
    # Every file in the zip's directory starts with this signature, and zipfile refuses
    # an entry without it, so counting it (a few milliseconds for 25 MB) bounds the
    # files before zipfile builds an object for each (about 1 s per 50,000 here).
    files = data.count(b"PK\x01\x02")
    if files > MAX_MEMBERS:
        raise ImportProblems(
            [f"The .zip file holds {files:,} files; an export of at most {MAX_ENTRIES:,} "
             "entries has far fewer. Export a shorter date range, or split the file."]
        )  # fmt: skip
    listed = _listed_names(data)
    if listed is not None:
        entry_files = sum(_is_entry_name(name.decode("utf-8", "replace")) for name in listed)
        if entry_files > MAX_ENTRIES:
            raise _too_many(entry_files)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _DAMAGED:
        raise ImportProblems(["The .zip file is damaged or incomplete."]) from None
    members = [info for info in infos if not info.is_dir() and _is_entry_name(info.filename)]
    if len(members) > MAX_ENTRIES:
        raise _too_many(len(members))
    if sum(info.file_size for info in members) > MAX_UNCOMPRESSED:
        raise ImportProblems(
            [f"The .zip file unpacks to more than {MAX_UNCOMPRESSED // (1024 * 1024)} MB. "
             "Export a shorter date range, or split the file."]
        )  # fmt: skip
    problems = []
    for info in members:
        name = shown_name(info.filename)
        if info.flag_bits & 0x1:
            problems.append(f"{name}: is password-protected; export again without a password.")
        elif info.compress_type not in _METHODS:
            problems.append(f"{name}: is packed in a way this site cannot unpack; zip it again.")
        elif info.file_size > MAX_MEMBER:
            problems.append(f"{name}: is too large to be one journal entry.")
    if problems:
        raise ImportProblems(problems)
    return archive, members


def _is_entry_name(name: str) -> bool:
    """A .md file that is not hidden and not macOS's "._" shadow of one."""
    last = name.rsplit("/", 1)[-1]
    return (
        last.lower().endswith(".md") and not last.startswith((".", "_")) and "__MACOSX/" not in name
    )


def _listed_names(data: bytes) -> list[bytes] | None:
    """The file names in a zip's directory, read without zipfile's object for each file.

    About ten times quicker than zipfile for 20,000 files, so a zip of too many
    entries is refused at once. None when the directory is not simply before the
    end record (ZIP64, damage): zipfile's own reading then decides, within MAX_MEMBERS.
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end == -1 or end + 22 > len(data):
        return None
    (size,) = struct.unpack_from("<I", data, end + 12)
    position = end - size
    if position < 0:
        return None
    names = []
    while position + 46 <= end:
        if data[position : position + 4] != b"PK\x01\x02":
            return None
        name, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        names.append(data[position + 46 : position + 46 + name])
        position += 46 + name + extra + comment
    return names


# --- Entries


def _row(record: object, where: str, problems: list[str]) -> ImportRow | None:
    if not isinstance(record, dict):
        problems.append(f"{where}: is not a set of fields.")
        return None
    unknown = sorted(str(key) for key in record if key not in {*FIELDS, "body"})
    if unknown:
        names = ", ".join(shown(name) for name in unknown[:3])
        more = f" and {len(unknown) - 3:,} more" if len(unknown) > 3 else ""
        problems.append(f"{where}: unknown field {names}{more} (known: body, {', '.join(FIELDS)}).")
        return None
    before = len(problems)

    def problem(message: str) -> None:
        problems.append(f"{where}: {message}")

    entry_date = _date(record.get("date"), problem)
    title = _text(record.get("title"), "title", TITLE_LENGTH, problem)
    prompt = _text(record.get("prompt"), "prompt", PROMPT_LENGTH, problem)
    body = record.get("body")
    if not isinstance(body, str):
        problem("has no body text.")
    elif odd := _odd_character(body):
        problem(f"the text {odd}.")
    else:
        try:
            body = check_body(body)
        except ValidationError as error:
            problem(error.messages[0])
    mood = record.get("mood")
    if mood is not None and (type(mood) is not int or mood not in range(1, 6)):
        problem(f"mood must be a whole number from 1 to 5 or empty, not {shown(mood)}.")
    tags = _tags(record.get("tags"), problem)
    step_key = _text(record.get("guide_step"), "guide_step", 200, problem)
    try:
        check_step_key(step_key)
    except ValidationError as error:
        problem(error.messages[0])
    entry_id = _uuid(record.get("id"), problem)
    now = timezone.now()
    created_at = _moment(record.get("created_at"), "created_at", now, problem) or now
    updated_at = _moment(record.get("updated_at"), "updated_at", now, problem) or created_at
    if len(problems) > before or body is None or entry_date is None:
        return None  # each missing value has been reported as a problem
    return ImportRow(
        id=entry_id,
        content=EntryContent(
            title=title,
            body=body,
            entry_date=entry_date,
            mood=mood,
            tags=tuple(tags),
            prompt=prompt,
            step_key=step_key,
        ),
        created_at=created_at,
        updated_at=updated_at,
    )


def _text(value, name: str, limit: int, problem) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problem(f"{name} must be text, not {shown(value)}.")
        return ""
    if len(value) > limit:
        problem(f"{name} is longer than {limit} characters.")
        return ""
    if odd := _odd_character(value):
        problem(f"{name} {odd}.")
        return ""
    return value


def _odd_character(text: str) -> str | None:
    """What makes *text* unfit to keep: a NUL, or half of a UTF-16 pair (JSON's "\\ud800")."""
    if "\x00" in text:
        return "holds a NUL character, which text never has"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "holds half of a character (a lone surrogate), which text never has"
    return None


def _tags(value, problem) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        problem(f"tags must be a list of words, not {shown(value)}.")
        return ()
    if len(value) > MAX_TAGS:
        problem(f"Use at most {MAX_TAGS} tags; this entry has {len(value):,}.")
        return ()
    try:
        return parse_tags(",".join(value))
    except ValidationError as error:
        problem(" ".join(error.messages))
        return ()


def _date(value, problem) -> date | None:
    if value in (None, ""):
        problem("has no date.")
        return None
    try:
        # YAML reads an unquoted 2026-03-14 as a date already (and 2026-03-14 10:00 as a time).
        if isinstance(value, datetime):
            value = value.date()
        return check_date(value if isinstance(value, date) else date.fromisoformat(value))
    except (TypeError, ValueError):
        problem(f"the date {shown(value)} is not a date like 2026-03-14.")
    except ValidationError as error:
        problem(error.messages[0])
    return None


def _moment(value, name: str, now: datetime, problem) -> datetime | None:
    if value in (None, ""):
        return None
    example = "a date and time like 2026-03-14T09:30:00+00:00"
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except (TypeError, ValueError):
        problem(f"{name} {shown(value)} is not {example}.")
        return None
    if not timezone.is_aware(moment):
        moment = moment.replace(tzinfo=UTC)
    try:
        in_range = EARLIEST <= moment.astimezone(UTC).date() <= (now + timedelta(days=1)).date()
    except OverflowError:  # year 1 in a time zone east of UTC
        in_range = False
    if not in_range:
        problem(f"{name} {shown(value)} is not between {EARLIEST.year} and today.")
        return None
    return moment


def _uuid(value, problem) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return uuid.UUID(value)
    except ValueError:
        problem(f"id {shown(value)} is not an entry id.")
        return None
