"""A typed wrapper over bibtexparser 2.x: entries with resolved fields, lazily decoded names, and
every problem of the file (failed blocks, duplicates, unresolved strings) kept as data
with its line."""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argmap.base.problems import Problem, Severity
from argmap.bib.names import person_surname, split_people
from argmap.errors import BibliographyError

if TYPE_CHECKING:
    from argmap.cache.records import BlobFile

PROVENANCE_FIELD = "x-provenance"
INCOMPLETE_FIELD = "x-incomplete"

MONTHS = {
    m: str(i)
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}

# Required fields per entry type (BibTeX's, plus biblatex's common types); "a|b" means either.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "booklet": ("title",),
    "inbook": ("author|editor", "title", "chapter|pages", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "conference": ("author", "title", "booktitle", "year"),
    "manual": ("title",),
    "mastersthesis": ("author", "title", "school", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "misc": (),
    "proceedings": ("title", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "unpublished": ("author", "title", "note"),
    "online": ("title", "url|doi"),
    "report": ("author", "title", "institution", "year|date"),
    "thesis": ("author", "title", "institution|school", "year|date"),
    "collection": ("editor", "title", "year|date"),
    "dataset": ("title",),
    "software": ("title",),
}

_VALID_KEY = re.compile(r"[^\s,{}\"#%']+")


@dataclass(frozen=True)
class Person:
    """One author or editor, split as BibTeX splits names and decoded from LaTeX."""

    first: str
    von: str
    last: str
    jr: str = ""

    @property
    def surname(self) -> str:
        """The surname as cited: particle and last name ("von Bülow")."""
        return f"{self.von} {self.last}".strip()

    def __str__(self) -> str:
        return ", ".join(p for p in (self.surname, self.jr, self.first) if p)


# Fields every entry keeps in memory: what matching, labels and messages need. The others
# (abstracts, notes, URLs, ...) stay compact until asked for; see RestStore.
CORE_FIELDS = frozenset({"author", "editor", "year", "date", "crossref", INCOMPLETE_FIELD})


class RestStore:
    """The non-core fields of a parsed file, one marshal blob per part, decoded on demand.

    A 20,000-entry file holds most of its bytes in abstracts and notes no check reads; kept as
    blobs — in the cache's blob file when there is one, else in memory — they cost little.
    """

    def __init__(self, blobs: BlobFile | None = None) -> None:
        self.file = blobs
        self.parts: list[bytes | tuple[int, int, int]] = []
        self._decoded: dict[int, list[Any]] = {}

    def add(self, blob: bytes | tuple[int, int, int]) -> int:
        """Keep a part's blob (or its place in the blob file); its index."""
        self.parts.append(blob)
        return len(self.parts) - 1

    def decode(self, index: int) -> list[Any]:
        """The rest of part ``index``: (field order, the other fields) per entry."""
        item = self.parts[index]
        try:
            if not isinstance(item, bytes):
                assert self.file is not None
                item = self.file.read(item)
            return list(marshal.loads(item))
        except (OSError, ValueError, EOFError, TypeError):
            if self.file is not None:
                self.file.discard()
            raise BibliographyError(
                "the cached copy of this bibliography is damaged (it has been removed)",
                hint="run the command again, or use --no-cache",
            ) from None

    def part(self, index: int) -> list[Any]:
        """``decode``, with the last two parts kept (loading a whole file is preload's job)."""
        found = self._decoded.get(index)
        if found is None:
            if len(self._decoded) >= 2:
                self._decoded.pop(next(iter(self._decoded)))
            found = self.decode(index)
            self._decoded[index] = found
        return found


class BibEntry:
    """One BibTeX entry: its key, type (lower case), line, and field values with strings resolved.

    Values keep their LaTeX; ``text`` decodes one on demand, so that decoding (the costly step)
    is done only for the entries a check or a rendering needs. An entry from a parsed file keeps
    its core fields in memory and loads the others the first time ``fields`` is read.
    """

    __slots__ = (
        "_authors",
        "_display",
        "_fields",
        "_present",
        "_rest",
        "key",
        "line",
        "surnames",
        "type",
    )

    def __init__(
        self,
        key: str,
        type: str,
        line: int,
        fields: dict[str, str],
        surnames: tuple[str, ...] = (),
        rest: tuple[RestStore, int, int] | None = None,
    ) -> None:
        self.key = key
        self.type = type
        self.line = line
        self.surnames = surnames  # folded, for matching; see quick_surnames
        self._fields = fields
        self._rest = rest
        self._authors: list[Person] | None = None
        self._display: list[str] | None = None
        self._present: tuple[str, ...] | None = None

    def has(self, name: str) -> bool:
        """Whether the entry has a non-empty field ``name`` (without loading the rest)."""
        if self._present is not None and self._rest is not None:
            return name in self._present
        value = self.fields.get(name)
        return bool(value and value.strip())

    @property
    def fields(self) -> dict[str, str]:
        """Every field, in file order."""
        if self._rest is not None:
            self._load()
        return self._fields

    def _load(self, decoded: list[Any] | None = None) -> None:
        assert self._rest is not None
        store, part, index = self._rest
        order, fields = (decoded or store.part(part))[index]
        core = self._fields
        self._fields = {n: core[n] if n in core else fields[n] for n in order}
        self._rest = None

    def get(self, name: str) -> str | None:
        """One field's value; core fields are read without loading the rest."""
        if name in CORE_FIELDS:
            return self._fields.get(name)
        return self.fields.get(name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BibEntry):
            return NotImplemented
        return (self.key, self.type, self.line, self.surnames, self.fields) == (
            other.key,
            other.type,
            other.line,
            other.surnames,
            other.fields,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"BibEntry({self.key!r}, {self.type!r}, line {self.line})"

    def text(self, name: str) -> str | None:
        """Field ``name`` decoded from LaTeX to Unicode, or None if the entry lacks it."""
        value = self.get(name)
        return None if value is None else latex_to_text(value)

    @property
    def authors(self) -> list[Person]:
        """Authors, else editors, split into name parts and decoded."""
        if self._authors is None:
            self._authors = split_names(self.get("author") or self.get("editor") or "")
        return self._authors

    @property
    def year(self) -> str | None:
        """The year as written (``year``, else the start of ``date``), suffix letters dropped."""
        value = self.get("year") or self.get("date")
        if not value:
            return None
        match = re.search(r"\d{4}", value)
        return match.group(0) if match else value.strip()

    @property
    def incomplete(self) -> str | None:
        """Why the entry is known to be incomplete, if it is marked so."""
        return self.get(INCOMPLETE_FIELD)

    @property
    def display_surnames(self) -> list[str]:
        """The authors' (else editors') surnames as printed, decoded from LaTeX.

        Split by BibTeX's rules without splitting the rest of each name, so that labelling an
        entry does not load the full name parser.
        """
        if self._display is None:
            raw = self.get("author") or self.get("editor") or ""
            self._display = [latex_to_text(person_surname(n)) for n in split_people(raw)]
        return self._display

    def label(self) -> str:
        """``Author Year`` as an author–date citation would print it."""
        surnames = self.display_surnames
        if not surnames:
            who = self.text("title") or self.key
        elif len(surnames) == 1:
            who = surnames[0]
        elif len(surnames) == 2:
            who = f"{surnames[0]} & {surnames[1]}"
        else:
            who = f"{surnames[0]} et al."
        return f"{who} {self.year_label()}"

    def year_label(self) -> str:
        """The year with the key's a/b suffix when two works share author and year."""
        year = self.year or "n.d."
        match = re.search(r"\d{4}([a-z])$", self.key)
        return year + match.group(1) if match and year.isdigit() else year


@dataclass
class Bibliography:
    """The entries of a .bib file by key, and every problem found while reading it."""

    path: Path
    entries: dict[str, BibEntry]
    problems: list[Problem] = field(default_factory=list)

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def get(self, key: str) -> BibEntry | None:
        """The entry with ``key``, or None."""
        return self.entries.get(key)

    def preload(self, keys: Iterable[str]) -> None:
        """Load all fields of the entries ``keys`` names, decoding each part of the file once."""
        by_part: dict[tuple[int, int], list[BibEntry]] = {}
        for key in keys:
            entry = self.entries.get(key)
            if entry is not None and entry._rest is not None:
                store, part, _ = entry._rest
                by_part.setdefault((id(store), part), []).append(entry)
        for entries in by_part.values():
            store, part, _ = entries[0]._rest  # type: ignore[misc]
            decoded = store.decode(part)
            for entry in entries:
                entry._load(decoded)


def latex_to_text(value: str) -> str:
    """Decode LaTeX (accents, braces, commands) to plain Unicode; cheap when there is none."""
    if "\\" not in value and "$" not in value:
        return " ".join(value.replace("{", "").replace("}", "").split())
    return " ".join(_latex_converter().latex_to_text(value).split())


@lru_cache(maxsize=1)
def _latex_converter() -> Any:
    """One pylatexenc converter: building its macro tables costs more than a conversion."""
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim")


def split_names(raw: str) -> list[Person]:
    """Split an author field into people, each decoded from LaTeX."""
    if not raw.strip():
        return []
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    people = []
    for name in split_multiple_persons_names(raw):
        try:
            parts = parse_single_name_into_parts(name, strict=False)
        except Exception:  # a malformed name still names someone: keep it whole
            people.append(Person(first="", von="", last=latex_to_text(name)))
            continue
        people.append(
            Person(
                first=latex_to_text(" ".join(parts.first)),
                von=latex_to_text(" ".join(parts.von)),
                last=latex_to_text(" ".join(parts.last)),
                jr=latex_to_text(" ".join(parts.jr)),
            )
        )
    return people


def _split_concatenation(raw: str) -> list[str]:
    """Split a raw BibTeX value on ``#`` outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(raw):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i])
            start = i + 1
    parts.append(raw[start:])
    return [p.strip() for p in parts]


def resolve_value(raw: str, strings: dict[str, str]) -> tuple[str, list[str]]:
    """A raw value with its enclosing removed and ``@string`` names replaced; names not found."""
    raw = raw.strip()
    if "#" not in raw and raw:
        # The common case, decided without walking the value: one braced, quoted or bare part.
        if (raw[0], raw[-1]) in (("{", "}"), ('"', '"')) and len(raw) >= 2:
            return raw[1:-1], []
        if raw.isdigit():
            return raw, []
        low = raw.lower()
        if low in strings:
            return strings[low], []
        if low in MONTHS:
            return MONTHS[low], []
        return raw, [raw]
    out, unresolved = [], []
    for part in _split_concatenation(raw.strip()):
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(part)
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower() in MONTHS:
            out.append(MONTHS[part.lower()])
        else:
            unresolved.append(part)
            out.append(part)
    return "".join(out), unresolved


def resolve_strings(defs: list[tuple[str, str, int]]) -> tuple[dict[str, str], list[Any]]:
    """Resolve ``@string`` definitions (name, raw value, line) that may refer to each other.

    Returns the values by name and the problems: repeated names (the first kept) and cycles.
    """
    problems: list[Any] = []
    raw_strings: dict[str, tuple[str, int]] = {}
    for name, raw, line in defs:
        if name in raw_strings:
            problems.append(
                (
                    "duplicate-string",
                    line,
                    f"duplicate key '{name}' (first defined at line {raw_strings[name][1]})",
                    name,
                    "rename one of them or delete the copy",
                )
            )
            continue
        raw_strings[name] = (raw, line)
    resolved: dict[str, str] = {}
    visiting: set[str] = set()

    def resolve(name: str) -> str:
        if name in resolved:
            return resolved[name]
        raw, line = raw_strings[name]
        if name in visiting:
            problems.append(
                (
                    "string-cycle",
                    line,
                    f"@string '{name}' refers to itself through other strings",
                    None,
                    "define it with a literal value",
                )
            )
            resolved[name] = raw
            return raw
        visiting.add(name)
        parts = []
        for part in _split_concatenation(raw):
            low = part.lower()
            if low in raw_strings and not (part.startswith(("{", '"'))):
                parts.append(resolve(low))
            else:
                value, _ = resolve_value(part, {})
                parts.append(value)
        visiting.discard(name)
        resolved.setdefault(name, "".join(parts))
        return resolved[name]

    for name in raw_strings:
        resolve(name)
    return resolved, problems


def load_bibliography(
    path: Path, *, use_cache: bool = True, workers: int | None = None
) -> Bibliography:
    """Read and parse ``path``; problems of the file are collected, unreadable files raise.

    The parse is cached by the file's content hash (see ``argmap.cache.records``); a large file is
    parsed in parts on all cores (see ``argmap.bib.parallel``). Either way the result is the same.
    """
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

    progress = Progress(f"parsing {path.name}")
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
    types, and orders the problems by line. Parts arrive as ``bibparse`` makes them."""

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
            if not _VALID_KEY.fullmatch(key):
                self.problem(
                    "bad-key",
                    line,
                    f"invalid entry key '{key}'",
                    key,
                    "keys may not contain spaces, commas, braces or quotes",
                )
                continue
            low_type = sys.intern(entry_type.lower())
            if low_type not in REQUIRED_FIELDS:
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
        for entry in self.entries.values():
            parent = entry.get("crossref")
            if parent is not None and parent.strip() not in self.entries:
                self.problem(
                    "missing-crossref",
                    entry.line,
                    f"'{entry.key}' has crossref '{parent.strip()}', which is not in the file",
                    entry.key,
                    "add the entry it refers to, or remove the crossref field",
                )
        self.problems.sort(key=lambda p: p.line or 0)
        return Bibliography(path=self.path, entries=self.entries, problems=self.problems)


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


def subset(bib: Bibliography, keys: list[str]) -> tuple[list[BibEntry], list[str]]:
    """The entries for ``keys`` (and the entries they crossref), in key order; keys not found."""
    chosen: dict[str, BibEntry] = {}
    missing: list[str] = []
    bib.preload(keys)
    pending = list(keys)
    while pending:
        key = pending.pop()
        if key in chosen:
            continue
        entry = bib.get(key)
        if entry is None:
            if key not in missing:
                missing.append(key)
            continue
        chosen[key] = entry
        parent = entry.fields.get("crossref")
        if parent:
            pending.append(parent.strip())
    return [chosen[k] for k in sorted(chosen)], sorted(missing)
