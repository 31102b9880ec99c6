"""bibtexparser's parse of the parts of a .bib file the index leaves to it, on all cores when they
are many: each run is cut at block lines, parsed in a forked worker, and returned as plain tuples
for the main process to assemble.

Workers only parse; everything that depends on the whole file — `@string` resolution, duplicate
keys, the order of problems — is done once the parts are merged, so the result is the same
whatever the number of parts or workers.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import time
from collections.abc import Callable
from typing import Any

from argmap.base.collector import gc_paused
from argmap.base.patterns import lazy
from argmap.base.textio import count_lines

# One part's result, plain data so that it crosses processes and goes to the cache as is:
#   core: (key, type, line, surnames, core fields, names of the non-empty fields or None when
#         they are found by reading the entry) per entry; for an entry the index read (its rest
#         is the text), the core fields are only (its year, whether those names name every
#         field, whether its author or editor list has more than two commas): the others are
#         read from the text when asked for;
#   rest: a marshal blob of (field order, the other fields) per entry;
#   problems: (kind, line, message, key, suggestion, severity), lines 1-based.
CoreFields = dict[str, str] | tuple[str | None, bool, bool]
CoreEntry = tuple[str, str, int, tuple[str, ...], CoreFields, tuple[str, ...] | None]
Problem = tuple[str, int | None, str, str | None, str | None, str]
Part = tuple[list[CoreEntry], bytes, list[Problem]]
StringDef = tuple[str, str, int]  # name (lower case), raw value, line

PART_BYTES = 1 << 19  # parts of 512 KiB keep each worker's memory small
PARALLEL_FROM = 2 << 20  # below 2 MiB, starting workers costs more than it saves


def _parse(text: str) -> Any:
    """bibtexparser's parse with no middleware and the garbage collector paused."""
    import logging

    import bibtexparser

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    with gc_paused():  # bibtexparser builds many small objects and frees none
        return bibtexparser.parse_string(text, parse_stack=[])  # type: ignore[attr-defined]


# (its brace may follow on another line, as BibTeX, biber and pandoc read it: ``_SPACED_OPENING``)
_STRING_START = re.compile(rb"(?im)^[ \t]*@string(?:\s++|%[^\n]*+)*+[{(]")


def read_strings(
    data: bytes, line_offset: int = 0, inherited: dict[str, str] | None = None
) -> tuple[dict[str, str], list[Any]]:
    """Every ``@string`` of the file (with the ``inherited`` ones of earlier files), resolved,
    and the problems found with them.

    Strings are read before the parts, from the blocks that define them, so that each part can
    resolve its fields with the strings of the whole file.
    """
    from bibtexparser.model import DuplicateBlockKeyBlock, String

    from argmap.bib.strings import resolve_strings

    defs: list[StringDef] = []
    lines, counted = line_offset, 0
    for match in _STRING_START.finditer(data):
        start = match.start()
        lines += count_lines(data, counted, start)
        counted = start
        end_match = _BLOCK_LINE.search(data, match.end())
        block = data[start : end_match.end() if end_match else len(data)]
        try:
            text = block.decode("utf-8-sig" if start == 0 else "utf-8")
        except UnicodeDecodeError:
            continue  # the part holding it reports the bad bytes with their line
        for parsed in _parse(_close_spaced_openings(text.replace("\r\n", "\n"))).blocks:
            if isinstance(parsed, DuplicateBlockKeyBlock):
                parsed = parsed.ignore_error_block
            if isinstance(parsed, String):
                line = lines + 1 + (parsed.start_line or 0)
                defs.append((str(parsed.key).lower(), str(parsed.value), line))
    return resolve_strings(defs, inherited)


def parse_part(text: str, line_offset: int, strings: dict[str, str]) -> Part:
    """Parse one part of a .bib file; ``line_offset`` is the number of lines before it."""
    with gc_paused():  # the part's objects are all freed together at the end
        return _parse_part(text, line_offset, strings)


def parse_first_values(text: str, line_offset: int, strings: dict[str, str]) -> Part:
    """``parse_part`` keeping, of a field given twice, its first value, as BibTeX 0.99d prints
    it ("I'm ignoring KEY's extra "NAME" field"), where biber and pandoc print the last."""
    with gc_paused():
        return _parse_part(text, line_offset, strings, keep_first=True)


