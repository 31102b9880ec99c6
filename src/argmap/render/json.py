"""JSON renderings: the validated map and the check-citations report (no Rich needed)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from argmap.base.sanitize import json_safe
from argmap.render.report_schema import CITATION_FIELDS

if TYPE_CHECKING:
    from argmap.base.problems import Problem
    from argmap.checks.citations import CitationRecord, Report
    from argmap.map.models import ArgumentMap


def map_to_json(argmap: ArgumentMap) -> str:
    """The validated map as indented JSON, field names as in the YAML."""
    return (
        json_safe(json.dumps(argmap.model_dump(mode="json"), ensure_ascii=False, indent=2)) + "\n"
    )


def report_json(report: Report) -> str:
    """The check-citations report as one JSON object."""
    return "".join(report_json_chunks(report))


def report_json_chunks(report: Report) -> Iterator[str]:
    """The report's JSON text piece by piece, a few hundred citations or problems at a time, so
    a report of half a million citations is never held as one document; the text equals
    ``json.dumps(report.to_json(), ensure_ascii=False, indent=2)``."""
    from argmap.checks.citations import REPORT_VERSION

    yield f'{{\n  "version": {REPORT_VERSION},\n  "summary": ' + json_safe(
        json.dumps(report.summary(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
    )
    lists: tuple[tuple[str, Sequence[CitationRecord | Problem]], ...] = (
        ("citations", report.citations),
        ("problems", report.problems),
    )
    for name, items in lists:
        if not items:
            yield f',\n  "{name}": []'
            continue
        yield f',\n  "{name}": [\n    '
        fast = name == "citations" and tuple(items[0].to_json()) == CITATION_FIELDS
        for start in range(0, len(items), _BATCH):
            batch = items[start : start + _BATCH]
            if fast:
                # (its strings made safe one by one: see _citations_json)
                text = ",\n    ".join(_citations_json(batch))  # type: ignore[arg-type]
            else:
                # terminal-acting characters json leaves raw are written as \u escapes
                # (json_safe, which escapes character by character: a batch at once is each
                # item escaped)
                text = json_safe(
                    ",\n    ".join(_flat_object(item.to_json(), "    ") for item in batch)
                )
            yield (",\n    " if start else "") + text
        yield "\n  ]"
    yield "\n}\n"


# Items written per piece: few enough that a report of half a million citations is never held
# whole, enough that escaping and writing are not paid per item.
_BATCH = 512

# The C encoder, used value by value: json.dumps with ``indent`` falls back to Python's slower
# encoder, which made writing the JSON of a large report cost as much as checking it.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
# json's own C escaping of a string (as ensure_ascii=False writes it), called directly.
_STRING: Any = getattr(json.encoder, "c_encode_basestring", None) or (
    json.encoder.py_encode_basestring
)
_NAMES: dict[str, str] = {}


def _scalar(value: Any) -> str:
    """One scalar as json.dumps writes it; the common types without the encoder's detour."""
    kind = type(value)
    if kind is str:
        return str(_STRING(value))
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return _ENCODE(value)


def _citations_json(records: Sequence[CitationRecord]) -> list[str]:
    """Each record as ``_flat_object(record.to_json(), "    ")`` writes it, without making the
    dict or testing each value's type: citations are most of a report, and writing them took as
    long as matching them. (Used only while ``to_json`` has the fields of ``CITATION_FIELDS``, the
    report schema's.)

    One f-string per record (a chain of ``+`` made a new string at every step), and the values
    a manuscript repeats — its file's name, a status, a key and its candidates — escaped once.
    Each string is also made ``json_safe`` here, as it is escaped (tests at C speed for
    most): the batch's text, of names with accents, was searched whole for the characters
    json_safe escapes (4-5 ms over the benchmark's report); the rest of a record is ASCII.
    """

    def string(value: str) -> str:
        escaped = _STRING(value)
        return escaped if escaped.isascii() and "\x7f" not in escaped else json_safe(escaped)

    statuses: dict[object, str] = {}
    # escaped once per batch: a manuscript's citations share their file, and a work cited
    # twenty times has twenty records with the same key and candidates
    escaped: dict[str, str] = {}
    lists: dict[tuple[str, ...], str] = {}
    out: list[str] = []
    append = out.append
    for c in records:
        status = statuses.get(c.status)
        if status is None:
            status = statuses[c.status] = (
                f'{string(c.code)},\n      "status": {string(str(c.status))}'
            )
        source = escaped.get(c.source)
        if source is None:
            source = escaped[c.source] = string(c.source)
        line, column, paragraph, key, cited = c.line, c.column, c.paragraph, c.key, c.cited_key
        if key is None:
            key_text = "null"
        elif (known := escaped.get(key)) is not None:
            key_text = known
        else:
            key_text = escaped[key] = string(key)
        candidates = c.candidates
        candidates_text = lists.get(candidates) if candidates else "[]"
        if candidates_text is None:
            candidates_text = lists[candidates] = (
                "[\n        " + ",\n        ".join(map(string, candidates)) + "\n      ]"
            )
        text = _STRING(c.text)
        if not text.isascii() or "\x7f" in text:  # (json_safe's own test, inline)
            text = json_safe(text)
        append(
            f'{{\n      "source": {source}'
            f',\n      "line": {"null" if line is None else int.__repr__(line)}'
            f',\n      "column": {"null" if column is None else int.__repr__(column)}'
            f',\n      "text": {text}'
            f',\n      "code": {status}'
            f',\n      "key": {key_text}'
            f',\n      "candidates": {candidates_text}'
            f',\n      "cited_key": {"null" if cited is None else string(cited)}'
            f',\n      "paragraph": {"null" if paragraph is None else int.__repr__(paragraph)}'
            "\n    }"
        )
    return out


# The text before each value of an object of these names at this margin: the opening brace or
# the comma, the line break, the indent and the name.
_HEADS: dict[tuple[tuple[str, ...], str], tuple[list[str], str]] = {}


def _heads(names: tuple[str, ...], margin: str) -> tuple[list[str], str]:
    """What ``_flat_object`` writes around the values of an object with ``names``."""
    inner = margin + "  "
    heads = [
        ("{\n" if i == 0 else ",\n") + inner + _ENCODE(name) + ": " for i, name in enumerate(names)
    ]
    found = _HEADS[(names, margin)] = (heads, "\n" + margin + "}")
    return found


def _flat_object(item: dict[str, Any], margin: str) -> str:
    """``item`` as ``json.dumps(item, ensure_ascii=False, indent=2)`` writes it at ``margin``,
    for objects whose values are scalars or lists of scalars (anything else goes to dumps)."""
    if not item:
        return "{}"
    names = tuple(item)
    heads, close = _HEADS.get((names, margin)) or _heads(names, margin)
    inner = margin + "  "
    string = _STRING
    parts = []
    for head, value in zip(heads, item.values(), strict=True):
        kind = type(value)
        if kind is str:
            text = string(value)
        elif value is None:
            text = "null"
        elif kind is int:
            text = int.__repr__(value)
        elif kind is list or kind is tuple:
            if not value:
                text = "[]"
            elif all(not isinstance(v, dict | list | tuple) for v in value):
                sep = ",\n" + inner + "  "
                text = "[" + sep[1:] + sep.join(_scalar(v) for v in value) + "\n" + inner + "]"
            else:
                text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + inner)
        elif isinstance(value, dict | list | tuple):
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + inner)
        else:
            text = _scalar(value)
        parts.append(head)
        parts.append(text)
    parts.append(close)
    return "".join(parts)
