"""The full check-citations report for a terminal: problems grouped by file, each with its
line, column, code, message and fix. Nothing is ever cut: long lines wrap at spaces, a word wider
than the screen is folded, and a file's path stands whole on its own line."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style

from argmap.base.sanitize import one_line as escape_line
from argmap.checks.citations import CitationRecord, Report, sort_problems
from argmap.render.concise import fix_text, one_line
from argmap.render.summary import summary_line

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "dim", "ok": "green"}
INDENT = "    "


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` wrapped at spaces to ``width`` less the indent, each line indented; a word wider
    than that is folded. (A greedy fill: textwrap took ten times as long, 0.14 ms a call.)"""
    room = max(width - len(INDENT), 20)
    lines: list[str] = []
    line = ""
    for word in one_line(text).split(" "):
        while len(word) > room:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:room])
            word = word[room:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= room:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return [INDENT + part for part in lines]


Spans = list[tuple[str, str]]  # (text, Rich style) pieces of one finding


def _entry(
    where: str, severity: str, code: str, name: str, message: str, fix: str, width: int
) -> Spans:
    """One finding: ``line:col severity CODE name``, then its message and its fix."""
    spans: Spans = [
        (f"  {where} ", "bold"),
        (severity, SEVERITY_STYLES.get(severity, "")),
        (f" {code} {name}".rstrip(), "cyan"),
    ]
    spans.extend(("\n" + line, "") for line in _wrapped(message, width))
    if fix:
        spans.extend(("\n" + line, "green") for line in _wrapped(f"→ {fix}", width))
    return spans


def _rows(report: Report, show_all: bool, width: int) -> list[tuple[str, int, int, Spans]]:
    """Every finding to show, as (source, line, column, spans)."""
    from argmap.base.rules import rule_for

    rows: list[tuple[str, int, int, Spans]] = []
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


def _ok(c: CitationRecord, width: int) -> Spans:
    """An ok citation (listed with --all)."""
    where = f"{c.line or 1}:{c.column or 1}"
    return _entry(where, "ok", c.code, "", f"{c.shown()} → {c.key}", "", width)


def print_report(report: Report, console: Console, show_all: bool = False) -> None:
    """Print the findings grouped by file, then the summary line."""
    rows = sorted(_rows(report, show_all, console.width), key=lambda r: (r[0], r[1], r[2]))
    # soft_wrap: the lines are wrapped here, and a path is never folded or cut
    if console.color_system is None:
        # No colours (piped, NO_COLOR): the plain text, written at once; Rich would spend about
        # 0.4 ms on each finding to add nothing.
        parts: list[str] = []
        for source, group in groupby(rows, key=lambda r: r[0]):
            parts.append(escape_line(source))
            parts.extend("".join(text for text, _ in spans) for *_, spans in group)
        parts.append(summary_line(report, show_all))
        console.file.write("".join(f"{part}\n" for part in parts))
        return
    # In colour, the same lines as styled segments in one print: a print (or a Text) per
    # finding cost Rich about 0.4 ms each, five to seven times the scan of a dense manuscript.
    pieces: Spans = []
    for source, group in groupby(rows, key=lambda r: r[0]):
        pieces.append((escape_line(source) + "\n", "bold underline"))
        for *_, spans in group:
            pieces.extend(spans)
            pieces.append(("\n", ""))
    pieces.append((summary_line(report, show_all) + "\n", "bold"))
    console.print(_Segments(pieces), crop=False, end="")


class _Segments:
    """Text already laid out, as (text, style) pieces that may hold line breaks, handed to the
    console as segments: none of the measuring and wrapping a Text goes through."""

    def __init__(self, pieces: Spans) -> None:
        self.pieces = pieces

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        styles: dict[str, Style] = {}
        newline = Segment.line()
        for text, name in self.pieces:
            style = None
            if name:
                if name not in styles:
                    styles[name] = console.get_style(name)
                style = styles[name]
            first = True
            for part in text.split("\n"):
                if not first:
                    yield newline
                first = False
                if part:
                    yield Segment(part, style)
