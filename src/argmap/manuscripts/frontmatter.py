"""Whether a Markdown manuscript's YAML front matter is YAML pandoc reads: pandoc (as Quarto
and R Markdown) stops on a metadata block that does not parse, so the paper does not build.

PyYAML's libyaml parser reads as pandoc 2.x reads metadata, but for tabs in the indentation
(``_pandoc_reads_tabs``); only the parse is run (no
values are built), as pandoc accepts a date or number PyYAML could not build. PyYAML is
imported (~15 ms of CPU) only for front matter that is not plainly valid: the usual kind —
``key: value`` lines, lists of such mappings, quoted strings, short flow lists, ``|`` and ``>``
blocks, indented consistently — is recognised by ``plainly_valid`` without it.
"""

from __future__ import annotations

import re
from pathlib import Path

from argmap.manuscripts.spans import Notice

# A top-level key: the field a problem lies in.
_TOP_KEY = re.compile(r"([^\s#:'\"-][^:]*?)[ \t]*:(?:\s|$)")


def front_matter_notice(
    path: Path, first_line: int, lines: list[str], block: str = "front matter"
) -> Notice | None:
    """The problem with the YAML of a metadata block (``block``: the front matter, or a
    "metadata block" later in the document) whose ``---`` is line ``first_line`` and whose
    content is ``lines``, or None when pandoc reads it."""
    if plainly_valid(lines):
        return None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        yaml.compose("\n".join(lines), Loader=loader)
    except yaml.MarkedYAMLError as error:
        if _pandoc_reads_tabs(path, lines, loader):
            return None
        mark = error.problem_mark
        context = error.context or ""
        if (
            mark is None
            or mark.line >= len(lines)
            or "flow" in context
            or "quoted" in context
            or "end of stream" in (error.problem or "")
        ):
            # a quote or bracket left open is found where the block or the next line goes on;
            # where it was opened is what to fix
            mark = error.context_mark or mark
        at = min(mark.line, len(lines) - 1) if mark is not None else 0
        what = "; ".join(part for part in (error.context, error.problem) if part)
        field = _field_of(lines, at)
        within = f" in '{field}'" if field else ""
        return Notice(
            "front-matter-invalid",
            path,
            first_line + 1 + at,
            f"the YAML {block} does not parse{within}: {what}; "
            "pandoc stops on it, so the document does not build",
            "fix the YAML: items of one list indented alike, a value holding ': ' quoted, "
            "quotes and brackets closed",
            error=True,
            column=mark.column + 1 if mark is not None else None,
        )
    except yaml.YAMLError as error:  # not raised by the parser for text, but never a traceback
        return Notice(
            "front-matter-invalid",
            path,
            first_line,
            f"the YAML {block} does not parse: {error}; pandoc stops on it",
            "fix the YAML",
            error=True,
        )
    return None


# A tab in a line's indentation: YAML forbids it, and libyaml (R Markdown's yaml package, PyYAML)
# and js-yaml (Quarto) stop on it; pandoc 2.17 and 3.9 read such a block as if each tab of the
# indentation ran to the next multiple of 8 columns (BBT's zotero.lua test document has
# "zotero:" then "<TAB>csl-style: apa", which both build). Measured on 714 random blocks
# with tabs (repro F-tab-yaml in stop 26's report): that reading agrees with pandoc 2.17 on 678;
# PyYAML on the text as written, on 520.
_TAB_IN_INDENT = re.compile(r"^ *\t[ \t]*")
_QUARTO_PROJECT = ("_quarto.yml", "_quarto.yaml")


def _pandoc_reads_tabs(path: Path, lines: list[str], loader: object) -> bool:
    """Whether a block libyaml refuses is one pandoc alone builds (a Markdown file outside a
    Quarto project) and reads: tabs in its indentation, and it parses with them expanded."""
    if path.suffix.lower() not in (".md", ".markdown") or not any(
        _TAB_IN_INDENT.match(line) for line in lines
    ):
        return False
    folder = path.resolve().parent
    for here in (folder, *folder.parents):
        if any((here / name).is_file() for name in _QUARTO_PROJECT):
            return False  # Quarto reads the front matter with js-yaml, which refuses tabs
    import yaml

    expanded = [_TAB_IN_INDENT.sub(lambda m: m.group().expandtabs(8), line) for line in lines]
    try:
        yaml.compose("\n".join(expanded), Loader=loader)  # type: ignore[arg-type]
    except yaml.YAMLError:
        return False
    return True


def _field_of(lines: list[str], at: int) -> str | None:
    """The top-level key whose value line ``at`` (0-based) of the block belongs to."""
    for text in reversed(lines[: at + 1]):
        if text[:1] not in ("", " ", "\t", "#", "-"):
            m = _TOP_KEY.match(text)
            return m.group(1) if m else None
    return None


