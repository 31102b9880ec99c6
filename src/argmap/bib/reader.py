"""Reading a .bib file into a Bibliography: the content-keyed cache, the index (bibtexparser for
what it cannot read), and the merge that finds duplicate keys, bad keys, unknown types and
dangling crossrefs across the file."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from argmap.base.collector import gc_paused
from argmap.base.problems import Problem, Severity
from argmap.bib.datamodel import (
    BIBTEX_ONLY_KEY,
    DUPLICATE_KEY_HINT,
    VALID_KEY,
    duplicate_key_message,
    known_type,
)
from argmap.bib.model import BibEntry, Bibliography
from argmap.bib.store import RestStore
from argmap.errors import BibliographyError


def load_bibliography(
    path: Path, *, use_cache: bool = True, workers: int | None = None
) -> Bibliography:
    """Read and index ``path``; problems of the file are collected, unreadable files raise.

    The file is read once; those bytes are hashed (the cache key, see ``argmap.cache.records``)
    and indexed (see ``argmap.bib.index``), the chunks the index cannot read being parsed by
    bibtexparser, on several cores when they are many. The result is the one
    ``bibliography_from_text`` (bibtexparser's parse of the whole file) gives, with or without
    the cache, whatever the number of workers.
    """
    return load_bibliographies([path], use_cache=use_cache, workers=workers)[0]


def load_bibliographies(
    paths: list[Path], *, use_cache: bool = True, workers: int | None = None
) -> list[Bibliography]:
    """``load_bibliography`` of each of ``paths``, in order; the files not in the cache are
    indexed together, their pieces shared among the cores as one large file's would be (four
    files of 1 MB take no longer than one of 4 MB)."""
    from argmap.base.textio import read_bytes
    from argmap.bib import columns
    from argmap.bib.parallel import decode_bib
    from argmap.cache import records as cache

    use_cache = use_cache and not cache.disabled()
    found: list[Bibliography | None] = []
    pending: list[tuple[int, Path, str, str]] = []  # (place, path, text, cache key)
    strings: list[tuple[dict[str, str], list[Any]]] = []  # of each pending file
    # The @strings in force: BibTeX and biber keep a file's @strings for the files after it, so
    # each file is read with those of the files before it (and cached under them too).
    scope: dict[str, str] = {}
    with gc_paused():
        for place, path in enumerate(paths):
            data = read_bytes(path, BibliographyError, "bibliography")
            key = cache.key_for(data + _scope_bytes(scope)) if use_cache else ""
            with _parse_errors(path):
                text = decode_bib(data)
            del data
            bib = None
            if use_cache:
                kept = cache.read("bib", key)
                if kept is not None:
                    bib = columns.from_records(kept, path, text)
                del kept
            found.append(bib)
            if bib is None:
                pending.append((place, path, text, key))
                with _parse_errors(path):
                    strings.append(_strings(text, scope))
                scope = strings[-1][0]
            else:
                scope = bib.strings
        if not pending:
            return [bib for bib in found if bib is not None]
        if sum(len(text) for _, _, text, _ in pending) >= INDEX_PARALLEL_FROM:
            # what the read makes and frees of the larger sizes is given back, not kept as
            # holes that Python's small objects never fill (see ``argmap.base.allocator``)
            from argmap.base.allocator import return_large_blocks

            return_large_blocks()
        # a failure here (a worker killed, say) is reported against the first file indexed
        with _parse_errors(pending[0][1]):
            indexed = _index_all(
                [(t, s[0]) for (_, _, t, _), s in zip(pending, strings, strict=True)], workers
            )
        for number, ((place, path, text, key), (defs, string_problems)) in enumerate(
            zip(pending, strings, strict=True)
        ):
            # each file's index items are let go as soon as its entries are made: at the peak
            # of memory are the entries, not also what they were made from
            items, indexed[number] = indexed[number], []
            records: list[Any] | None = None
            with _parse_errors(path):
                runs = [item for item in items if isinstance(item[0], int)]
                parts = resolve_runs(items, text, defs, path, workers)
                del items
                builder = _Builder(path, commented_lines(text))
                builder.add_string_problems(list(string_problems))
                parts.reverse()
                while parts:  # each part let go once added
                    builder.add_part(parts.pop())
                commented_entries(builder)
                bib = builder.result(linked=False)
                bib.strings = defs
                _find_pandoc_refusal(bib, text, runs, builder)
                # kept before linking: links load the fields of the entries they join
                if use_cache:
                    records = columns.to_records(bib, builder.store, defs, text)
                from argmap.bib.inherit import link

                link(bib)
            found[place] = bib
            if records is not None:
                cache.write("bib", key, records)
                del records
    # The folded surnames are kept by the entries; the fold cache's copies of the names they
    # were folded from (a megabyte for 20,000 entries) are of no more use.
    from argmap.bib.names import fold

    fold.cache_clear()
    return [bib for bib in found if bib is not None]


def _scope_bytes(scope: dict[str, str]) -> bytes:
    """The @strings a file is read with, as bytes for its cache key (none: no bytes, so a file
    read alone keeps its key)."""
    if not scope:
        return b""
    import json

    return b"\0argmap-strings\0" + json.dumps(sorted(scope.items())).encode()


def _strings(text: str, inherited: dict[str, str]) -> tuple[dict[str, str], list[Any]]:
    """The file's @strings, resolved (with the ``inherited`` ones), and their problems."""
    from argmap.bib.index import read_strings_fast
    from argmap.bib.parallel import read_strings

    found = read_strings_fast(text, inherited)
    defs, problems = found if found is not None else read_strings(text.encode(), 0, inherited)
    return defs, [*problems, *unbraced_comments(text)]


