"""check-citations results as Rich tables, one per file, and a summary line (JSON: render.json)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from rich.console import Console, ConsoleOptions, Group
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from argmap.base.sanitize import one_line
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


def _cell(text: str) -> Text:
    """Text from the user's files as a cell: never read as Rich markup (``[sic]`` stays), its
    control characters written as codes."""
    return Text(one_line(text))


def summary_line(report: Report) -> str:
    """`56 citations: 50 ok, 6 name-mismatch · 0 errors, 6 warnings, 21 info`."""
    s = report.summary()
    statuses = ", ".join(f"{n} {k}" for k, n in s["by_status"].items() if n)
    return (
        f"{s['citations']} citations: {statuses or 'none'} · {s['errors']} errors, "
        f"{s['warnings']} warnings, {s['info']} info"
    )


# Above this many rows a table is laid out here rather than by Rich, whose layout measures and
# wraps every cell as a renderable of its own (about half a millisecond a row: ten times the
# scan of a dense manuscript). Below it, Rich's own table, which the small case prints as the
# large one does when the columns fit.
FAST_ROWS = 200

Cell = tuple[str, str]  # text, style


def report_tables(report: Report, show_ok: bool = False, width: int = 100) -> Group:
    """One table per file of citations that need attention, then the other problems, then the
    summary; ``show_ok`` lists ok citations and info notes too."""
    parts: list[Table | Text | _Lines] = []
    fixes = {(p.source, p.line, p.kind): p for p in report.problems}
    by_source = groupby(sorted(report.citations, key=lambda c: c.source), key=lambda c: c.source)
    for source, records in by_source:
        rows: list[list[Cell]] = []
        for r in sorted(
            (r for r in records if show_ok or r.status != "ok"), key=lambda r: r.line or 0
        ):
            problem = fixes.get((r.source, r.line, str(r.status)))
            fix = r.key or ""
            if problem is not None and problem.suggestion:
                fix = f"{fix}: {problem.suggestion}" if fix else problem.suggestion
            status = str(r.status)
            rows.append(
                [
                    (str(r.line or ""), ""),
                    (r.text, ""),
                    (status, STATUS_STYLES.get(status, "")),
                    (fix, ""),
                ]
            )
        if rows:
            columns = [("line", "right"), ("citation", "left"), ("status", "left")]
            parts.append(_table(source, [*columns, ("entry / fix", "left")], rows, width))
    statuses = {str(s) for s in STATUS_STYLES}
    others = [
        [
            (f"{p.source}:{p.line}" if p.line else p.source, ""),
            (str(p.severity), SEVERITY_STYLES[str(p.severity)]),
            (p.message, ""),
            (p.suggestion or "", ""),
        ]
        for p in sort_problems(report.problems)
        if p.kind not in statuses and (show_ok or p.severity != "info")
    ]
    if others:
        columns = [("where", "left"), ("severity", "left"), ("problem", "left"), ("fix", "left")]
        parts.append(_table("bibliography and map", columns, others, width))
    line = summary_line(report)
    if not show_ok and report.summary()["info"]:
        line += " (--all lists them)"
    parts.append(Text(line, style="bold"))
    return Group(*parts)


def _table(
    title: str, columns: list[tuple[str, str]], rows: list[list[Cell]], width: int
) -> Table | _Lines:
    """A table of ``rows`` under ``title``: Rich's for a few rows, ours (the same look) for many."""
    if len(rows) > FAST_ROWS:
        return _fast_table(title, columns, rows, width)
    table = Table(title=_cell(title), title_justify="left", expand=False)
    for name, justify in columns:
        table.add_column(name, justify="right" if justify == "right" else "left")
    for row in rows:
        table.add_row(*(Text(one_line(text), style=style) for text, style in row))
    return table


def _fast_table(
    title: str, columns: list[tuple[str, str]], rows: list[list[Cell]], width: int
) -> _Lines:
    """The table drawn line by line in Rich's default box, columns as wide as their widest cell
    and, when that is too wide, the widest narrowed and their cells wrapped."""
    from rich.cells import cell_len

    rows = [[(one_line(text), style) for text, style in row] for row in rows]
    widths = [cell_len(name) for name, _ in columns]
    for row in rows:
        for i, (text, _) in enumerate(row):
            size = cell_len(text)
            if size > widths[i]:
                widths[i] = size
    room = max(width - 3 * len(columns) - 1, len(columns))
    while sum(widths) > room and max(widths) > 1:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    total = sum(widths) + 3 * len(columns) + 1
    lines = [
        [(one_line(title).ljust(total), "table.title")],
        [("┏" + "┳".join("━" * (w + 2) for w in widths) + "┓", "")],
        [
            *(p for (name, _), w in zip(columns, widths, strict=True) for p in _head(name, w)),
            ("┃", ""),
        ],
        [("┡" + "╇".join("━" * (w + 2) for w in widths) + "┩", "")],
    ]
    layout = list(zip(widths, columns, strict=True))
    for row in rows:
        pieces = [_wrap(text, w) for (text, _), w in zip(row, widths, strict=True)]
        for k in range(max(len(p) for p in pieces)):
            line: list[Cell] = []
            for (_, style), piece, (w, (_, justify)) in zip(row, pieces, layout, strict=True):
                text = piece[k] if k < len(piece) else ""
                pad = " " * (w - cell_len(text))
                if justify == "right":
                    line += [("│ " + pad, ""), (text, style), (" ", "")]
                else:
                    line += [("│ ", ""), (text, style), (pad + " ", "")]
            line.append(("│", ""))
            lines.append(line)
    lines.append([("└" + "┴".join("─" * (w + 2) for w in widths) + "┘", "")])
    return _Lines(lines)


def _head(name: str, width: int) -> list[Cell]:
    return [("┃ ", ""), (name.ljust(width), "table.header"), (" ", "")]


class _Lines:
    """Lines already laid out, as (text, style) pieces: handed to the console as segments, with
    none of the measuring and wrapping a Text goes through (the cost of a large table)."""

    def __init__(self, lines: list[list[Cell]]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        styles: dict[str, Style] = {}
        newline = Segment.line()
        for line in self.lines:
            plain = ""
            for text, style in line:
                if not style or not text:
                    plain += text
                    continue
                if plain:
                    yield Segment(plain)
                    plain = ""
                if style not in styles:
                    styles[style] = console.get_style(style)
                yield Segment(text, styles[style])
            if plain:
                yield Segment(plain)
            yield newline


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken at spaces; a word longer than
    a line ends in an ellipsis, as in Rich's own tables."""
    if len(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if len(word) > width:
            word = word[: width - 1] + "…"
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


def print_report(report: Report, console: Console, show_ok: bool = False) -> None:
    """Print the tables and summary."""
    console.print(report_tables(report, show_ok, console.width))
