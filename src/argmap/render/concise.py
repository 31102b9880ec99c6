"""Concise report lines, one per problem: ``path:line:col: severity CODE message [fix]``, never
cut, for editors' quickfix lists, grep and CI logs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from argmap.base.sanitize import one_line as escape_line

if TYPE_CHECKING:
    from argmap.base.problems import Problem
    from argmap.checks.citations import Report


def one_line(text: str) -> str:
    """``text`` with every run of white space (newlines too) made one space, and control
    characters written as codes (``\\x1b``): text from the user's files never acts on a
    terminal."""
    return escape_line(" ".join(text.split()))


def fix_text(problem: Problem) -> str:
    """What to do, naming the entry's key when neither the message nor the fix names it."""
    fix = problem.suggestion or ""
    key = problem.key
    if key and key not in problem.message and key not in fix:
        fix = f"{key}: {fix}" if fix else key
    return one_line(fix)


def place(line: int | None, column: int | None, paragraph: int | None = None) -> str:
    """``line:col``, or ``¶paragraph`` in a file that has paragraphs, not lines (Word)."""
    if line is None and paragraph:
        return f"¶{paragraph}"
    return f"{line or 1}:{column or 1}"


def problem_line(problem: Problem) -> str:
    """One problem as a concise line, always ``path:line:col: `` first, as editors' error
    formats read it: a Word paragraph (no line) is at 1:1, its ``¶`` opening the message."""
    fix = fix_text(problem)
    where = place(problem.line, problem.column if problem.line is not None else None)
    paragraph = f"¶{problem.paragraph}: " if problem.line is None and problem.paragraph else ""
    return (
        f"{escape_line(problem.source)}:{where}: {problem.severity} "
        f"{problem.code} {paragraph}{one_line(problem.message)}" + (f" [{fix}]" if fix else "")
    )


def render_concise(report: Report, show_info: bool = False) -> str:
    """Every problem of ``report`` (info notes only with ``show_info``) in file and line order,
    then the summary line."""
    from argmap.checks.citations import sort_problems
    from argmap.render.summary import summary_line

    lines = [
        problem_line(p) for p in sort_problems(report.problems) if show_info or p.severity != "info"
    ]
    lines.append(summary_line(report, show_info))
    return "".join(f"{line}\n" for line in lines)