# "@comment" then text not in braces or parentheses ("@Comment Len Schubert", as
# BibTeX-era files write a remark): BibTeX skips it; biber 2.18 stops with "syntax error:
# found 'Len'" and keeps no entry of the file; pandoc 3 refuses the file ("unexpected 'L'"),
# pandoc 2.17 reads on.
# Searched from each "@" (a scan at C speed) and kept when only blanks stand before it on its
# line: a multi-line "^[ \t]*@comment" pattern tries every line's start and took 27 ms of the
# lean 20k file's cold read (85 ms of the rich one's), before any worker could start.
# ``@commentary{`` and ``@COMMENTED{`` are entries of those types (BibTeX and biber read them).
_UNBRACED_COMMENT = re.compile(r"@[Cc][Oo][Mm][Mm][Ee][Nn][Tt](?![^\s\"#%'(),={}@])\s*(?=[^\s{(])")


def unbraced_comments(text: str, line_offset: int = 0) -> list[tuple[str, int, str, None, str]]:
    """The string-problem tuple (kind, line, message, key, what to do) of the first ``@comment``
    at a line's start (after blanks) whose text is not in braces (a quoted one stops biber
    too), naming the lines of any more: biber 2.18 and pandoc 3 stop at the first and never
    see the others."""
    if "@" not in text:
        return []
    lines: list[int] = []
    line, counted = 1 + line_offset, 0
    taken = 0  # where the last one found ends: its blanks may run over the next line's start
    for m in _UNBRACED_COMMENT.finditer(text):
        at = m.start()
        start = text.rfind("\n", 0, at) + 1
        if start < taken or text[start:at].strip(" \t"):
            continue  # not at a line's start (or that line's start is the last one's)
        taken = m.end()
        line += text.count("\n", counted, start)
        counted = start
        lines.append(line)
    if not lines:
        return []
    message = (
        "@comment without braces: biber stops here and reads no entry of the file "
        "(pandoc 3 refuses the file; BibTeX and pandoc 2 skip it)"
    )
    more = lines[1:]
    if more:
        shown = ", ".join(map(str, more[:5])) + (", ..." if len(more) > 5 else "")
        follow = "follows (line" if len(more) == 1 else "follow (lines"
        message += f"; {len(more)} more {follow} {shown})"
    return [
        (
            "unbraced-comment",
            lines[0],
            message,
            None,
            "put the comment's text in braces, @comment{...}, or delete the line",
        )
    ]