def _parse_part(
    text: str, line_offset: int, strings: dict[str, str], keep_first: bool = False
) -> Part:
    from bibtexparser.model import (
        DuplicateBlockKeyBlock,
        DuplicateFieldKeyBlock,
        Entry,
        ParsingFailedBlock,
    )

    from argmap.bib.names import quick_surnames
    from argmap.bib.store import CORE_FIELDS
    from argmap.bib.strings import resolve_value, split_run_on

    intern = sys.intern
    # bibtexparser takes a backslash before a brace as an escape and does not count the brace;
    # BibTeX counts every brace (``{S. B\\{"a}rthlein}`` is balanced), so that backslash is
    # hidden from bibtexparser (one character for one, lines and offsets unchanged) and given
    # back in what is read.
    hidden = "\\{" in text or "\\}" in text
    if hidden:
        text = _ESCAPED_BRACE.sub(_HIDDEN_BACKSLASH + r"\1", text)
    if '"' in text:
        text = _hide_braced_quotes(text)
    text = _close_spaced_openings(text)
    text, odd_types = _odd_types(text)
    if "=" in text:
        text = _hide_key_equals(text)
    library = _parse(text)
    core: list[CoreEntry] = []
    rest: list[tuple[tuple[str, ...], dict[str, str]]] = []
    problems: list[Problem] = []

    true_lines = _block_lines(text, library.blocks)

    def line_of(block: Any) -> int | None:
        line = true_lines.get(id(block), block.start_line)
        return None if line is None else line + 1 + line_offset

    def add(block: Any, repeats_reported: bool = False) -> None:
        line = line_of(block) or line_offset + 1
        # bibtexparser's field lines fall behind as its block lines do: move them as far.
        shift = line - 1 - line_offset - (block.start_line or 0)
        key = _shown(str(block.key)).strip()
        core_fields: dict[str, str] = {}
        others: dict[str, str] = {}
        order: list[str] = []
        present: list[str] = []
        pending = [
            (fld.key, _shown(str(fld.value)), fld.start_line, i)
            for i, fld in enumerate(block.fields)
        ]
        pending.reverse()
        # a field repeated, under the same name or in another case (field names are
        # case-insensitive to every tool): biber and pandoc use its last value (BibTeX the
        # first), so the last one is kept
        last = {str(fld.key).lower(): i for i, fld in enumerate(block.fields)}
        first: dict[str, int] = {}
        if keep_first:
            for i, fld in enumerate(block.fields):
                first.setdefault(str(fld.key).lower(), i)
        if len(last) < len(block.fields) and not repeats_reported:
            # bibtexparser sees only a repeat in the same case (DuplicateFieldKeyBlock)
            problems.extend(_repeated_fields(block, line))
        while pending:
            raw_name, raw, start, position = pending.pop()
            name = intern(raw_name.lower())
            if keep_first:
                if first.get(name, position) < position:
                    continue  # an earlier value of the same field was kept
            elif last.get(name, position) > position:
                continue  # a later value of the same field follows
            if name in core_fields or name in others:
                continue  # a field split off a run-on value, given again after it
            run_on = split_run_on(raw) if "=" in raw else None
            if run_on is not None:
                # bibtexparser reads `volume = {31} number = {4}` as one value: split it again
                # and say where the comma is missing.
                whole = raw
                raw, next_name, next_raw = run_on
                before = whole[: whole.rfind(next_raw)].count("\n")
                next_start = None if start is None else start + before
                at = line if start is None else start + 1 + line_offset
                problems.append(
                    (
                        "missing-comma",
                        at,
                        f"entry '{key}': no comma between field '{name}' and field "
                        f"'{next_name}', so BibTeX reads them as one value",
                        key or None,
                        f"add a comma after the value of '{name}'",
                        "error",
                    )
                )
                pending.append((next_name, next_raw, next_start, position))
            value, unresolved = resolve_value(raw, strings)
            if unresolved and key:
                problems.append(
                    (
                        "unresolved-string",
                        line if start is None else start + 1 + line_offset + shift,
                        f"field '{name}' of '{key}' uses undefined @string "
                        f"{', '.join(repr(u) for u in unresolved)}",
                        key,
                        "define it with @string or enclose the value in braces",
                        "warning",
                    )
                )
            if name in CORE_FIELDS:
                core_fields[name] = value
            else:
                others[name] = value
            order.append(name)
            if value and not value.isspace():
                present.append(name)
        names = core_fields.get("author") or core_fields.get("editor") or ""
        written = odd_types.get(line - 1 - line_offset) if odd_types else None
        core.append(
            (
                key,
                written or str(block.entry_type),
                line,
                quick_surnames(names),
                core_fields,
                tuple(present),
            )
        )
        rest.append((tuple(order), others))

    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            # Duplicates are found after merging, so that parts do not change the result.
            if isinstance(block.ignore_error_block, Entry):
                add(block.ignore_error_block)
        elif isinstance(block, DuplicateFieldKeyBlock):
            entry: Any = block.ignore_error_block
            problems.extend(_repeated_fields(entry, line_of(block)))
            add(entry, repeats_reported=True)
        elif isinstance(block, ParsingFailedBlock):
            error = block.error
            reason = _shown(getattr(error, "abort_reason", None) or str(error) or "syntax error")
            problems.append(
                (
                    "parse-failed",
                    line_of(block),
                    f"entry could not be parsed: {reason.rstrip(' .')}; BibTeX and biber may "
                    "lose the entries after it too (biber, at an unbalanced brace, keeps none "
                    "of the file)",
                    None,
                    "check the braces, commas and quotes of this entry",
                    "error",
                )
            )
        elif isinstance(block, Entry):
            add(block)
    return core, marshal.dumps(rest), problems


