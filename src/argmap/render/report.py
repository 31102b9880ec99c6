"""The full check-citations report for a terminal: problems grouped by file, each with its
line, column, code, message and fix. Nothing is ever cut: long lines wrap at spaces, and a file's
path stands whole on its own line."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.text import Text

from argmap.checks.citations import CitationRecord, Report, sort_problems
from argmap.render.concise import fix_text
from argmap.render.summary import summary_line

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "dim", "ok": "green"}
INDENT = "    "


def _entry(where: str, severity: str, code: str, name: str, message: str, fix: str) -> Text:
    """One finding as wrapped text: ``line:col severity CODE name  message`` then its fix."""
    text = Text(no_wrap=False, overflow="fold")
    text.append(f"  {where} ", style="bold")
    text.append(severity, style=SEVERITY_STYLES.get(severity, ""))
    text.append(f" {code} {name}", style="cyan")
    text.append(f"  {message}")
    if fix:
        text.append(f"\n{INDENT}→ ")
        text.append(fix)
    return text


def _rows(report: Report, show_all: bool) -> list[tuple[str, int, int, Text]]:
    """Every finding to show, as (source, line, column, text)."""
    from argmap.base.rules import rule_for

    rows: list[tuple[str, int, int, Text]] = []
    for p in sort_problems(report.problems):
        if p.severity == "info" and not show_all:
            continue
        where = f"{p.line or 1}:{p.column or 1}"
        rows.append(
            (
                p.source,
                p.line or 0,
                p.column or 0,
                _entry(
                    where, str(p.severity), p.code, rule_for(p.kind).name, p.message, fix_text(p)
                ),
            )
        )
    if show_all:
        for c in report.citations:
            if c.status == "ok":
                rows.append((c.source, c.line or 0, c.column or 0, _ok(c)))
    return rows


def _ok(c: CitationRecord) -> Text:
    """An ok citation (listed with --all)."""
    where = f"{c.line or 1}:{c.column or 1}"
    return _entry(where, "ok", c.code, "ok", " ".join(c.text.split()), c.key or "")


def print_report(report: Report, console: Console, show_all: bool = False) -> None:
    """Print the findings grouped by file, then the summary line."""
    rows = sorted(_rows(report, show_all), key=lambda r: (r[0], r[1], r[2]))
    for source, group in groupby(rows, key=lambda r: r[0]):
        # soft_wrap: the path is never folded or cut, whatever the width
        console.print(Text(source, style="bold underline"), soft_wrap=True)
        for *_, text in group:
            console.print(text)
    console.print(Text(summary_line(report, show_all), style="bold"), soft_wrap=True)
