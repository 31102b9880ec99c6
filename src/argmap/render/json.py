"""JSON renderings: the validated map and the check-citations report (no Rich needed)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from argmap.base.sanitize import json_safe

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
    """The report's JSON text piece by piece, one citation or problem at a time, so a report of
    half a million citations is never held as one document; the text equals
    ``json.dumps(report.to_json(), ensure_ascii=False, indent=2)``."""

    def dumps(value: dict[str, Any]) -> str:
        # terminal-acting characters json leaves raw are written as \u escapes (json_safe)
        return json_safe(_flat_object(value, "    "))

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
        for i, item in enumerate(items):
            yield (",\n    " if i else "") + dumps(item.to_json())
        yield "\n  ]"
    yield "\n}\n"


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


def _flat_object(item: dict[str, Any], margin: str) -> str:
    """``item`` as ``json.dumps(item, ensure_ascii=False, indent=2)`` writes it at ``margin``,
    for objects whose values are scalars or lists of scalars (anything else goes to dumps)."""
    inner = margin + "  "
    parts = []
    for name, value in item.items():
        if isinstance(value, list | tuple):
            if not value:
                text = "[]"
            elif all(not isinstance(v, dict | list | tuple) for v in value):
                text = (
                    "[\n"
                    + ",\n".join(inner + "  " + _scalar(v) for v in value)
                    + "\n"
                    + inner
                    + "]"
                )
            else:
                text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + inner)
        elif isinstance(value, dict):
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + inner)
        else:
            text = _scalar(value)
        encoded = _NAMES.get(name)
        if encoded is None:
            encoded = _NAMES[name] = _ENCODE(name)
        parts.append(f"{inner}{encoded}: {text}")
    if not parts:
        return "{}"
    return "{\n" + ",\n".join(parts) + "\n" + margin + "}"
