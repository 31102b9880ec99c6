"""Parsing a .bib file in parts, on all cores: split at entry boundaries, parse each part with
bibtexparser in a worker, and return plain tuples for the main process to assemble.

Workers only parse; everything that depends on the whole file — `@string` resolution, duplicate
keys, the order of problems — is done once the parts are merged, so the result is the same
whatever the number of parts or workers.
"""

from __future__ import annotations

import gc
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# One part's result: entries (key, type, line, [(field, raw value, line)]), strings
# (name, raw value, line) and problems (kind, line, message, key, suggestion), lines 1-based.
RawEntry = tuple[str, str, int, list[tuple[str, str, int]]]
RawString = tuple[str, str, int]
RawProblem = tuple[str, int | None, str, str | None, str | None]
Part = tuple[list[RawEntry], list[RawString], list[RawProblem]]

PART_BYTES = 1 << 20  # parts of about 1 MiB keep each worker's memory small
PARALLEL_FROM = 2 << 20  # below 2 MiB, starting workers costs more than it saves


def parse_part(text: str, line_offset: int) -> Part:
    """Parse one part of a .bib file; ``line_offset`` is the number of lines before it."""
    import logging

    import bibtexparser
    from bibtexparser.model import (
        DuplicateBlockKeyBlock,
        DuplicateFieldKeyBlock,
        Entry,
        ParsingFailedBlock,
        String,
    )

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    enabled = gc.isenabled()
    gc.disable()  # bibtexparser builds many small objects and frees none: collections are waste
    try:
        library = bibtexparser.parse_string(text, parse_stack=[])  # type: ignore[attr-defined]
    finally:
        if enabled:
            gc.enable()
    entries: list[RawEntry] = []
    strings: list[RawString] = []
    problems: list[RawProblem] = []

    def line_of(block: Any) -> int | None:
        return None if block.start_line is None else block.start_line + 1 + line_offset

    def add(block: Any) -> None:
        line = line_of(block) or line_offset + 1
        if isinstance(block, String):
            strings.append((str(block.key).lower(), str(block.value), line))
            return
        fields = [
            (
                f.key.lower(),
                str(f.value),
                line if f.start_line is None else f.start_line + 1 + line_offset,
            )
            for f in block.fields
        ]
        entries.append((str(block.key).strip(), str(block.entry_type), line, fields))

    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            # Duplicates are found after merging, so that parts do not change the result.
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
                )
            )
            add(entry)
        elif isinstance(block, ParsingFailedBlock):
            reason = (
                getattr(block.error, "abort_reason", None) or str(block.error) or "syntax error"
            )
            problems.append(
                (
                    "parse-failed",
                    line_of(block),
                    f"entry could not be parsed: {reason}",
                    None,
                    "check the braces, commas and quotes of this entry",
                )
            )
        elif isinstance(block, Entry | String):
            add(block)
    return entries, strings, problems


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
        lines += data.count(b"\n", start, cut)
        start = cut
    return parts


def _decode(data: bytes, line_offset: int, first: bool) -> str:
    """A part's text; a decoding error carries its line in the whole file."""
    try:
        text = data.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        line = line_offset + data[: exc.start].count(b"\n") + 1
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


def _work(job: tuple[str, int, int, int]) -> Part:
    """Worker: read, decode and parse one part of the file at ``path``."""
    path, start, end, lines = job
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    return parse_part(_decode(data, lines, start == 0), lines)


def default_workers() -> int:
    """The cores this process may use (``ARGMAP_WORKERS`` overrides)."""
    env = os.environ.get("ARGMAP_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parse_file_parts(
    path: Path,
    data: bytes,
    workers: int | None = None,
    part_bytes: int = PART_BYTES,
    on_progress: Callable[[int, int], None] | None = None,
    parallel_from: int = PARALLEL_FROM,
) -> list[Part]:
    """Parse the .bib whose content is ``data`` (read from ``path``) in parts, in file order.

    With one worker, or a small file, the parts are parsed in this process; otherwise in a pool
    of ``workers`` processes that read their own part from ``path``, so the text is not copied.
    """
    workers = workers or default_workers()
    jobs = [(str(path), s, e, n) for s, e, n in split_points(data, part_bytes)]
    if workers == 1 or len(data) < parallel_from or len(jobs) == 1:
        results = []
        for i, (_, s, e, n) in enumerate(jobs):
            results.append(parse_part(_decode(data[s:e], n, s == 0), n))
            if on_progress:
                on_progress(i + 1, len(jobs))
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork shares the imported modules; elsewhere the platform's default start method is used.
    method = "fork" if sys.platform == "linux" else None
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        results = []
        for i, part in enumerate(pool.map(_work, jobs)):
            results.append(part)
            if on_progress:
                on_progress(i + 1, len(jobs))
        return results


class Progress:
    """A Rich progress bar on stderr, shown only once a parse has taken a second, on a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.start = time.monotonic()
        self.bar: Any = None
        self.task: Any = None
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or done >= total:
            return
        if self.bar is None:
            if time.monotonic() - self.start < 1.0:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
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
