"""Parsing a .bib file in parts, on all cores: split at entry boundaries, parse each part with
bibtexparser in a worker, and return plain tuples for the main process to assemble.

Workers only parse; everything that depends on the whole file — `@string` resolution, duplicate
keys, the order of problems — is done once the parts are merged, so the result is the same
whatever the number of parts or workers.
"""

from __future__ import annotations

import gc
import marshal
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from argmap.base.textio import count_lines

# One part's result, plain data so that it crosses processes and goes to the cache as is:
#   core: (key, type, line, surnames, core fields, names of the non-empty fields) per entry;
#   rest: a marshal blob of (field order, the other fields) per entry;
#   problems: (kind, line, message, key, suggestion, severity), lines 1-based.
CoreEntry = tuple[str, str, int, tuple[str, ...], dict[str, str], tuple[str, ...]]
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
    enabled = gc.isenabled()
    gc.disable()  # bibtexparser builds many small objects and frees none: collections are waste
    try:
        return bibtexparser.parse_string(text, parse_stack=[])  # type: ignore[attr-defined]
    finally:
        if enabled:
            gc.enable()


_STRING_START = re.compile(rb"(?im)^[ \t]*@string[ \t]*[{(]")


def read_strings(data: bytes, line_offset: int = 0) -> tuple[dict[str, str], list[Any]]:
    """Every ``@string`` of the file, resolved, and the problems found with them.

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
        for parsed in _parse(text.replace("\r\n", "\n")).blocks:
            if isinstance(parsed, DuplicateBlockKeyBlock):
                parsed = parsed.ignore_error_block
            if isinstance(parsed, String):
                line = lines + 1 + (parsed.start_line or 0)
                defs.append((str(parsed.key).lower(), str(parsed.value), line))
    return resolve_strings(defs)


def parse_part(text: str, line_offset: int, strings: dict[str, str]) -> Part:
    """Parse one part of a .bib file; ``line_offset`` is the number of lines before it."""
    enabled = gc.isenabled()
    gc.disable()  # the part's objects are all freed together at the end: collections are waste
    try:
        return _parse_part(text, line_offset, strings)
    finally:
        if enabled:
            gc.enable()


def _parse_part(text: str, line_offset: int, strings: dict[str, str]) -> Part:
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
    library = _parse(text)
    core: list[CoreEntry] = []
    rest: list[tuple[tuple[str, ...], dict[str, str]]] = []
    problems: list[Problem] = []

    true_lines = _block_lines(text, library.blocks)

    def line_of(block: Any) -> int | None:
        line = true_lines.get(id(block), block.start_line)
        return None if line is None else line + 1 + line_offset

    def add(block: Any) -> None:
        line = line_of(block) or line_offset + 1
        # bibtexparser's field lines fall behind as its block lines do: move them as far.
        shift = line - 1 - line_offset - (block.start_line or 0)
        key = str(block.key).strip()
        core_fields: dict[str, str] = {}
        others: dict[str, str] = {}
        order: list[str] = []
        present: list[str] = []
        pending = [(fld.key, str(fld.value), fld.start_line) for fld in block.fields]
        pending.reverse()
        while pending:
            raw_name, raw, start = pending.pop()
            name = intern(raw_name.lower())
            if name in core_fields or name in others:
                continue  # a repeated field: reported as duplicate-field, the first one kept
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
                pending.append((next_name, next_raw, next_start))
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
                        "error",
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
        core.append(
            (key, str(block.entry_type), line, quick_surnames(names), core_fields, tuple(present))
        )
        rest.append((tuple(order), others))

    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            # Duplicates are found after merging, so that parts do not change the result.
            if isinstance(block.ignore_error_block, Entry):
                add(block.ignore_error_block)
        elif isinstance(block, DuplicateFieldKeyBlock):
            entry: Any = block.ignore_error_block
            dup = ", ".join(sorted(block.duplicate_keys))
            problems.append(
                (
                    "duplicate-field",
                    line_of(block),
                    f"entry '{entry.key}' repeats field(s) {dup}",
                    str(entry.key),
                    "keep one value per field; argmap uses the first",
                    "error",
                )
            )
            add(entry)
        elif isinstance(block, ParsingFailedBlock):
            error = block.error
            reason = getattr(error, "abort_reason", None) or str(error) or "syntax error"
            problems.append(
                (
                    "parse-failed",
                    line_of(block),
                    f"entry could not be parsed: {reason}",
                    None,
                    "check the braces, commas and quotes of this entry",
                    "error",
                )
            )
        elif isinstance(block, Entry):
            add(block)
    return core, marshal.dumps(rest), problems


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
        cursor = at
        lines[id(block)] = line
        inner = getattr(block, "ignore_error_block", None)
        if inner is not None:
            lines[id(inner)] = line
    return lines


# A line that starts a block, as bibtexparser's splitter sees one: `@type` then `{` or `(`.
# bibtexparser ends whatever block is open at such a line (and reports it as failed), so a
# part that begins there parses exactly as it would within the whole file.
_BLOCK_LINE = re.compile(rb"\n(?=[ \t]*@\w*[ \t]*[{(])")


def split_points(data: bytes, part_bytes: int = PART_BYTES) -> list[tuple[int, int, int]]:
    """Cut ``data`` into parts of about ``part_bytes``, each starting at a block-start line.

    Returns (start, end, lines before start) for each part.
    """
    parts: list[tuple[int, int, int]] = []
    start, lines = 0, 0
    size = len(data)
    while start < size:
        match = _BLOCK_LINE.search(data, start + part_bytes) if start + part_bytes < size else None
        cut = match.end() if match else size
        parts.append((start, cut, lines))
        lines += count_lines(data, start, cut)
        start = cut
    return parts


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


def _init_worker(strings: dict[str, str]) -> None:
    global _strings
    _strings = strings


def _work(job: tuple[str, int, int, int], strings: dict[str, str] | None = None) -> Part:
    """Read, decode and parse one part of the file at ``path`` (in a worker, with the strings
    it was started with)."""
    path, start, end, lines = job
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    return parse_part(
        _decode(data, lines, start == 0), lines, _strings if strings is None else strings
    )


def default_workers() -> int:
    """The cores this process may use (``ARGMAP_WORKERS`` overrides)."""
    env = os.environ.get("ARGMAP_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class PartStream:
    """The parts of a file being parsed, in file order.

    Workers start on their parts when the stream is made; iterating parses this process's
    share and waits for the others in turn. ``close`` stops the workers early (on an error).
    """

    def __init__(
        self,
        jobs: list[tuple[str, int, int, int]],
        data: bytes | None,
        strings: dict[str, str],
        workers: int,
        on_progress: Callable[[int, int], None] | None,
    ) -> None:
        self.jobs = jobs
        self.data = data  # kept only when parsing in this process
        self.strings = strings
        self.on_progress = on_progress
        self.pool: Any = None
        self.futures: list[Any] = []
        self.workers = workers
        if data is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            import bibtexparser  # noqa: F401 - imported once here, before the workers fork

            # This process parses its share of the parts between collecting the others, so
            # ``workers`` cores are used by ``workers - 1`` extra processes.
            mine = self._mine
            context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
            self.pool = ProcessPoolExecutor(
                max_workers=max(1, min(workers - 1, len(jobs))),
                mp_context=context,
                initializer=_init_worker,
                initargs=(strings,),
            )
            self.futures = [
                None if mine(i) else self.pool.submit(_work, job) for i, job in enumerate(jobs)
            ]

    def _mine(self, index: int) -> bool:
        """Whether part ``index`` is parsed here rather than by a worker (an equal share: a
        smaller one, for the merging this process also does, measured no faster)."""
        return index % self.workers == self.workers - 1

    def __iter__(self) -> Iterator[Part]:
        total = len(self.jobs)
        try:
            for i, (_, start, end, lines) in enumerate(self.jobs):
                if self.pool is not None and not self._mine(i):
                    part = self.futures[i].result()
                    self.futures[i] = None
                elif self.pool is not None:
                    part = _work(self.jobs[i], self.strings)
                else:
                    assert self.data is not None
                    part = parse_part(
                        _decode(self.data[start:end], lines, start == 0), lines, self.strings
                    )
                yield part
                if self.on_progress:
                    self.on_progress(i + 1, total)
        finally:
            self.close()

    def close(self) -> None:
        """Release the workers (cancelling parts not yet started) and the text."""
        self.data = None
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def parse_parts(
    path: Path,
    data: bytes,
    strings: dict[str, str],
    workers: int | None = None,
    part_bytes: int = PART_BYTES,
    on_progress: Callable[[int, int], None] | None = None,
    parallel_from: int = PARALLEL_FROM,
) -> PartStream:
    """Parse the .bib whose content is ``data`` (read from ``path``) in parts, in file order.

    With one worker, or a small file, the parts are parsed in this process as they are asked
    for; otherwise at once in a pool of ``workers`` processes that read their own part from
    ``path``, so the text is neither copied nor kept.
    """
    workers = workers or default_workers()
    jobs = [(str(path), s, e, n) for s, e, n in split_points(data, part_bytes)]
    serial = workers == 1 or len(data) < parallel_from or len(jobs) == 1
    return PartStream(jobs, data if serial else None, strings, workers, on_progress)


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


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the garbage collector while many objects are made that hold no cycles: with a
    hundred thousand entries, collections triggered along the way cost more than the work."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
