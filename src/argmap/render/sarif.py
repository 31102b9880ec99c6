"""SARIF 2.1.0 for code scanning (GitHub, GitLab, editors' SARIF viewers): every rule of the
registry, and a result per problem located by file, line and column."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from argmap import __version__
from argmap.base.sanitize import json_safe

if TYPE_CHECKING:
    from argmap.base.problems import Problem
    from argmap.base.rules import Rule
    from argmap.checks.citations import Report

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {"error": "error", "warning": "warning", "info": "note", None: "none"}


def artifact(source: str) -> dict[str, str]:
    """A file as a SARIF artifact location: relative paths against the checkout's root."""
    path = PurePath(source)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": "%SRCROOT%"}


def sarif_rule(rule: Rule) -> dict[str, Any]:
    """A rule as a SARIF reportingDescriptor."""
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.meaning},
        "help": {"text": rule.fix},
        "defaultConfiguration": {"level": LEVELS[None if rule.severity is None else rule.severity]},
    }


def result(problem: Problem, index: dict[str, int]) -> dict[str, Any]:
    """A problem as a SARIF result."""
    from argmap.render.concise import fix_text, one_line

    fix = fix_text(problem)
    region: dict[str, int] = {}
    if problem.line is not None:
        region["startLine"] = problem.line
        if problem.column is not None:
            region["startColumn"] = problem.column
    location: dict[str, Any] = {"artifactLocation": artifact(problem.source)}
    if region:
        location["region"] = region
    out: dict[str, Any] = {
        "ruleId": problem.code,
        "level": LEVELS[str(problem.severity)],
        "message": {"text": one_line(problem.message) + (f" [{fix}]" if fix else "")},
        "locations": [{"physicalLocation": location}],
    }
    if problem.code in index:
        out["ruleIndex"] = index[problem.code]
    if problem.key:
        out["properties"] = {"key": problem.key}
    return out


def sarif_log(report: Report) -> dict[str, Any]:
    """The report as a SARIF log of one run."""
    from argmap.base.rules import RULES
    from argmap.checks.citations import sort_problems

    index = {rule.code: i for i, rule in enumerate(RULES)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "argmap",
                        "version": __version__,
                        "rules": [sarif_rule(rule) for rule in RULES],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [result(p, index) for p in sort_problems(report.problems)],
            }
        ],
    }


def render_sarif(report: Report) -> str:
    """The SARIF log as indented JSON."""
    return json_safe(json.dumps(sarif_log(report), ensure_ascii=False, indent=2)) + "\n"