# Fields no style prints (reference managers' bookkeeping): a repeat of one changes nothing
# any tool writes, and biber, BibTeX and pandoc all pass it in silence.
_UNPRINTED = frozenset(
    "file files keywords abstract annote annotation comment comments groups owner timestamp "
    "mendeley-tags mendeley-groups author-email date-added date-modified local-url read rating "
    "priority qualityassured citation-key readstatus printed".split()
)


def _repeated_fields(entry: Any, line: int | None) -> list[Problem]:
    """Warnings for an entry's fields repeated with another value: biber and pandoc use the
    last value, BibTeX the first (and warns, if its style reads the field). A repeat with
    the same value, or of a field no style prints, changes nothing and is not reported."""
    values: dict[str, list[str]] = {}
    for fld in entry.fields:  # `Title` and `title` are one field to every tool
        values.setdefault(str(fld.key).lower(), []).append(_shown(str(fld.value)))
    out: list[Problem] = []
    for name, seen in values.items():
        if len(seen) < 2 or name.lower() in _UNPRINTED or name.lower().startswith("bdsk-"):
            continue
        if len({_bare(v) for v in seen}) == 1:
            continue
        first, last = (_quoted(v) for v in (seen[0], seen[-1]))
        out.append(
            (
                "duplicate-field",
                line,
                f"entry '{entry.key}' gives field '{name}' {len(seen)} different values: "
                f"biber and pandoc use the last ({last}), BibTeX the first ({first}) and "
                "warns; argmap uses the last",
                str(entry.key),
                f"keep the one value of '{name}' the work should have",
                "warning",
            )
        )
    return out


def _bare(value: str) -> str:
    """A raw field value without its delimiters, its spaces collapsed."""
    flat = value.strip()
    if len(flat) > 1 and (flat[0], flat[-1]) in (("{", "}"), ('"', '"')):
        flat = flat[1:-1]
    return " ".join(flat.split())


def _quoted(value: str) -> str:
    """A field value shown in a message, cut short."""
    flat = _bare(value)
    return repr(flat if len(flat) <= 60 else flat[:57] + "...")


