"""GitLab Code Quality (a Code Climate JSON array), one issue per problem, for a merge request's
Code Quality widget and diff: its file from the repository's root, its first line, a severity
GitLab knows and a fingerprint that survives edits above it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from argmap.base.sanitize import json_safe

if TYPE_CHECKING:
    from argmap.base.problems import Problem
    from argmap.checks.citations import Report

# GitLab's severities are info, minor, major, critical and blocker: an error of argmap's stops
# the build (major), a warning does not (minor).
SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def issue(problem: Problem, path: str, fingerprint: str) -> dict[str, Any]:
    """One problem as a Code Climate issue."""
    from argmap.base.rules import rule_for
    from argmap.render.concise import fix_text, one_line

    fix = fix_text(problem)
    where = f"¶{problem.paragraph}: " if problem.line is None and problem.paragraph else ""
    return {
        "type": "issue",
        "check_name": f"{problem.code} {rule_for(problem.kind).name}",
        "description": where + one_line(problem.message) + (f" [{fix}]" if fix else ""),
        "categories": ["Bug Risk"],
        "severity": SEVERITIES[str(problem.severity)],
        "fingerprint": fingerprint,
        # lines, not positions: GitLab shows a line, and Code Climate allows one of the two
        "location": {"path": path, "lines": {"begin": problem.line or 1}},
    }


def render_gitlab(report: Report, show_info: bool = False) -> str:
    """The report as a Code Quality JSON array (info notes only with ``show_info``)."""
    from argmap.checks.citations import sort_problems
    from argmap.render.identity import fingerprints, from_root, repository_root

    root = repository_root()
    problems = [p for p in sort_problems(report.problems) if show_info or p.severity != "info"]
    paths = [from_root(p.source, root) or p.source for p in problems]
    prints = fingerprints(problems, paths)
    issues = [issue(p, path, f) for p, path, f in zip(problems, paths, prints, strict=True)]
    return json_safe(json.dumps(issues, ensure_ascii=False, indent=2)) + "\n"
