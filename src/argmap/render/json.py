"""JSON renderings: the validated map and the check-citations report (no Rich needed)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from argmap.map.models import ArgumentMap

if TYPE_CHECKING:
    from argmap.base.problems import Problem
    from argmap.checks.citations import CitationRecord, Report


def map_to_json(argmap: ArgumentMap) -> str:
    """The validated map as indented JSON, field names as in the YAML."""
    return json.dumps(argmap.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def report_json(report: Report) -> str:
    """The check-citations report as one JSON object."""
    return "".join(report_json_chunks(report))


def report_json_chunks(report: Report) -> Iterator[str]:
    """The report's JSON text piece by piece, one citation or problem at a time, so a report of
    half a million citations is never held as one document; the text equals
    ``json.dumps(report.to_json(), ensure_ascii=False, indent=2)``."""

    def dumps(value: object) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=2)
        return text.replace("\n", "\n    ")

    yield '{\n  "summary": ' + json.dumps(report.summary(), ensure_ascii=False, indent=2).replace(
        "\n", "\n  "
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