def resolve_runs(
    items: list[Any], text: str, strings: dict[str, str], path: Path, workers: int | None
) -> list[Any]:
    """The index's items as parts, the runs it left to bibtexparser parsed (in file order)."""
    from argmap.bib.parallel import parse_runs

    runs = [item for item in items if isinstance(item[0], int)]
    parsed: list[Any] = []
    if runs:
        from argmap.bib.parallel import Progress

        progress = Progress(f"parsing {path.name}")
        try:
            parsed = parse_runs(text, runs, strings, workers, on_progress=progress)
        finally:
            progress.close()
    parts: list[Any] = []
    for item in items:
        if isinstance(item[0], int):
            parts.extend(parsed.pop(0))
        else:
            parts.append(item)
    return parts


INDEX_PARALLEL_FROM = 1 << 20  # below 1 MiB in all a second process costs more than it saves

Piece = tuple[int, int, int]  # (file, begin, stop) of a piece of text to index


def _index_all(files: list[tuple[str, dict[str, str]]], workers: int | None) -> list[list[Any]]:
    """``index_text`` of each (text, strings), the files shared among ``workers`` cores as one
    text: each process indexes one stretch of about the same size (``index_shares``), this
    process the first, forked workers the others, each as one job."""
    from argmap.bib.index import index_text
    from argmap.bib.parallel import default_workers

    workers = workers or default_workers()
    total = sum(len(text) for text, _ in files)
    # (an empty total is read here too: no piece of it can be shared out)
    if workers == 1 or not total or total < INDEX_PARALLEL_FROM or sys.platform != "linux":
        return [index_text(text, strings) for text, strings in files]
    shares = index_shares([text for text, _ in files], workers)
    if len(shares) <= 1:
        return [index_text(text, strings) for text, strings in files]
    from argmap.base.workers import forked_map
    from argmap.bib.index import FAST_FROM, fast_entry_pattern, general_fields_pattern

    if any(stop - begin >= FAST_FROM for share in shares for _, begin, stop in share):
        fast_entry_pattern()  # compiled once here (~7 ms), inherited by the workers
    general_fields_pattern()  # likewise (~1 ms), rather than once in each worker that needs it
    mine, others = shares[0], shares[1:]
    out: list[list[Any]] = [[] for _ in files]
    global _index_files
    _index_files = files
    from argmap.base.helper import held

    # A helper scanning manuscripts (check-citations) holds still while this process and the
    # workers index, one to a core, and scans once this process has indexed its stretch: on
    # the core the rest of the reading (entries made, the cache written) leaves idle (README,
    # *The cold check, round 27*).
    go_on = held()
    try:
        # One job per worker: a worker whose answer waits in a full pipe until this process
        # reads it (once it has indexed its own stretch) would otherwise wait to start its next.
        with forked_map(_index_share, others, len(others)) as results:
            for number, begin, stop in mine:
                text, strings = files[number]
                out[number].extend(index_text(text, strings, begin, stop))
            go_on()
            for share, blobs in zip(others, results, strict=True):
                for (number, _, _), blob in zip(share, blobs, strict=True):
                    _take_piece(out[number], blob, *files[number])
    finally:
        go_on()
        _index_files = []
    return out


def index_shares(texts: list[str], processes: int) -> list[list[Piece]]:
    """The texts, as if joined, cut into about ``processes`` stretches of equal size at block
    lines (a chunk stays whole); each stretch as its pieces (file, begin, stop), in order."""
    from argmap.bib.index import next_block_line

    total = sum(len(text) for text in texts)
    shares: list[list[Piece]] = []
    number, at = 0, 0  # where the next stretch starts: a file, a place in it
    before = 0  # the length of the files before that one
    for share in range(1, processes + 1):
        goal = total * share // processes  # where it should end, in the joined texts
        pieces: list[Piece] = []
        while number < len(texts):
            text = texts[number]
            if before + len(text) <= goal or share == processes:
                if at < len(text):
                    pieces.append((number, at, len(text)))
                number, at, before = number + 1, 0, before + len(text)
                continue
            cut = max(next_block_line(text, goal - before), at)
            if cut > at:
                pieces.append((number, at, cut))
                at = cut
            break
        if pieces:
            shares.append(pieces)
    return shares


