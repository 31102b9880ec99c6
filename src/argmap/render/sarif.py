"""SARIF 2.1.0 for code scanning (GitHub, GitLab, editors' SARIF viewers): every rule of the
registry, and a result per problem located by file, line and column (in characters), its path
relative to the repository's root (``%SRCROOT%``) and a fingerprint that survives edits above it."""

from __future__ import annotations

import json
from pathlib import Path, PurePath
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


# The key of argmap's own fingerprint in ``partialFingerprints`` (versioned, as the spec asks: a
# new way of computing it gets a new key).
FINGERPRINT = "argmap/v1"


def artifact(source: str, relative: str | None) -> dict[str, str]:
    """A file as a SARIF artifact location: its path from the repository's root against
    ``%SRCROOT%``; a file outside the root by its absolute ``file:`` URI."""
    if relative is None:
        path = PurePath(source)
        return {"uri": (path if path.is_absolute() else Path(path).absolute()).as_uri()}
    return {"uri": quote(relative), "uriBaseId": "%SRCROOT%"}


def sarif_rule(rule: Rule) -> dict[str, Any]:
    """A rule as a SARIF reportingDescriptor."""
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.meaning},
        "fullDescription": {"text": f"{rule.meaning}."},
        "help": {
            "text": rule.fix,
            "markdown": f"**{rule.code} {rule.name}**: {rule.meaning}.\n\nWhat to do: {rule.fix}.",
        },
        "defaultConfiguration": {"level": LEVELS[None if rule.severity is None else rule.severity]},
    }


def result(
    problem: Problem, index: dict[str, int], relative: str | None, fingerprint: str
) -> dict[str, Any]:
    """A problem as a SARIF result."""
    from argmap.render.concise import fix_text, one_line

    fix = fix_text(problem)
    # GitHub code scanning places only results with a startLine: a problem of a whole file (or
    # of a Word paragraph) is shown at its first line, as the concise lines show it
    region: dict[str, int] = {"startLine": problem.line or 1}
    if problem.line is not None and problem.column is not None:
        region["startColumn"] = problem.column
    location: dict[str, Any] = {
        "artifactLocation": artifact(problem.source, relative),
        "region": region,
    }
    out: dict[str, Any] = {
        "ruleId": problem.code,
        "level": LEVELS[str(problem.severity)],
        "message": {
            "text": (
                f"¶{problem.paragraph}: " if problem.line is None and problem.paragraph else ""
            )
            + one_line(problem.message)
            + (f" [{fix}]" if fix else "")
        },
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT: fingerprint},
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
    from argmap.render.identity import fingerprints, from_root, repository_root

    index = {rule.code: i for i, rule in enumerate(RULES)}
    root = repository_root()
    problems = sort_problems(report.problems)
    relative = [from_root(p.source, root) for p in problems]
    prints = fingerprints(
        problems, [r or p.source for r, p in zip(relative, problems, strict=True)]
    )
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
                # the paths of the results are relative to this folder
                "originalUriBaseIds": {"%SRCROOT%": {"uri": f"{root.as_uri().rstrip('/')}/"}},
                "columnKind": "unicodeCodePoints",
                "results": [
                    result(p, index, r, f)
                    for p, r, f in zip(problems, relative, prints, strict=True)
                ],
            }
        ],
    }


def render_sarif(report: Report) -> str:
    """The SARIF log as indented JSON."""
    return json_safe(json.dumps(sarif_log(report), ensure_ascii=False, indent=2)) + "\n"
