"""The JSON Schema (2020-12) of the check-citations JSON report (`argmap schema --scope report`).

Written by hand, as the report is built from dataclasses, and kept honest by a test that
validates real reports against it (every object closed with ``additionalProperties: false``)."""

from __future__ import annotations

import json
from typing import Any

from argmap import __version__

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The fields of a citation record of the JSON report, in the order they are written: the schema
# lists these and render/json writes these, so the two cannot drift apart.
CITATION_FIELDS = (
    "source",
    "line",
    "column",
    "text",
    "code",
    "status",
    "key",
    "candidates",
    "cited_key",
    "paragraph",
)


def report_schema() -> dict[str, Any]:
    """The schema of the report object, its codes and statuses listed from the registry."""
    from argmap.base.rules import RULES
    from argmap.checks.citations import REPORT_VERSION
    from argmap.citations.matcher import Status

    codes = [rule.code for rule in RULES]
    kinds = [rule.name for rule in RULES]
    statuses = [str(s) for s in Status]
    nullable_int = {"type": ["integer", "null"], "minimum": 1}
    nullable_str = {"type": ["string", "null"]}
    count = {"type": "integer", "minimum": 0}
    citation: dict[str, Any] = {
        "source": {"type": "string"},
        "line": nullable_int,
        "column": nullable_int,
        "text": {"type": "string"},
        "code": {"enum": codes},
        "status": {"enum": statuses},
        "key": nullable_str,
        "candidates": {"type": "array", "items": {"type": "string"}},
        # the key as written, for a key citation (\cite{a,b} has two rows); null otherwise
        "cited_key": nullable_str,
        "paragraph": nullable_int,
    }
    return {
        "$schema": DIALECT,
        "title": "argmap check-citations report",
        "description": f"the JSON report of argmap check-citations (argmap {__version__})",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "summary", "citations", "problems"],
        "properties": {
            "version": {"const": REPORT_VERSION},
            "summary": {
                "type": "object",
                "additionalProperties": False,
                "required": ["citations", "by_status", "errors", "warnings", "info", "ignored"],
                "properties": {
                    "citations": count,
                    "by_status": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": statuses,
                        "properties": {s: count for s in statuses},
                    },
                    "errors": count,
                    "warnings": count,
                    "info": count,
                    "ignored": count,
                },
            },
            "citations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": list(CITATION_FIELDS),
                    "properties": {name: citation[name] for name in CITATION_FIELDS},
                },
            },
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [
                        "code",
                        "kind",
                        "severity",
                        "source",
                        "line",
                        "column",
                        "message",
                        "key",
                        "suggestion",
                        "paragraph",
                    ],
                    "properties": {
                        "code": {"enum": codes},
                        "kind": {"enum": kinds},
                        "severity": {"enum": ["error", "warning", "info"]},
                        "source": {"type": "string"},
                        "line": nullable_int,
                        "column": nullable_int,
                        "message": {"type": "string"},
                        "key": nullable_str,
                        "suggestion": nullable_str,
                        "paragraph": nullable_int,
                    },
                },
            },
        },
    }


def report_schema_json() -> str:
    """The report schema as indented JSON."""
    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"