_index_files: list[tuple[str, dict[str, str]]] = []


def _index_share(pieces: list[Piece]) -> list[bytes]:
    """Index a stretch of the texts this worker inherited, piece by piece (``_index_piece``)."""
    return [_index_piece(piece) for piece in pieces]


def _index_piece(job: Piece) -> bytes:
    """Index a piece of a text this worker inherited; spans, not the text, go back (marshal:
    plain data, and faster across the pipe than pickle)."""
    import marshal

    from argmap.bib.index import SpanRest, index_text

    number, begin, stop = job
    text, strings = _index_files[number]
    out: list[Any] = []
    for item in index_text(text, strings, begin, stop):
        if not isinstance(item[0], int) and isinstance(item[1], SpanRest):
            out.append((item[0], item[1].spans.tobytes(), item[2]))
        else:
            out.append(item)
    return marshal.dumps(out)


def _take_piece(into: list[Any], blob: bytes, text: str, strings: dict[str, str]) -> None:
    """A worker's piece added to its file's items, its spans read from the parent's text."""
    import marshal
    from array import array

    from argmap.bib.index import SPAN_INT, SpanRest

    for item in marshal.loads(blob):
        if isinstance(item[0], int):
            into.append(tuple(item))
        else:
            core, raw, problems = item
            spans = array(SPAN_INT)
            spans.frombytes(raw)
            into.append((core, SpanRest(text, spans, strings), problems))


@contextmanager
def _parse_errors(path: Path) -> Iterator[None]:
    """Turn failures of the parse into a BibliographyError naming the file (and the line)."""
    from argmap.base.workers import WorkerDied
    from argmap.bib.parallel import PartDecodeError

    try:
        yield
    except WorkerDied as exc:
        # Not the file's fault: a worker was killed (out of memory, a signal) or crashed.
        raise BibliographyError(
            f"reading the bibliography stopped: {exc}",
            path=path,
            hint="run it again; if it happens again, ARGMAP_WORKERS=1 reads in one process",
        ) from None
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
        string_problems = [*string_problems, *unbraced_comments(text, line_offset)]
        part = parse_part(text, line_offset, raw_strings)
    except Exception as exc:  # bibtexparser raises only on its own internal errors
        raise BibliographyError(
            f"the BibTeX parser failed: {exc}", path=path, hint="check the file's braces"
        ) from None
    builder = _Builder(path, commented_lines(text, line_offset))
    builder.add_string_problems(list(string_problems))
    builder.add_part(part)
    commented_entries(builder)
    bib = builder.result()
    # bibtexparser read the whole text: all of it is searched
    _find_pandoc_refusal(bib, text, [(0, len(text), 0)], builder, line_offset)
    return bib


def _find_pandoc_refusal(
    bib: Bibliography,
    text: str,
    runs: list[tuple[int, int, int]],
    builder: _Builder,
    line_offset: int = 0,
) -> None:
    """Keep in ``bib`` the first opening of ``text`` that pandoc refuses, if any (see
    ``argmap.bib.index.pandoc_refusal``): the check of a pandoc document then reads no file."""
    from argmap.bib.index import pandoc_refusal

    entries = builder.entries
    found = pandoc_refusal(
        text, runs, builder.types, lambda: {e.line - line_offset for e in entries.values()}
    )
    if found is not None:
        bib.pandoc_refusals[bib.path] = (found[0] + line_offset, found[1], found[2])


def assemble(parts: Iterable[Any], path: Path, string_problems: Iterable[Any] = ()) -> Bibliography:
    """Merge parsed parts (in file order) into one Bibliography."""
    builder = _Builder(path)
    builder.add_string_problems(list(string_problems))
    for part in parts:
        builder.add_part(part)
    return builder.result()


