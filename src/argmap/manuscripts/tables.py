"""Where pandoc's simple, multiline and headless tables stand in a Markdown text, and where it
cuts their lines into cells."""

from __future__ import annotations

import re

# The dashed line that gives a table its columns: a segment of dashes for each column
COLUMN_DASHES = re.compile(r"^( *)-{2,}(?: +-{2,})+ *$")
# A multiline table's top border: one run of dashes
_BORDER = re.compile(r"^ {0,3}-{3,} *$")
# A table's footer: a line of dash segments (one or more)
_FOOTER = re.compile(r"^ {0,3}-+(?: +-+)* *$")
_DASH_SEGMENT = re.compile(r"-+ *")
# A quick test that a text may hold a table: every kind has a dashed line of two columns or more
# (a table of one column is never cut), " *-{2,} +-{2,}" from a line's start. Searched from its
# first dash, a literal, and the line's start then looked at: "^" in a MULTILINE search made the
# engine try every position of the text (2 ms of a 300 KB manuscript, against 0.1 ms).
_CANDIDATE = re.compile(r"--+ +--")


def _may_hold_table(text: str) -> bool:
    """Whether a line of ``text`` starts with spaces, two dashes or more, spaces and two dashes
    (what every kind of table's dashed line begins with)."""
    at = 0
    while (m := _CANDIDATE.search(text, at)) is not None:
        start = m.start()
        line = text.rfind("\n", 0, start) + 1
        if not text[line:start].strip(" "):
            return True
        # the rest of that line is not looked at again (each line is read once, however many
        # dashes it holds)
        at = text.find("\n", start)
        if at < 0:
            return False
    return False


def column_cuts(dashes: str) -> list[int]:
    """Where pandoc cuts each line of a table, from its dashed line: at the indentation and at
    the start of every column after the first (pandoc's ``splitTextByIndices``; the text
    before the indentation is dropped, the last column runs to the line's end)."""
    indent = len(dashes) - len(dashes.lstrip(" "))
    cuts = [indent]
    for segment in _DASH_SEGMENT.finditer(dashes, indent):
        cuts.append(cuts[-1] + len(segment.group()))
    return cuts[:-1]


def table_lines(text: str) -> dict[int, list[int]]:
    """The lines (numbered from 1) of ``text``'s pandoc tables, each with where pandoc cuts
    it: simple tables (a header line, the columns' dashed line, rows to a blank line or a
    dashed line), multiline tables (a border of dashes, header lines, the columns' dashed line,
    rows parted by blank lines, a footer of dashes) and headless ones (the columns' dashed
    line, rows, a footer). A table needs a blank line (or the text's start) before it, and a
    row; a multiline or headless one without its footer is no table (pandoc reads its lines
    as text)."""
    if not _may_hold_table(text):
        return {}
    lines = text.split("\n")
    found: dict[int, list[int]] = {}
    i = 0
    while i < len(lines):
        if i and lines[i - 1].strip():
            i += 1
            continue
        line = lines[i]
        dashes: int | None = None
        first = i + 1
        if _BORDER.match(line):
            # a header of one or more lines, then the columns' dashed line
            k = i + 1
            while k < len(lines) and lines[k].strip() and not _FOOTER.match(lines[k]):
                k += 1
            if k > i + 1 and k < len(lines) and COLUMN_DASHES.match(lines[k]):
                dashes = k
            end = _footer(lines, k + 1) if dashes is not None else None
        elif COLUMN_DASHES.match(line):
            dashes = i
            end = _footer(lines, i + 1)
        elif line.strip() and i + 1 < len(lines) and COLUMN_DASHES.match(lines[i + 1]):
            dashes, first = i + 1, i
            end = i + 2
            while end < len(lines) and lines[end].strip() and not _FOOTER.match(lines[end]):
                end += 1
            if end == i + 2:
                end = None  # no row: no table
        if dashes is None or end is None:
            i += 1
            continue
        cuts = column_cuts(lines[dashes])
        for n in range(first, end):
            if n != dashes and lines[n].strip():
                found[n + 1] = cuts
        i = end + 1
    return found


def _footer(lines: list[str], start: int) -> int | None:
    """The index of the footer closing rows that begin at ``start`` (the next line of dashes),
    or None when none closes them."""
    if start >= len(lines) or not lines[start].strip():
        return None  # no row
    for n in range(start, len(lines)):
        if _FOOTER.match(lines[n]):
            # (pandoc needs no blank line after it)
            return n if n > start else None
    return None
