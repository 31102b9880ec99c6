"""check-citations results as Rich tables, one per file, and a summary line (JSON: render.json)."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from argmap.checks.citations import Report, sort_problems

STATUS_STYLES = {
    "ok": "green",
    "name-mismatch": "yellow",
    "year-mismatch": "red",
    "ambiguous": "red",
    "missing": "red",
    "unknown-key": "red",
}
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "dim"}


def summary_line(report: Report) -> str:
    """`56 citations: 50 ok, 6 name-mismatch · 0 errors, 6 warnings, 21 info`."""
    s = report.summary()
    statuses = ", ".join(f"{n} {k}" for k, n in s["by_status"].items() if n)
    return (
        f"{s['citations']} citations: {statuses or 'none'} · {s['errors']} errors, "
        f"{s['warnings']} warnings, {s['info']} info"
    )


def report_tables(report: Report, show_ok: bool = False) -> Group:
    """One table per file of citations that need attention, then the other problems, then the
    summary; ``show_ok`` lists ok citations and info notes too."""
    parts: list[Table | Text] = []
    by_source = groupby(sorted(report.citations, key=lambda c: c.source), key=lambda c: c.source)
    for source, records in by_source:
        rows = [r for r in records if show_ok or r.status != "ok"]
        if not rows:
            continue
        table = Table(title=source, title_justify="left", expand=False)
        table.add_column("line", justify="right")
        table.add_column("citation")
        table.add_column("status")
        table.add_column("entry / fix")
        fixes = {(p.source, p.line, p.paragraph, p.kind): p for p in report.problems}
        for r in sorted(rows, key=lambda r: (r.line or 0, r.paragraph or 0)):
            problem = fixes.get((r.source, r.line, r.paragraph, str(r.status)))
            fix = r.key or ""
            if problem is not None and problem.suggestion:
                fix = f"{fix}: {problem.suggestion}" if fix else problem.suggestion
            table.add_row(
                str(r.line) if r.line else f"¶{r.paragraph}" if r.paragraph else "",
                r.text,
                Text(str(r.status), style=STATUS_STYLES.get(str(r.status), "")),
                fix,
            )
        parts.append(table)
    statuses = {str(s) for s in STATUS_STYLES}
    others = [
        p
        for p in sort_problems(report.problems)
        if p.kind not in statuses and (show_ok or p.severity != "info")
    ]
    if others:
        table = Table(title="bibliography and map", title_justify="left")
        for col in ("where", "severity", "problem", "fix"):
            table.add_column(col)
        for p in others:
            where = p.where()
            table.add_row(
                where,
                Text(str(p.severity), style=SEVERITY_STYLES[str(p.severity)]),
                p.message,
                p.suggestion or "",
            )
        parts.append(table)
    line = summary_line(report)
    if not show_ok and report.summary()["info"]:
        line += " (--all lists them)"
    parts.append(Text(line, style="bold"))
    return Group(*parts)


def print_report(report: Report, console: Console, show_ok: bool = False) -> None:
    """Print the tables and summary."""
    console.print(report_tables(report, show_ok))
