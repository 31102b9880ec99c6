"""Reading a .bib file into a Bibliography: the content-keyed cache, the parse in parts, and the
merge that finds duplicate keys, bad keys, unknown types and dangling crossrefs across the file."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from argmap.base.problems import Problem, Severity
from argmap.bib.datamodel import VALID_KEY, known_type
from argmap.bib.model import BibEntry, Bibliography
from argmap.bib.parallel import gc_paused
from argmap.bib.store import RestStore
from argmap.errors import BibliographyError


def load_bibliography(
    path: Path, *, use_cache: bool = True, workers: int | None = None
) -> Bibliography:
    """Read and parse ``path``; problems of the file are collected, unreadable files raise.

    The parse is cached by the file's content hash (see ``argmap.cache.records``); a large file is
    parsed in parts on all cores (see ``argmap.bib.parallel``). Either way the result is the same.
    """
    from argmap.base.sanitize import one_line
    from argmap.base.textio import read_bytes
    from argmap.cache import records as cache

    data = read_bytes(path, BibliographyError, "bibliography")
    key = hashlib.sha256(data).hexdigest()
    use_cache = use_cache and not cache.disabled()
    if use_cache:
        records = cache.read_stream("bib", key)
        if records is not None:
            with gc_paused():
                bib = _from_records(records, path, key)
            if bib is not None:
                return bib
    from argmap.bib.parallel import Progress, parse_parts, read_strings

    progress = Progress(f"parsing {one_line(path.name)}")
    stream = None
    try:
        with _parse_errors(path), gc_paused():
            strings, string_problems = read_strings(data)
            stream = parse_parts(path, data, strings, workers, on_progress=progress)
            del data  # the workers read their own parts: the text need not stay in memory
            return _merge(path, key, stream, string_problems, use_cache)
    finally:
        if stream is not None:
            stream.close()
        progress.close()


def _merge(
    path: Path, key: str, parts: Iterable[Any], string_problems: list[Any], use_cache: bool
) -> Bibliography:
    """Merge freshly parsed parts, writing them to the cache on the way when it is on."""
    from argmap.cache import records as cache

    blobs = cache.BlobFile.create("bib", key) if use_cache else None
    writer = cache.StreamWriter("bib", key) if blobs is not None else None
    builder = _Builder(path, RestStore(blobs))
    builder.add_string_problems(string_problems)
    for core, blob, problems in parts:
        # The rest of each part goes to the cache's blob file, not to memory, when it can.
        ref = blobs.append(blob) if blobs is not None else None
        record = (core, ref or blob, problems)
        builder.add_part(record)
        if writer is not None:
            writer.write(record)
    if writer is not None and blobs is not None:
        writer.write(("strings", string_problems))
        writer.write(("rest", blobs.size))
        if blobs.finish():
            writer.close()
        else:
            writer.abandon()
    return builder.result()


@contextmanager
def _parse_errors(path: Path) -> Iterator[None]:
    """Turn failures of the parse into a BibliographyError naming the file (and the line)."""
    from argmap.bib.parallel import PartDecodeError

    try:
        yield
    except PartDecodeError as exc:
        raise BibliographyError(
            f"bibliography is not valid UTF-8 (byte 0x{exc.byte:02x})",
            path=path,
            line=exc.line,
            hint="save it as UTF-8, e.g. iconv -f LATIN1 -t UTF-8",
        ) from None
    except BibliographyError:
        raise
    except Exception as exc:  # bibtexparser raises only on its own internal errors
        raise BibliographyError(
            f"the BibTeX parser failed: {exc}", path=path, hint="check the file's braces"
        ) from None


def bibliography_from_text(text: str, path: Path, line_offset: int = 0) -> Bibliography:
    """Parse BibTeX ``text`` (read from ``path``) into a Bibliography, in this process."""
    from argmap.bib.parallel import parse_part, read_strings

    try:
        raw_strings, string_problems = read_strings(text.encode("utf-8"), line_offset)
        part = parse_part(text, line_offset, raw_strings)
    except Exception as exc:  # bibtexparser raises only on its own internal errors
        raise BibliographyError(
            f"the BibTeX parser failed: {exc}", path=path, hint="check the file's braces"
        ) from None
    return assemble([part], path, string_problems)


def assemble(parts: Iterable[Any], path: Path, string_problems: Iterable[Any] = ()) -> Bibliography:
    """Merge parsed parts (in file order) into one Bibliography."""
    builder = _Builder(path)
    builder.add_string_problems(list(string_problems))
    for part in parts:
        builder.add_part(part)
    return builder.result()


class _Builder:
    """Merges parts in file order: finds duplicate keys across the whole file, checks keys and
    types, and orders the problems by line. Parts arrive as ``argmap.bib.parallel`` makes them."""

    def __init__(self, path: Path, store: RestStore | None = None) -> None:
        self.path = path
        self.entries: dict[str, BibEntry] = {}
        self.problems: list[Problem] = []
        self.store = store or RestStore()

    def problem(
        self,
        kind: str,
        line: int | None,
        message: str,
        key: str | None = None,
        suggestion: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.problems.append(
            Problem(kind, severity, str(self.path), line, message, key, suggestion)
        )

    def add_string_problems(self, problems: list[Any]) -> None:
        for kind, line, message, key, suggestion in problems:
            self.problem(kind, line, message, key, suggestion)

    def add_part(self, part: Any) -> None:
        core, rest_blob, part_problems = part
        index = self.store.add(rest_blob)
        for kind, line, message, key, suggestion, severity in part_problems:
            self.problem(kind, line, message, key, suggestion, Severity(severity))
        entries = self.entries
        for position, (key, entry_type, line, surnames, fields, present) in enumerate(core):
            if not key:
                self.problem(
                    "no-key",
                    line,
                    f"@{entry_type} entry has no key",
                    suggestion="add a citation key after the opening brace",
                )
                continue
            if key in entries:
                self.problem(
                    "duplicate-key",
                    line,
                    f"duplicate key '{key}' (first defined at line {entries[key].line})",
                    key,
                    "rename one of them or delete the copy",
                )
                continue
            if not VALID_KEY.fullmatch(key):
                self.problem(
                    "bad-key",
                    line,
                    f"invalid entry key '{key}'",
                    key,
                    "keys may not contain spaces, commas, braces or quotes",
                )
                continue
            low_type = sys.intern(entry_type.lower())
            if not known_type(low_type):
                self.problem(
                    "unknown-type",
                    line,
                    f"unknown entry type '@{entry_type}' for '{key}'",
                    key,
                    "use a standard type such as @article, @book, @incollection or @misc",
                    Severity.WARNING,
                )
            entry = BibEntry(
                key, low_type, line, fields, tuple(surnames), (self.store, index, position)
            )
            entry._present = present
            entries[key] = entry

    def result(self) -> Bibliography:
        from argmap.bib.inherit import link

        self.problems.sort(key=lambda p: p.line or 0)
        bib = Bibliography(path=self.path, entries=self.entries, problems=self.problems)
        link(bib)
        return bib


def _from_records(records: Iterable[Any], path: Path, key: str) -> Bibliography | None:
    """A Bibliography from the cache's records (parts, then the string problems), or None if
    they are not what ``load_bibliography`` writes."""
    from argmap.cache import records as cache

    try:
        parts = []
        strings = size = None
        for record in records:
            if isinstance(record, tuple) and len(record) == 2 and record[0] == "strings":
                strings = record[1]
            elif isinstance(record, tuple) and len(record) == 2 and record[0] == "rest":
                size = record[1]
            else:
                parts.append(record)
        if strings is None or not isinstance(size, int):
            return None
        blobs = cache.BlobFile.open("bib", key, size)
        if blobs is None:
            return None
        builder = _Builder(path, RestStore(blobs))
        builder.add_string_problems(strings)
        for part in parts:
            core, blob, _ = part
            ok_blob = isinstance(blob, bytes) or (
                isinstance(blob, tuple) and len(blob) == 3 and blob[0] + blob[1] <= size
            )
            if not ok_blob or not isinstance(core, list):
                return None
            builder.add_part(part)
    except (TypeError, ValueError, KeyError):
        return None
    return builder.result()
