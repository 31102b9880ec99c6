"""The full check-citations report for a terminal: problems grouped by file, each with its
line, column, code, message and fix. Nothing is ever cut: long lines wrap at spaces, a word wider
than the screen is folded, and a file's path stands whole on its own line."""

from __future__ import annotations

import textwrap
from itertools import groupby

from rich.console import Console
from rich.text import Text

from argmap.checks.citations import CitationRecord, Report, sort_problems
from argmap.render.concise import fix_text, one_line
from argmap.render.summary import summary_line

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "dim", "ok": "green"}
INDENT = "    "


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` wrapped at spaces to ``width`` less the indent, each line indented."""
    room = max(width - len(INDENT), 20)
    lines = textwrap.wrap(one_line(text), room, break_long_words=True, break_on_hyphens=False) or [
        ""
    ]
    return [INDENT + line for line in lines]


def _entry(
    where: str, severity: str, code: str, name: str, message: str, fix: str, width: int
) -> Text:
    """One finding: ``line:col severity CODE name``, then its message and its fix."""
    text = Text()
    text.append(f"  {where} ", style="bold")
    text.append(severity, style=SEVERITY_STYLES.get(severity, ""))
    text.append(f" {code} {name}".rstrip(), style="cyan")
    for line in _wrapped(message, width):
        text.append("\n" + line)
    if fix:
        for line in _wrapped(f"→ {fix}", width):
            text.append("\n" + line, style="green")
    return text


def _rows(report: Report, show_all: bool, width: int) -> list[tuple[str, int, int, Text]]:
    """Every finding to show, as (source, line, column, text)."""
    from argmap.base.rules import rule_for

    rows: list[tuple[str, int, int, Text]] = []
    for p in sort_problems(report.problems):
        if p.severity == "info" and not show_all:
            continue
        where = f"{p.line or 1}:{p.column or 1}"
        name = rule_for(p.kind).name
        entry = _entry(where, str(p.severity), p.code, name, p.message, fix_text(p), width)
        rows.append((p.source, p.line or 0, p.column or 0, entry))
    if show_all:
        for c in report.citations:
            if c.status == "ok":
                rows.append((c.source, c.line or 0, c.column or 0, _ok(c, width)))
    return rows


def _ok(c: CitationRecord, width: int) -> Text:
    """An ok citation (listed with --all)."""
    where = f"{c.line or 1}:{c.column or 1}"
    return _entry(where, "ok", c.code, "", f"{c.text} → {c.key}", "", width)


def print_report(report: Report, console: Console, show_all: bool = False) -> None:
    """Print the findings grouped by file, then the summary line."""
    rows = sorted(_rows(report, show_all, console.width), key=lambda r: (r[0], r[1], r[2]))
    # soft_wrap everywhere: the text is wrapped here, and a path is never folded or cut
    for source, group in groupby(rows, key=lambda r: r[0]):
        console.print(Text(source, style="bold underline"), soft_wrap=True)
        for *_, text in group:
            console.print(text, soft_wrap=True)
    console.print(Text(summary_line(report, show_all), style="bold"), soft_wrap=True)