# An entry whose "@" stands after a "%" on its line ("%@ARTICLE{key,", as JabRef and BibDesk
# users comment one out): biber and pandoc skip a line from its "%", BibTeX has no comments
# outside entries and reads the entry (found only in lines holding a "%", searched for first).
_COMMENTED_ENTRY = re.compile(r"%[^\n@]*@[ \t]*([A-Za-z]+)[ \t]*([{(])[ \t]*([^,\s{}()]*)")
_BRACE = re.compile(r"[{}]")


class Commented(NamedTuple):
    """An entry opening commented out with "%": as written, its key, and its last line."""

    written: str
    key: str
    end: int


def commented_lines(text: str, line_offset: int = 0) -> dict[int, Commented]:
    """The entry openings of ``text`` commented out with "%", by line."""
    out: dict[int, Commented] = {}
    if "%" not in text:
        return out
    line, counted = 1 + line_offset, 0
    for m in _COMMENTED_ENTRY.finditer(text):
        if m.group(1).lower() in ("comment", "string", "preamble"):
            continue
        line += text.count("\n", counted, m.start())
        counted = m.start()
        written = " ".join(text[text.rfind("\n", 0, m.start()) + 1 : m.end()].split())
        close = m.start(2)
        if m.group(2) == "{":  # the entry ends where its braces balance, as BibTeX reads it
            depth = 0
            for brace in _BRACE.finditer(text, m.start(2)):
                depth += 1 if brace.group() == "{" else -1
                if depth == 0:
                    close = brace.start()
                    break
        out[line] = Commented(written, m.group(3), line + text.count("\n", m.start(), close))
    return out


def commented_entries(builder: _Builder) -> None:
    """A warning (BIB211) for each entry commented out with "%" that BibTeX still reads; the
    parse failure of one whose fields are commented out too becomes part of it.

    The openings are those ``commented_lines`` found when the builder was made. A
    commented-out copy of an entry the file also holds live is dropped, with what it gave
    rise to (its fields' problems, the repeated key): biber and pandoc skip it and use the
    live entry, and BibTeX, which reads both, says "Repeated entry". Other commented-out
    entries are kept, as BibTeX reads them."""
    if not builder.commented:
        return
    failed = {p.line: p for p in builder.problems if p.kind == "parse-failed"}
    kept = False
    for line, (written, key, end) in builder.commented.items():
        broken = failed.pop(line, None)
        if broken is not None:
            builder.problems.remove(broken)
        held = builder.held.pop(line, None)
        live = builder.entries.get(key) if held is not None else None
        if held is not None and live is None:
            builder.entries[key] = held
            kept = True
        if live is not None:
            builder.problems = [
                p for p in builder.problems if p.line is None or not line <= p.line <= end
            ]
            tail = (
                f": the first '{key}' to BibTeX, which prints it for \\cite{{{key}}} and skips "
                f'the entry at line {live.line} ("Repeated entry"); biber and pandoc use that '
                "entry"
                if live.line > line
                else f": a repeat of '{key}' (line {live.line}) to BibTeX (\"Repeated entry\"), "
                "which keeps the first, as biber and pandoc do"
            )
        elif broken is not None:
            tail = (
                ", and stops on it here: its fields are commented out too (\"You're missing a "
                'field name")'
            )
        else:
            tail = f" (a citation of '{key}' finds it only in a document built with BibTeX)"
        builder.problem(
            "commented-entry",
            line,
            f"'{written}' is commented out for biber and pandoc, which skip a line from its '%', "
            "but BibTeX has no comments outside entries and reads it as an entry" + tail,
            key or None,
            "delete the entry, or enclose it in @comment{...}, which BibTeX, biber and pandoc all "
            "skip",
            Severity.WARNING,
        )
    if kept:  # entries stay in the file's order
        builder.entries = dict(sorted(builder.entries.items(), key=lambda item: item[1].line))


