"""Export entries as JSON or a zip of Markdown files, and read those files back in.

Both formats carry every field an entry has (id, date, title, body, mood, tags,
prompt, guide step, when it was written and last edited), so importing an export
restores the entries exactly. Reading a file checks everything first and writes
nothing unless the whole file is good; each problem is named with where it is.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime

import yaml
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from guides.content import split_front_matter

from .forms import (
    PROMPT_LENGTH,
    TITLE_LENGTH,
    check_body,
    check_date,
    check_step_key,
    parse_tags,
)
from .markdown import MAX_LENGTH
from .models import EntryContent, JournalEntry

FORMAT = "common-ground-journal"
FORMAT_VERSION = 1
FIELDS = (
    "id", "date", "title", "mood", "tags", "prompt", "guide_step", "created_at", "updated_at",
)  # fmt: skip
MAX_UPLOAD = 25 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_MEMBER = 4 * MAX_LENGTH + 16_000  # a body of MAX_LENGTH 4-byte characters, plus metadata
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_PROBLEMS = 15


class ImportProblems(Exception):
    """The file cannot be imported; .problems says why, one line each, for the person."""

    def __init__(self, problems: list[str]):
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"… and {len(problems) - MAX_PROBLEMS} more problems.")
        self.problems = shown
        super().__init__(f"{len(problems)} problem(s)")


@dataclass(frozen=True)
class ImportRow:
    id: uuid.UUID | None
    content: EntryContent
    created_at: datetime
    updated_at: datetime


# --- Writing --------------------------------------------------------------------------


def entry_record(entry: JournalEntry) -> dict:
    """Everything about an opened entry (open(body=True)), in the export's field names."""
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


