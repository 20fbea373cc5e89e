"""Front matter: the YAML block between '---' lines at the top of a Markdown file.

Two readers: split_front_matter() for the site's own content files (any YAML), and
read_flat_front_matter() for files from outside the site (a journal import), which
reads flat values only, within bounds, and says in a sentence what it refused.
"""

from __future__ import annotations

from typing import Any

import yaml


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str, str | None]:
    """Return (metadata, body, problem) for a file that starts with a YAML block.

    For the site's own content. Files from outside the site go through
    read_flat_front_matter() instead.
    """
    block, body, problem = _front_matter_block(text)
    if problem:
        return None, text, problem
    try:
        meta = yaml.safe_load(block)
    except yaml.YAMLError as error:
        return None, text, f"front matter is not valid YAML ({error.__class__.__name__})"
    if not isinstance(meta, dict):
        return None, text, "front matter must be a mapping of keys to values"
    return meta, body, None


def _front_matter_block(text: str) -> tuple[str, str, str | None]:
    """Return (the YAML between the '---' lines, the body after them, problem)."""
    if not text.startswith("---\n"):
        return "", text, "has no front matter (it must start with a line '---')"
    end = text.find("\n---\n", 4)
    if end == -1:
        return "", text, "front matter is not closed by a line '---'"
    return text[4:end], text[end + 5 :], None


# libyaml's parser when PyYAML has it (its wheels do): about 15 times faster than the
# pure-Python one, which matters for an import of thousands of small files.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_MAX_NUMBER = 40  # characters in a number; dates and moods need far fewer
_NOT_FLAT = (
    "front matter can hold text, dates, numbers and lists of words, not nested lists or fields"
)


class _NotFlat(Exception):
    """The front matter is more than flat values; the message says how, for the person."""


def read_flat_front_matter(
    text: str, *, max_size: int, max_values: int
) -> tuple[dict[str, Any] | None, str, str | None]:
    """Return (metadata, body, problem) for front matter from outside the site.

    Only flat values are read: text, numbers, dates, times, true/false, null, and
    lists of those. yaml.safe_load keeps anchors and aliases as shared references,
    which expand exponentially once the result is printed (212 bytes became 835 MB
    in an error message), so this builds the mapping itself from the parser's
    events and stops at the first anchor, alias, tag, nested list or mapping,
    repeated key or over-long number, and at more than *max_size* characters or
    *max_values* values, with a sentence saying which.
    """
    block, body, problem = _front_matter_block(text)
    if problem:
        return None, text, problem
    if len(block) > max_size:
        return None, text, f"front matter is longer than {max_size:,} characters"
    try:
        meta = _flat_mapping(block, max_values)
    except _NotFlat as refused:
        return None, text, str(refused)
    except yaml.reader.ReaderError:
        return None, text, "front matter holds a control character, which YAML does not allow"
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        detail = str(getattr(error, "problem", None) or error.__class__.__name__)[:80]
        return None, text, f"front matter is not valid YAML ({where}{detail})"
    except (ValueError, OverflowError):  # 2026-02-30 matches YAML's date pattern
        return None, text, "front matter holds a date or time that does not exist"
    return meta, body, None


def _flat_mapping(block: str, max_values: int) -> dict[str, Any]:
    """Build {key: scalar or [scalars]} from the YAML events of *block*, or raise _NotFlat."""
    resolver = yaml.resolver.Resolver()
    constructor = yaml.constructor.SafeConstructor()
    meta: dict[str, Any] | None = None
    key: str | None = None
    items: list[Any] | None = None  # the list being read, when inside one
    done = False
    values = 0
    for event in yaml.parse(block, Loader=_FAST_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _NotFlat(
                "front matter uses YAML anchors or aliases (& or *); write each value out"
            )
        if isinstance(event, yaml.NodeEvent) and getattr(event, "tag", None) is not None:
            raise _NotFlat("front matter uses a YAML tag (!); write plain values")
        if isinstance(event, yaml.NodeEvent):
            values += 1
            if values > max_values:
                raise _NotFlat(f"front matter holds more than {max_values} values")
        if isinstance(event, yaml.DocumentStartEvent) and done:
            raise _NotFlat("front matter holds more than one YAML document")
        if meta is None:
            if isinstance(event, yaml.MappingStartEvent):
                meta = {}
            elif isinstance(event, yaml.NodeEvent):
                raise _NotFlat("front matter must be a mapping of keys to values")
        elif isinstance(event, yaml.ScalarEvent):
            if items is not None:
                items.append(_scalar(event, resolver, constructor))
            elif key is None:
                if event.value in meta:
                    raise _NotFlat(f"front matter has the field {event.value[:40]!r} twice")
                key = event.value
            else:
                meta[key], key = _scalar(event, resolver, constructor), None
        elif isinstance(event, yaml.SequenceStartEvent) and key is not None and items is None:
            items = []
        elif isinstance(event, yaml.SequenceEndEvent) and key is not None:  # always set here
            meta[key], key, items = items, None, None
        elif isinstance(event, yaml.MappingEndEvent):
            done = True
        elif isinstance(event, yaml.CollectionStartEvent):
            raise _NotFlat(_NOT_FLAT)
    if meta is None:
        raise _NotFlat("front matter must be a mapping of keys to values")
    return meta


def _scalar(
    event: yaml.ScalarEvent,
    resolver: yaml.resolver.Resolver,
    constructor: yaml.constructor.SafeConstructor,
) -> Any:
    """The value of one scalar, typed as yaml.safe_load types it (a date, a number, text)."""
    tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]  # PyYAML: unannotated
    if tag not in constructor.yaml_constructors:  # "<<" and "=" alone: plain text here
        tag = "tag:yaml.org,2002:str"
    if tag in _NUMBER_TAGS and len(event.value) > _MAX_NUMBER:
        raise _NotFlat(f"front matter holds a number longer than {_MAX_NUMBER} digits")
    return constructor.construct_object(yaml.ScalarNode(tag, event.value, style=event.style))
