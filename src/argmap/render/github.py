"""GitHub Actions workflow commands, one annotation per problem
(``::error file=...,line=...,col=...,title=...::message``), escaped as the runner reads them (the
toolkit's ``escapeData`` and ``escapeProperty``), files from the repository's root."""

from __future__ import annotations

from typing import TYPE_CHECKING

from argmap.render.concise import fix_text, one_line

if TYPE_CHECKING:
    from argmap.base.problems import Problem
    from argmap.checks.citations import Report

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """A message escaped as the runner's command parser expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file, title) escaped, commas and colons too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem, path: str | None = None) -> str:
    """One problem as a workflow command; ``path``: its file from the repository's root (GitHub
    places annotations from there), else as argmap shows it."""
    from argmap.base.rules import rule_for

    title = f"{problem.code} {rule_for(problem.kind).name}"
    fix = fix_text(problem)
    where = f"¶{problem.paragraph}: " if problem.line is None and problem.paragraph else ""
    message = where + one_line(problem.message) + (f" [{fix}]" if fix else "")
    props = [f"file={escape_property(path or problem.source)}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
        if problem.column is not None:
            props.append(f"col={problem.column}")
    props.append(f"title={escape_property(title)}")
    return f"::{LEVELS[str(problem.severity)]} {','.join(props)}::{escape_data(message)}"


def render_github(report: Report, show_info: bool = False) -> str:
    """An annotation per problem (notices for info only with ``show_info``), then the summary as
    a plain log line."""
    from argmap.checks.citations import sort_problems
    from argmap.render.identity import from_root, repository_root
    from argmap.render.summary import summary_line

    root = repository_root()
    lines = [
        annotation(p, from_root(p.source, root))
        for p in sort_problems(report.problems)
        if show_info or p.severity != "info"
    ]
    lines.append(summary_line(report, show_info))
    over = _over_the_limit(lines)
    if over:
        lines.append(
            f"GitHub shows {ANNOTATIONS_PER_KIND} annotations of each kind per step (50 per job): "
            f"{over} here; every one is in this log, and --output-format sarif with "
            "github/codeql-action/upload-sarif shows them all"
        )
    return "".join(f"{line}\n" for line in lines)


# The annotations of one kind (error, warning, notice) GitHub shows per step (actions/toolkit,
# docs/problem-matchers.md: 10 of each per step, 50 per job); the rest are dropped silently.
ANNOTATIONS_PER_KIND = 10


def _over_the_limit(lines: list[str]) -> str:
    """``23 errors, 12 warnings`` for the kinds of which there are more annotations than GitHub
    shows, or ""."""
    counts = {
        kind: sum(line.startswith(f"::{kind} ") for line in lines) for kind in LEVELS.values()
    }
    return ", ".join(f"{n} {kind}s" for kind, n in counts.items() if n > ANNOTATIONS_PER_KIND)