def export_json(entries: list[JournalEntry]) -> bytes:
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "entries": [entry_record(entry) for entry in entries],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def export_zip(entries: list[JournalEntry]) -> bytes:
    """One Markdown file per entry, its metadata in YAML front matter, the body as written."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            record = entry_record(entry)
            body = record.pop("body")
            front = yaml.safe_dump(record, sort_keys=False, allow_unicode=True)
            archive.writestr(markdown_name(entry), f"---\n{front}---\n{body}")
    return buffer.getvalue()


def markdown_name(entry: JournalEntry) -> str:
    words = slugify(entry.title)[:40].strip("-") or "entry"
    return f"journal/{entry.entry_date.isoformat()}-{words}-{str(entry.pk)[:8]}.md"


# --- Reading --------------------------------------------------------------------------


def read_import(data: bytes) -> list[ImportRow]:
    """Parse and check a whole export file, or raise ImportProblems naming what is wrong."""
    if len(data) > MAX_UPLOAD:
        raise ImportProblems([f"The file is larger than {MAX_UPLOAD // (1024 * 1024)} MB."])
    if data.startswith(b"PK\x03\x04"):
        records = _zip_records(data)
    elif data.lstrip()[:1] == b"{":
        records = _json_records(data)
    else:
        raise ImportProblems(
            ["This file is neither a .zip nor a .json export of this journal. "
             "Choose a file made by Export."]
        )  # fmt: skip
    if not records:
        raise ImportProblems(["The file holds no entries."])
    if len(records) > MAX_ENTRIES:
        raise ImportProblems(
            [f"The file holds {len(records):,} entries; one import can take {MAX_ENTRIES:,}. "
             "Export a shorter date range, or split the file."]
        )  # fmt: skip
    problems: list[str] = []
    rows = []
    seen_ids: dict[uuid.UUID, str] = {}
    for where, record in records:
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


def _json_records(data: bytes) -> list[tuple[str, object]]:
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ImportProblems(["The JSON file is not UTF-8 text."]) from None
    except json.JSONDecodeError as error:
        raise ImportProblems(
            [f"The JSON file is broken at line {error.lineno}, column {error.colno}: {error.msg}."]
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportProblems([f'This JSON file is not a journal export (no "format": "{FORMAT}").'])
    if document.get("version") != FORMAT_VERSION:
        raise ImportProblems(
            [f"This export is version {document.get('version')!r}; this site reads version "
             f"{FORMAT_VERSION}."]
        )  # fmt: skip
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise ImportProblems(['The JSON file has no list of "entries".'])
    return [(f"Entry {number}", record) for number, record in enumerate(entries, 1)]


def _zip_records(data: bytes) -> list[tuple[str, object]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [
            info for info in archive.infolist()
            if not info.is_dir() and info.filename.endswith(".md")
            and not info.filename.rsplit("/", 1)[-1].startswith((".", "_"))
        ]  # fmt: skip
        if sum(info.file_size for info in members) > MAX_UNCOMPRESSED:
            raise ImportProblems(["The .zip file unpacks to more than this site can take."])
        records = []
        problems = []
        for info in members:
            name = info.filename
            if info.flag_bits & 0x1:
                problems.append(f"{name}: is password-protected; export again without a password.")
                continue
            if info.file_size > MAX_MEMBER:
                problems.append(f"{name}: is too large to be one journal entry.")
                continue
            try:
                text = archive.read(info).decode("utf-8")
            except UnicodeDecodeError:
                problems.append(f"{name}: is not UTF-8 text.")
                continue
            meta, body, problem = split_front_matter(text.replace("\r\n", "\n"))
            if problem:
                problems.append(f"{name}: {problem}.")
                continue
            records.append((name, {**meta, "body": body}))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise ImportProblems(["The .zip file is damaged or incomplete."]) from None
    if problems:
        raise ImportProblems(problems)
    return records


def _row(record: object, where: str, problems: list[str]) -> ImportRow | None:
    if not isinstance(record, dict):
        problems.append(f"{where}: is not a set of fields.")
        return None
    unknown = sorted(set(map(str, record)) - {*FIELDS, "body"})
    if unknown:
        problems.append(
            f"{where}: unknown field {', '.join(repr(u) for u in unknown)} "
            f"(known: body, {', '.join(FIELDS)})."
        )
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
    else:
        try:
            body = check_body(body)
        except ValidationError as error:
            problem(error.messages[0])
    mood = record.get("mood")
    if mood is not None and (type(mood) is not int or mood not in range(1, 6)):
        problem(f"mood must be a whole number from 1 to 5 or empty, not {mood!r}.")
    tags = record.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        problem("tags must be a list of words.")
        tags = []
    else:
        try:
            tags = parse_tags(",".join(tags))
        except ValidationError as error:
            problem(" ".join(error.messages))
    step_key = _text(record.get("guide_step"), "guide_step", 200, problem)
    try:
        check_step_key(step_key)
    except ValidationError as error:
        problem(error.messages[0])
    entry_id = _uuid(record.get("id"), problem)
    now = timezone.now()
    created_at = _moment(record.get("created_at"), "created_at", problem) or now
    updated_at = _moment(record.get("updated_at"), "updated_at", problem) or created_at
    if len(problems) > before:
        return None
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
        problem(f"{name} must be text.")
        return ""
    if len(value) > limit:
        problem(f"{name} is longer than {limit} characters.")
    return value


def _date(value, problem) -> date | None:
    try:
        # YAML reads an unquoted 2026-03-14 as a date already.
        return check_date(value if isinstance(value, date) else date.fromisoformat(value))
    except (TypeError, ValueError):
        problem(f"the date {value!r} is not a date like 2026-03-14." if value else "has no date.")
    except ValidationError as error:
        problem(error.messages[0])
    return None


def _moment(value, name: str, problem) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except (TypeError, ValueError):
        problem(f"{name} {value!r} is not a date and time like 2026-03-14T09:30:00+00:00.")
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _uuid(value, problem) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        problem(f"id {value!r} is not an entry id.")
        return None