# What ``plainly_valid`` accepts: a key, a plain scalar no YAML indicator can open or end (no
# ": ", " #", tab), a quoted string without escapes, a flow list of such words, a block scalar.
_ENTRY = re.compile(r"( *)(- +)?([A-Za-z_](?:[A-Za-z0-9_.-]|:(?=[A-Za-z0-9_:]))*) *:(?: +(.*))?$")
_ITEM = re.compile(r"( *)- +(.*)$")
# A comment after a value: " #" to the line's end.
_COMMENT = re.compile(r"\s+#.*$")
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^:#\t]|:(?=\S)|(?<=\S)#)*")
_QUOTED = re.compile(r"'[^']*'|\"[^\"\\]*\"")
_WORD = r"(?:[A-Za-z0-9_./+](?:[A-Za-z0-9_./+ -]*[A-Za-z0-9_./+])?|'[^']*'|\"[^\"\\]*\")"
_FLOW = re.compile(rf"\[ *(?:{_WORD} *(?:, *{_WORD} *)*)?\]")
_BLOCK = re.compile(r"[|>][-+]?")


def plainly_valid(lines: list[str]) -> bool:
    """Whether front matter is, beyond doubt, YAML that parses: mappings and lists in block
    style, indented consistently, holding only the plain values of ``_PLAIN``, ``_QUOTED``,
    ``_FLOW`` or a block scalar. False means "not certain" (libyaml then decides), never
    "invalid"."""
    stack: list[tuple[int, str]] = []  # open blocks: (indent, "map" or "seq")
    pending: int | None = None  # the column of a key whose value is a block on the next lines
    n = 0
    while n < len(lines):
        if not _printable(lines[n]):
            return False
        line = lines[n].rstrip()
        n += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = _ENTRY.match(line)
        item = None if entry else _ITEM.match(line)
        if entry is None and item is None:
            return False
        indent = len((entry or item).group(1))  # type: ignore[union-attr]
        kind = "seq" if item or (entry and entry.group(2)) else "map"
        if not stack:
            if kind != "map" or indent:
                return False
            stack.append((0, "map"))
        elif pending is not None:
            if (kind == "map" and indent > pending) or (kind == "seq" and indent >= pending):
                stack.append((indent, kind))
            pending = None
        while stack and stack[-1][0] > indent:
            stack.pop()
        if (
            stack
            and stack[-1] == (indent, "seq")
            and kind == "map"
            and len(stack) > 1
            and stack[-2] == (indent, "map")
        ):
            stack.pop()  # a list written at its key's indent ("authors:\n- name: X") ends
        if not stack or stack[-1] != (indent, kind):
            return False
        if item is not None:
            if not _value(item.group(2)):
                return False
            continue
        assert entry is not None
        column = indent
        if entry.group(2):
            # "- key: value": the item is a mapping whose keys stand at this column
            column = indent + len(entry.group(2))
            stack.append((column, "map"))
        value = _COMMENT.sub("", entry.group(4) or "")
        if not value or value.startswith("#"):
            pending = column
        elif _BLOCK.fullmatch(value):
            after = _after_block(lines, n, column)
            if after is None:
                return False
            n = after
        elif not _value(value):
            return False
    return bool(stack)


def _value(text: str) -> bool:
    """Whether a value (a comment after it aside) is one ``plainly_valid`` is certain of; a
    " #" inside quotes cuts the quote, which then does not match."""
    text = _COMMENT.sub("", text)
    return bool(_PLAIN.fullmatch(text) or _QUOTED.fullmatch(text) or _FLOW.fullmatch(text))


def _printable(line: str) -> bool:
    """Whether a line holds only characters YAML reads, and no tab (a line end's CR aside)."""
    return (line[:-1] if line.endswith("\r") else line).isprintable()


def _after_block(lines: list[str], n: int, column: int) -> int | None:
    """The index of the first line after a block scalar that starts at ``lines[n]``, its key at
    ``column``: its lines are blank or indented alike, deeper than the key (None when not
    certain)."""
    indent: int | None = None
    while n < len(lines):
        if not _printable(lines[n]):
            return None
        line = lines[n].rstrip()
        if indent is None and not line and lines[n].strip("\r\n"):
            # libyaml refuses a leading blank line with more spaces than the first text line's
            # indent ("title: |", "  ", " -"): not worth judging here
            return None
        if line.strip():
            here = len(line) - len(line.lstrip(" "))
            if indent is None:
                if here <= column:
                    return n
                indent = here
            elif here < indent:
                return n
        n += 1
    return n