class _Builder:
    """Merges parts in file order: finds duplicate keys across the whole file, checks keys and
    types, and orders the problems by line. Parts arrive as ``argmap.bib.parallel`` makes them."""

    def __init__(self, path: Path, commented: dict[int, Commented] | None = None) -> None:
        self.path = path
        # entries commented out with "%", held back until the whole file is read: a live copy
        # later in the file is the one biber and pandoc use (see commented_entries)
        self.commented = commented or {}
        self.held: dict[int, BibEntry] = {}
        self.entries: dict[str, BibEntry] = {}
        self.problems: list[Problem] = []
        self.store = RestStore()
        # each type as written -> (lower case, interned; whether it is a known type)
        self.types: dict[str, tuple[str, bool]] = {}

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
        from argmap.base.rules import BY_NAME

        for kind, line, message, key, suggestion in problems:
            # the rule's own level: a redefined @string is a warning, a cycle an error
            level = BY_NAME[kind].severity or Severity.ERROR
            self.problem(kind, line, message, key, suggestion, level)

    def add_part(self, part: Any) -> None:
        core, rest_blob, part_problems = part
        index = self.store.add(rest_blob)
        for kind, line, message, key, suggestion, severity in part_problems:
            self.problem(kind, line, message, key, suggestion, Severity(severity))
        entries = self.entries
        store = self.store
        valid_key = VALID_KEY.fullmatch
        types = self.types
        at = (store, index)  # shared by the part's entries
        commented = self.commented
        for position, (key, entry_type, line, surnames, fields, present) in enumerate(core):
            # a commented-out entry is held back: no repeated key is judged against it yet
            target = self.held if commented and line in commented else entries
            if not key:
                self.problem(
                    "no-key",
                    line,
                    f"@{entry_type} entry has no key",
                    suggestion="add a citation key after the opening brace",
                )
                continue
            if key in entries and target is entries:
                self.problem(
                    "duplicate-key",
                    line,
                    duplicate_key_message(key, entries[key].line),
                    key,
                    DUPLICATE_KEY_HINT,
                )
                continue
            if not valid_key(key):
                if BIBTEX_ONLY_KEY.fullmatch(key):
                    self.problem(*_apostrophe_key(key, line), severity=Severity.WARNING)
                else:
                    self.problem(
                        "bad-key",
                        line,
                        f"invalid entry key '{key}'",
                        key,
                        "keys may not contain spaces, commas, braces, double quotes, # or %",
                    )
                    continue
            # a file has a few types: each is lowered, interned and looked up once
            found = types.get(entry_type)
            if found is None:
                low = sys.intern(entry_type.lower())
                found = types[entry_type] = (low, known_type(low))
            low_type, known = found
            if not known:
                self.problem(
                    "unknown-type",
                    line,
                    f"unknown entry type '@{entry_type}' for '{key}'",
                    key,
                    "use a standard type such as @article, @book, @incollection or @misc",
                    Severity.WARNING,
                )
            slot = key if target is entries else line
            if isinstance(fields, dict):
                target[slot] = BibEntry(
                    key, low_type, line, fields, tuple(surnames), at, None, present,
                    position=position,
                )  # fmt: skip
            else:  # its core fields are in the text but for the year
                year, complete, commas = fields
                target[slot] = BibEntry(
                    key, low_type, line, None, tuple(surnames), at, None, present, year,
                    complete, position, commas,
                )  # fmt: skip

    def result(self, linked: bool = True) -> Bibliography:
        """The Bibliography, its links resolved unless ``linked`` is false."""
        from argmap.bib.inherit import link

        self.problems.sort(key=lambda p: p.line or 0)
        bib = Bibliography(path=self.path, entries=self.entries, problems=self.problems)
        if linked:
            link(bib)
        return bib


def _apostrophe_key(key: str, line: int) -> tuple[str, int, str, str, str]:
    """The warning on a key with an apostrophe or an equals sign: kind, line, message, key and
    what to do."""
    what = "apostrophe" if "'" in key else "equals sign"
    return (
        "key-apostrophe",
        line,
        f"entry key '{key}' has an {what}: biber cannot read the file (it stops at this key "
        "and keeps none of its entries; BibTeX and pandoc read it)",
        key,
        f"if the document is built with biber (biblatex), rename the key without the {what}",
    )