# An entry type BibTeX 0.99d and biber 2.18 read but bibtexparser does not: one with a character
# that is no letter, digit or "_" (``@book-section{``; BibTeX takes any but a space and
# ``"#%'(),={}``). bibtexparser would pass the entry over as a comment, losing it in silence, so
# it is shown the type with "_" for each such character (lines and columns unchanged) and the
# type as written is given back by the entry's line. pandoc refuses the file (BIB224).
_ODD_TYPE = re.compile(r"^([ \t]*@)([A-Za-z][^\s\"#%'(),={}@]*)(?=[ \t]*[{(])", re.MULTILINE)
# What such a type starts with, searched first from its "@" (about 1 ms a megabyte, where the
# line-anchored pattern takes 18)
_ODD_TYPE_HINT = re.compile(r"@[A-Za-z]\w*+[^\w\s{(]|@(?:comment|preamble|string)\w", re.IGNORECASE)
# A type bibtexparser takes for a comment, preamble or string block because it starts so
# (``@commentary{``, biblatex's type; jurabib's ``@COMMENTED{``): BibTeX and biber read an
# entry, and so does argmap, showing bibtexparser the type with "_" for its first letter.
_BLOCK_PREFIX = re.compile(r"(?:comment|preamble|string)\w", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_NOT_WORD = re.compile(r"\W")


def _odd_types(text: str) -> tuple[str, dict[int, str]]:
    """``text`` with each entry type that is not letters, digits and "_" written with "_" for
    the other characters, and those types as written by their 0-based line."""
    odd: dict[int, str] = {}
    if _ODD_TYPE_HINT.search(text) is None:
        return text, odd

    def plain(m: re.Match[str]) -> str:
        name = m.group(2)
        if _WORD.fullmatch(name):
            if not _BLOCK_PREFIX.match(name):
                return m.group()
            odd[text.count("\n", 0, m.start())] = name
            return m.group(1) + "_" + name[1:]
        odd[text.count("\n", 0, m.start())] = name
        return m.group(1) + _NOT_WORD.sub("_", name)

    changed = _ODD_TYPE.sub(plain, text)
    return (changed, odd) if odd else (text, odd)


# An entry type followed by a new line (or a "%" comment) before its brace: ``@FAKE-ENTRY`` then
# ``{fake-database-key,`` on the next line, in BibTeX's own ``btxdoc.bib``. BibTeX 0.99d reads
# it (it skips whitespace, new lines included, there; a "%" it takes for an error), and so do
# biber 2.18 and pandoc (2.17, 3.9), which skip a "%" comment too; bibtexparser takes a block to
# start only at a brace after spaces and tabs, and passes the entry over as a comment, in
# silence: a false "unknown key" for each citation of it. It is shown the brace right after the
# type, the text between blanked (one character for one: lines and columns unchanged).
# (compiled on first use: a file the index reads alone never needs them)
_SPACED_OPENING = lazy(
    r"^([ \t]*+@[A-Za-z][^\s\"#%'(),={}@]*+)((?:\s++|%[^\n]*+)*+)([{(])", re.MULTILINE
)
# what such an opening starts with, searched first from each "@" (the common opening, a brace
# after the type on its line, does not match)
_SPACED_HINT = lazy(r"@[A-Za-z][^\s\"#%'(),={}@]*+[ \t]*+[\n%]")
_NOT_NEWLINE = lazy(r"[^\n]")


def _close_spaced_openings(text: str) -> str:
    """``text`` with each entry's opening brace moved up to its type across new lines and
    ``%`` comments (see ``_SPACED_OPENING``), lines and columns unchanged."""
    if _SPACED_HINT().search(text) is None:
        return text

    def closed(m: re.Match[str]) -> str:
        between = m.group(2)
        if "\n" not in between and "%" not in between:
            return m.group()  # spaces and tabs alone: bibtexparser reads it
        return m.group(1) + m.group(3) + _NOT_NEWLINE().sub(" ", between)

    return _SPACED_OPENING().sub(closed, text)


_ESCAPED_BRACE = re.compile(r"\\([{}])")
_HIDDEN_BACKSLASH = "\ue000"  # a private-use character, which no .bib means as text


_HIDDEN_QUOTE = "\ue001"  # likewise: a double quote inside braces of a quoted value
# An entry's opening brace, a brace, a double quote: what _hide_braced_quotes follows
_QUOTE_SCAN = re.compile(r"(@[^\s\"#%'(),={}@]*[ \t]*\{)|([{}])|(\")")


def _hide_braced_quotes(text: str) -> str:
    """``text`` with each double quote that stands inside braces within a quoted value
    (``subtitle = "{Ein Handbuch f{\\"u}r zeitgem{"a}{\\ss}}"``) written as a private-use
    character: BibTeX 0.99d and biber end a quoted value only at a quote outside braces, but
    bibtexparser ends it at the first quote, losing the rest of the entry (an "undefined
    @string" and missing fields, for an entry BibTeX prints whole). One character for one:
    lines and offsets are unchanged, and ``_shown`` gives the quotes back."""
    depth = 0  # braces, from the entry's own opening one
    quoted = False  # inside a quoted value (opened at depth 1)
    hide: list[int] = []
    for m in _QUOTE_SCAN.finditer(text):
        if m.group(1) is not None:
            if depth == 0 or _at_line_start(text, m.start()):
                # bibtexparser abandons an unclosed entry at an "@" that starts a line, and
                # reads a new entry from there: so does this count
                depth, quoted = 1, False
            else:
                depth += 1  # the "{" of an "@" inside a value (quoted or braced)
            continue
        if depth == 0:
            continue  # text between entries: no value is open
        if m.group(2) == "{":
            depth += 1
        elif m.group(2) == "}":
            depth -= 1
            if depth == 0:
                quoted = False
        elif depth == 1:
            if m.start() == 0 or text[m.start() - 1] != "\\":
                quoted = not quoted  # bibtexparser takes \" as no quote (an escape)
        elif quoted:
            hide.append(m.start())
    if not hide:
        return text
    chars = list(text)
    for at in hide:
        chars[at] = _HIDDEN_QUOTE
    return "".join(chars)


_HIDDEN_EQUALS = "\ue002"  # likewise: an equals sign in an entry's key
# An entry's key with an equals sign in it (abnTeX2's ``@ABNT-options{abnt-and-type=e,``), up to
# the comma after it: what BibTeX 0.99d reads as the key (biber stops at it: "syntax error:
# found "=", expected ","", and pandoc reads it too)
_KEY_WITH_EQUALS = re.compile(
    r"(@[ \t]*+[\w-]++[ \t]*+\{\s*+)([^\s,{}\"=]*+=[^\s,{}\"]*+)(?=\s*+,)"
)


def _hide_key_equals(text: str) -> str:
    """``text`` with each equals sign in an entry's key written as a private-use character:
    bibtexparser takes the key to end at it ("Expected comma after entry key, but found =") and
    loses the entry. One character for one; ``_shown`` gives them back."""
    return _KEY_WITH_EQUALS.sub(lambda m: m[1] + m[2].replace("=", _HIDDEN_EQUALS), text)


def _at_line_start(text: str, at: int) -> bool:
    """Whether only whitespace stands between the line's start and ``at`` (bibtexparser's
    test for an "@" that starts a new entry)."""
    line_start = text.rfind("\n", 0, at) + 1
    return text[line_start:at].isspace() or line_start == at


def _shown(value: str) -> str:
    """A value read by bibtexparser with the backslashes hidden before braces, and the quotes
    hidden inside braces, given back."""
    if _HIDDEN_BACKSLASH in value:
        value = value.replace(_HIDDEN_BACKSLASH, "\\")
    if _HIDDEN_QUOTE in value:
        value = value.replace(_HIDDEN_QUOTE, '"')
    if _HIDDEN_EQUALS in value:
        value = value.replace(_HIDDEN_EQUALS, "=")
    return value


def _block_lines(text: str, blocks: list[Any]) -> dict[int, int]:
    """The 0-based line of each block, by ``id``, found from where its raw text stands.

    bibtexparser counts only the newlines its splitter stops at, and it does not stop at one
    after a backslash (``title = {A \\`` then a new line), so its own ``start_line`` falls
    behind after such a line.
    """
    lines: dict[int, int] = {}
    if "\\\n" not in text:
        return lines  # no line ends after a backslash: bibtexparser's own lines are true
    cursor = line = 0
    for block in blocks:
        raw = getattr(block, "raw", None)
        if not raw:
            continue
        # Blocks follow one another: look just ahead first, then (rarely) through the rest.
        at = text.find(raw, cursor, cursor + len(raw) + 4096)
        if at < 0:
            at = text.find(raw, cursor)
        if at < 0:
            continue
        line += text.count("\n", cursor, at)
        lines[id(block)] = line
        inner = getattr(block, "ignore_error_block", None)
        if inner is not None:
            lines[id(inner)] = line
        # Blocks do not overlap: the next one starts after this one's text (a failed block's
        # raw text may be a prefix of the block before it, e.g. the "@misc{" a run ends with).
        line += raw.count("\n")
        cursor = at + len(raw)
    return lines


# A line that starts a block, as bibtexparser's splitter sees one: `@type` then `{` or `(`.
# bibtexparser ends whatever block is open at such a line (and reports it as failed), so a
# part that begins there parses exactly as it would within the whole file.
_BLOCK_LINE = re.compile(rb"\n(?=[ \t]*@\w*[ \t]*[{(])")


def _decode(data: bytes, line_offset: int, first: bool) -> str:
    """A part's text; a decoding error carries its line in the whole file."""
    try:
        text = data.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        line = line_offset + count_lines(data, 0, exc.start) + 1
        raise PartDecodeError(line, data[exc.start]) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


class PartDecodeError(Exception):
    """A part of the file is not UTF-8: the line and the offending byte."""

    def __init__(self, line: int, byte: int) -> None:
        super().__init__(line, byte)
        self.line = line
        self.byte = byte


_strings: dict[str, str] = {}


def default_workers() -> int:
    """The cores this process may use (``ARGMAP_WORKERS`` overrides)."""
    env = os.environ.get("ARGMAP_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Progress:
    """A Rich progress bar on stderr, shown only once a parse has taken a second, on a terminal."""

    def __init__(self, label: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.label = label
        self.clock = clock
        self.start = clock()
        self.bar: Any = None
        self.task: Any = None
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or done >= total:
            return
        if self.bar is None:
            if self.clock() - self.start < 1.0:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("{task.description}", markup=False),  # a file name is not markup
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        """Remove the bar, if one was shown."""
        if self.bar is not None:
            self.bar.stop()


_run_text = ""


def _run_work(run: tuple[int, int, int]) -> Part:
    """Parse one run of the text this worker inherited from its parent."""
    return parse_run(_run_text, run, _strings)


_NEXT_BLOCK = re.compile(r"[ \t]*@\w*[ \t]*[{(]")


def parse_run(text: str, run: tuple[int, int, int], strings: dict[str, str]) -> Part:
    """Parse ``text[start:end]`` (``lines`` lines before it) as it parses within the whole text.

    bibtexparser ends a block left open at the next block start, and says so: the start of the
    block that follows the run is parsed with it, and what it yields dropped.
    """
    start, end, lines = run
    after = _NEXT_BLOCK.match(text, end) if end < len(text) else None
    if after is None:
        return parse_part(text[start:end], lines, strings)
    core, rest, problems = parse_part(text[start:end] + after.group(0), lines, strings)
    last = lines + text.count("\n", start, end)  # lines up to the run's end
    return core, rest, [p for p in problems if p[1] is None or p[1] <= last]


def parse_runs(
    text: str,
    runs: list[tuple[int, int, int]],
    strings: dict[str, str],
    workers: int | None = None,
    parallel_from: int | None = None,
    part_chars: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[list[Part]]:
    """Parse the runs (start, end, lines before) of ``text`` that the index left to
    bibtexparser, in order; on several cores when they add up to a large share of a file.

    Long runs are cut at block lines into parts of about ``part_chars``; forked workers inherit
    the text, so it is not copied to them. The result is the same however it is cut or shared.
    """
    parallel_from = PARALLEL_FROM if parallel_from is None else parallel_from
    part_chars = PART_BYTES if part_chars is None else part_chars
    jobs: list[tuple[int, int, int]] = []
    pieces: list[int] = []  # how many jobs each run was cut into
    for start, end, lines in runs:
        pos = start
        pieces.append(0)
        while pos < end:
            match = (
                _BLOCK_LINE_STR.search(text, pos + part_chars, end)
                if pos + part_chars < end
                else None
            )
            cut = match.end() if match else end
            jobs.append((pos, cut, lines))
            pieces[-1] += 1
            lines += text.count("\n", pos, cut)
            pos = cut
    workers = workers or default_workers()
    total = sum(end - start for start, end, _ in jobs)
    done: list[Part] = []

    def progressed(part: Part) -> None:
        done.append(part)
        if on_progress is not None:
            on_progress(len(done), len(jobs))

    if workers == 1 or total < parallel_from or len(jobs) == 1 or sys.platform != "linux":
        for job in jobs:
            progressed(parse_run(text, job, strings))
        return _regroup(done, pieces)
    import bibtexparser  # noqa: F401 - imported once here, before the workers fork

    from argmap.base.workers import forked_map

    global _run_text, _strings
    _run_text, _strings = text, strings
    try:
        with forked_map(_run_work, jobs, min(workers, len(jobs))) as parts:
            for part in parts:
                progressed(part)
            return _regroup(done, pieces)
    finally:
        _run_text, _strings = "", {}


def _regroup(parts: list[Part], pieces: list[int]) -> list[list[Part]]:
    """The parts of each run, in order."""
    out, at = [], 0
    for count in pieces:
        out.append(parts[at : at + count])
        at += count
    return out


def decode_bib(data: bytes) -> str:
    """A whole .bib file's text (BOM dropped, newlines normalised); PartDecodeError with the
    line of the first byte that is not UTF-8."""
    return _decode(data, 0, True)


_BLOCK_LINE_STR = re.compile(r"\n(?=[ \t]*@\w*[ \t]*[{(])")
