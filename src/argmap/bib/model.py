"""The bibliography as data: entries (key, type, line, fields with strings resolved, people) and
the file's problems, as every check and rendering reads them."""

from __future__ import annotations

import re
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from pathlib import Path
from typing import Any, Protocol

from argmap.base.problems import Problem
from argmap.bib.datamodel import INCOMPLETE_FIELD
from argmap.bib.latex import latex_to_text
from argmap.bib.names import Person, person_surname, split_names, split_people
from argmap.bib.store import CORE_FIELDS, RestStore

# compiled once: the matcher reads the year of every candidate entry
_YEAR = re.compile(r"\d{4}")
_KEY_SUFFIX = re.compile(r"\d{4}([a-z])$")


class BibEntry:
    """One BibTeX entry: its key, type (lower case), line, and field values with strings resolved.

    Values keep their LaTeX; ``text`` decodes one on demand, so that decoding (the costly step)
    is done only for the entries a check or a rendering needs. An entry the index read keeps
    only its year (and folded surnames) and reads its other fields from the .bib text when
    first asked for; one bibtexparser parsed keeps its core fields in memory and loads the
    others the first time ``fields`` is read.
    """

    __slots__ = (
        "_authors",
        "_commas",
        "_complete",
        "_core",
        "_display",
        "_fields",
        "_inherited",
        "_pos",
        "_present",
        "_rest",
        "_year",
        "key",
        "line",
        "schema",
        "surnames",
        "type",
    )

    def __init__(
        self,
        key: str,
        type: str,
        line: int,
        fields: dict[str, str] | None,
        surnames: tuple[str, ...] = (),
        rest: tuple[RestStore, int] | None = None,
        core: tuple[tuple[str, ...], list[str], int] | None = None,
        present: tuple[str, ...] | None = None,
        year: str | None = None,
        complete: bool = False,
        position: int = 0,
        commas: bool = True,
    ) -> None:
        self.key = key
        self.type = type
        self.line = line
        self.surnames = surnames  # folded, for matching; see quick_surnames
        # None: even the core fields are still in the text (an entry the index read), all but
        # the year, which matching reads for thousands of entries; see ``get``.
        self._fields = fields
        self._year = year
        # whether ``_present`` names every field (none is blank), so that a core field absent
        # from it is known to be absent without reading the text
        self._complete = complete
        # Core fields not yet made into a dict (an entry from the cache's columns): their names,
        # the column of values and where this entry's start; see ``_own``.
        self._core = core
        # Where its other fields are: the part of the store (one pair shared by every entry of
        # the part: a tuple of its own cost 64 bytes an entry) and its place in that part.
        self._rest = rest
        self._pos = position
        # False when the index, reading the author and editor fields, found that no name of
        # theirs can have more than two commas (see ``few_commas``, ``index.many_commas``)
        self._commas = commas
        self._authors: list[Person] | None = None
        self._display: list[str] | None = None
        # the names of its own non-empty fields, when known without reading them all
        self._present = present
        # Fields from the entries it crossrefs, xdata or (for a @set) its first member, under
        # the names biber gives them; see argmap.bib.inherit.
        self._inherited: dict[str, str] | None = None
        self.schema = "bibtex"  # or "csl", for an entry read from CSL-JSON or CSL-YAML

    def has(self, name: str) -> bool:
        """Whether the entry has a non-empty field ``name``, its own (read without loading the
        rest) or inherited."""
        if self._present is not None and self._rest is not None:
            found = name in self._present
        else:
            value = self.fields.get(name)
            found = bool(value and value.strip())
        if not found and self._inherited is not None:
            value = self._inherited.get(name)
            found = bool(value and value.strip())
        return found

    def few_commas(self, name: str) -> bool:
        """Whether its own field ``name`` is known, without reading it, to have no name of more
        than two commas (more than BibTeX allows): known for the author and editor of an entry
        the index read."""
        return not self._commas and (name == "author" or name == "editor")

    def known_present(self) -> tuple[str, ...] | None:
        """The names of its own non-empty fields when they are known without reading it and it
        inherits nothing (``has`` is then whether a name is among them), else None."""
        if self._present is not None and self._rest is not None and self._inherited is None:
            return self._present
        return None

    def present_alone(self) -> tuple[str, ...] | None:
        """The names of its own non-empty fields when it inherits nothing (``has`` is then
        whether a name is among them; its fields may be read to list them), else None."""
        return self.present() if self._inherited is None else None

    def present(self) -> tuple[str, ...]:
        """The names of the entry's own non-empty fields (without loading the rest)."""
        if self._present is not None and self._rest is not None:
            return self._present
        return tuple(n for n, v in self.fields.items() if v and v.strip())

    @property
    def inherited(self) -> dict[str, str]:
        """The fields this entry inherits (empty when it has no parent)."""
        return self._inherited or {}

    @property
    def fields(self) -> dict[str, str]:
        """Every field, in file order."""
        if self._rest is not None:
            self._load()
        return self._own()

    def _own(self) -> dict[str, str]:
        """The fields read so far: the core ones until the rest is loaded."""
        if self._fields is None:
            # one reading of the entry's text gives every field: keep them all, so that asking
            # for another field later does not read it again
            self._load()
            assert self._fields is not None
        elif self._core is not None:
            layout, values, at = self._core
            self._fields = dict(zip(layout, values[at : at + len(layout)], strict=True))
            self._core = None
        return self._fields

    def _load(self, decoded: Sequence[Any] | None = None) -> None:
        assert self._rest is not None
        store, part = self._rest
        order, fields = (decoded or store.part(part))[self._pos]
        # an entry whose core fields are still in the text gets them all from this reading
        core = fields if self._fields is None else self._own()
        self._fields = {n: core[n] if n in core else fields[n] for n in order}
        self._rest = self._core = None

    def get(self, name: str) -> str | None:
        """One field's value, its own else inherited; core fields are read without loading
        the rest."""
        if name not in CORE_FIELDS:
            value = self.fields.get(name)
        elif self._fields is not None:
            value = self._own().get(name)
        elif name == "year":
            value = self._year
        elif self._complete and name not in self._present:  # type: ignore[operator]
            value = None
        else:
            value = self._own().get(name)
        if value is None and self._inherited is not None:
            return self._inherited.get(name)
        return value

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
        match = _YEAR.search(value)
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
        match = _KEY_SUFFIX.search(self.key)
        return year + match.group(1) if match and year.isdigit() else year


class EntrySource(Protocol):
    """Where ``LazyEntries`` makes its entries from (the cache's columns: ``argmap.bib.columns``),
    and what the matcher's index reads there without making them."""

    def make(self, place: int) -> BibEntry:
        """The entry at ``place``."""

    def make_all(self) -> Iterator[BibEntry]:
        """Every entry, in file order."""

    def index_columns(self) -> tuple[list[str], list[str], list[str | None]]:
        """The key, type and first folded surname (None when it has none) of every entry, as
        lists in file order."""

    def authorless(self) -> list[int]:
        """The places, in file order, of the entries without folded surnames."""

    def plain_years(self) -> list[str | None]:
        """The year of each entry when it is four ASCII digits read from its own year field
        (``argmap.citations.matcher.entry_year`` gives the same), else None."""


def _all_made(place: int) -> BibEntry:
    raise LookupError("every entry is made")  # (never called: each key is in ``_made``)


class LazyEntries(Mapping[str, BibEntry]):
    """Entries by key, in file order, each made the first time it is looked up: a bibliography
    read from the cache's columns, of which a check reads a few thousand entries out of tens of
    thousands. Going through them all (``values``, ``items``) makes every entry at once, at C
    speed; an entry is made once, so every look-up gives the same object."""

    __slots__ = ("_at", "_keys", "_made", "_make", "_whole", "source")

    def __init__(self, keys: list[str], at: dict[str, int], source: EntrySource) -> None:
        self._keys = keys  # in file order
        # each key's place in the columns; once every entry is made, the entries themselves
        self._at: dict[str, Any] = at
        # let go once every entry is made (the columns are then of no more use)
        self.source: EntrySource | None = source
        self._make = source.make
        self._made: dict[str, BibEntry] = {}
        self._whole: dict[str, BibEntry] | None = None

    def __getitem__(self, key: str) -> BibEntry:
        entry = self._made.get(key)
        if entry is None:
            entry = self._made[key] = self._make(self._at[key])
        return entry

    def get(self, key: str, default: Any = None) -> Any:
        """The entry ``key``, or ``default``."""
        entry = self._made.get(key)
        if entry is None:
            at = self._at.get(key)
            if at is None:
                return default
            entry = self._made[key] = self._make(at)
        return entry

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def at(self, place: int) -> BibEntry:
        """The entry at ``place`` (in file order)."""
        return self[self._keys[place]]

    def is_made(self, place: int) -> bool:
        """Whether the entry at ``place`` has been made."""
        return self._keys[place] in self._made

    def whole(self) -> dict[str, BibEntry]:
        """Every entry, in file order (those not made yet are made, at C speed)."""
        if self._whole is None:
            assert self.source is not None
            whole = dict(zip(self._keys, self.source.make_all(), strict=True))
            whole.update(self._made)  # the entries made before: the same objects
            self._whole = self._made = self._at = whole
            self.source, self._make = None, _all_made
        return self._whole

    def values(self) -> ValuesView[BibEntry]:
        """Every entry, in file order."""
        return self.whole().values()

    def items(self) -> ItemsView[str, BibEntry]:
        """Every (key, entry), in file order."""
        return self.whole().items()


class _JoinedSources:
    """The sources of several files' ``LazyEntries`` as one, their places running on from file
    to file: files merged from the cache stay lazy, and the matcher indexes their columns as it
    does one file's (``merge``)."""

    __slots__ = ("_file_of", "_sources", "_starts")

    def __init__(self, sources: list[EntrySource], sizes: list[int]) -> None:
        from bisect import bisect_right
        from itertools import accumulate

        self._sources = sources
        self._starts = list(accumulate(sizes[:-1], initial=0))  # each file's first place
        # (imported here, once: an import in ``make`` cost more than the look-up it serves)
        self._file_of = bisect_right

    def make(self, place: int) -> BibEntry:
        """The entry at ``place``."""
        number = self._file_of(self._starts, place) - 1
        return self._sources[number].make(place - self._starts[number])

    def make_all(self) -> Iterator[BibEntry]:
        """Every entry, file after file."""
        from itertools import chain

        return chain.from_iterable(source.make_all() for source in self._sources)

    def index_columns(self) -> tuple[list[str], list[str], list[str | None]]:
        """The key, type and first folded surname of every entry, file after file."""
        keys: list[str] = []
        types: list[str] = []
        firsts: list[str | None] = []
        for source in self._sources:
            more_keys, more_types, more_firsts = source.index_columns()
            keys += more_keys
            types += more_types
            firsts += more_firsts
        return keys, types, firsts

    def authorless(self) -> list[int]:
        """The places of the entries without folded surnames, file after file."""
        return [
            start + place
            for source, start in zip(self._sources, self._starts, strict=True)
            for place in source.authorless()
        ]

    def plain_years(self) -> list[str | None]:
        """The plain year of every entry, file after file."""
        years: list[str | None] = []
        for source in self._sources:
            years += source.plain_years()
        return years


def _joined_lazy(parts: list[Mapping[str, BibEntry]]) -> LazyEntries | None:
    """The entries of several files read from the cache as one ``LazyEntries``, none made (those
    made already kept, the same objects); None when a file's are not all lazy, or a key is in
    two files (``merge`` then reports it, entry by entry)."""
    files: list[LazyEntries] = []
    sources: list[EntrySource] = []
    for entries in parts:
        if not isinstance(entries, LazyEntries) or entries.source is None:
            return None
        files.append(entries)
        sources.append(entries.source)
    keys = [key for entries in files for key in entries._keys]
    places = dict(zip(keys, range(len(keys)), strict=True))
    if len(places) != len(keys):
        return None
    joined = LazyEntries(keys, places, _JoinedSources(sources, list(map(len, files))))
    for entries in files:
        joined._made.update(entries._made)
    return joined


class Bibliography:
    """The entries of one or more bibliography files by key, their ``ids`` aliases, and every
    problem found while reading them."""

    __slots__ = (
        "aliases",
        "case_crossrefs",
        "crossrefs",
        "entries",
        "firsts",
        "inherits",
        "keys_apart",
        "may_link",
        "origins",
        "pandoc_refusals",
        "path",
        "paths",
        "problems",
        "strings",
    )

    def __init__(
        self,
        path: Path,
        entries: Mapping[str, BibEntry],
        problems: list[Problem] | None = None,
        origins: Mapping[str, Path] | None = None,
        aliases: dict[str, str] | None = None,
        paths: list[Path] | None = None,
        strings: dict[str, str] | None = None,
        may_link: bool = True,
        pandoc_refusals: dict[Path, tuple[int, str, str]] | None = None,
        keys_apart: bool | None = None,
    ) -> None:
        self.path = path
        # a dict, or LazyEntries for a bibliography read from the cache
        self.entries = entries
        self.problems: list[Problem] = [] if problems is None else problems
        # the file of each entry, when several files were merged (see ``merge``)
        self.origins: Mapping[str, Path] = {} if origins is None else origins
        # an ``ids`` alias -> its entry's key
        self.aliases: dict[str, str] = {} if aliases is None else aliases
        self.paths: list[Path] = [] if paths is None else paths  # every file read, when several
        # the @strings in force at the end of the file, its own and those of the files read
        # before it (BibTeX keeps them for the files after it)
        self.strings: dict[str, str] = {} if strings is None else strings
        # False once known that no entry can link (no ids, crossref, xdata, related or @set): a
        # later ``link`` of the same entries (several files merged) need not visit them again
        self.may_link = may_link
        # whether the last ``link`` met a crossref that names its parent in another case
        # (``crossref = {WHOLE-JOURNAL}`` for ``whole-journal``): found by BibTeX alone, so the
        # links are resolved again once the document's tool is known (``argmap.bib.inherit``)
        self.case_crossrefs = False
        # whether the last ``link`` met a crossref at all: BibTeX inherits a parent's fields
        # under their own names, biber and pandoc map some (a @proceedings' title is its
        # @inproceedings' booktitle), so a bibliography with crossrefs is linked again for a
        # document built with BibTeX
        self.crossrefs = False
        # whether any entry inherits at all (crossref, xdata, @set): BibTeX knows only crossref
        self.inherits = False
        # the keys of the entries given the first value of each field they repeat, for a
        # document built with BibTeX (``argmap.bib.repeats``): the matcher indexes them anew
        self.firsts: frozenset[str] = frozenset()
        # of each BibTeX file, the first opening pandoc refuses (line, type, bracket), found
        # while the file is indexed (``argmap.bib.index.pandoc_refusal``) and cached with it
        self.pandoc_refusals: dict[Path, tuple[int, str, str]] = (
            {} if pandoc_refusals is None else pandoc_refusals
        )
        # Whether no two keys are one in lower case (no BIB key-case clash can be), when known
        # without going through the keys: worked out once per file's bytes and kept in the
        # cache with them. None when not known (a merge of files, inline references).
        self.keys_apart = keys_apart

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in _BIBLIOGRAPHY_FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Bibliography):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq is

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _BIBLIOGRAPHY_FIELDS)
        return f"Bibliography({shown})"

    def path_of(self, key: str) -> Path:
        """The file that holds the entry ``key`` (or its alias)."""
        return self.origins.get(self.aliases.get(key, key), self.path)

    def __contains__(self, key: object) -> bool:
        return key in self.entries or key in self.aliases

    def get(self, key: str) -> BibEntry | None:
        """The entry with ``key`` (or with ``key`` among its ``ids``), or None."""
        entry = self.entries.get(key)
        if entry is None and key in self.aliases:
            return self.entries.get(self.aliases[key])
        return entry

    def preload(self, keys: Iterable[str]) -> None:
        """Load all fields of the entries ``keys`` names, decoding each part of the file once."""
        by_part: dict[tuple[int, int], list[BibEntry]] = {}
        for key in keys:
            entry = self.entries.get(key)
            if entry is not None and entry._rest is not None:
                store, part = entry._rest
                by_part.setdefault((id(store), part), []).append(entry)
        for entries in by_part.values():
            store, part = entries[0]._rest  # type: ignore[misc]
            decoded = store.decode(part)
            for entry in entries:
                entry._load(decoded)


# The fields in the order of the constructor (and of the repr).
_BIBLIOGRAPHY_FIELDS = (
    "path",
    "entries",
    "problems",
    "origins",
    "aliases",
    "paths",
    "strings",
    "may_link",
    "pandoc_refusals",
)


def subset(bib: Bibliography, keys: list[str]) -> tuple[list[BibEntry], list[str]]:
    """The entries for ``keys`` (an ``ids`` alias names its entry) and the entries they draw on
    (crossref parents, xdata sources, set members), in key order; keys not found."""
    chosen: dict[str, BibEntry] = {}
    missing: list[str] = []
    bib.preload(keys)
    pending = list(keys)
    while pending:
        key = pending.pop()
        entry = bib.get(key)
        if entry is None:
            if key not in missing:
                missing.append(key)
            continue
        if entry.key in chosen:
            continue
        chosen[entry.key] = entry
        own = entry.fields
        for name in ("crossref", "xdata", "entryset"):
            pending.extend(k.strip() for k in own.get(name, "").split(",") if k.strip())
    return [chosen[k] for k in sorted(chosen)], sorted(missing)


def with_crossrefs(entries: list[BibEntry], bib: Bibliography | None) -> list[BibEntry]:
    """``entries`` and, after them, the entries they crossref (found in ``bib``) not among them."""
    chosen = {entry.key: entry for entry in entries}
    pending = [entry for entry in entries]
    while pending and bib is not None:
        parent_key = pending.pop().fields.get("crossref", "").strip()
        parent = bib.get(parent_key) if parent_key else None
        if parent is not None and parent.key not in chosen:
            chosen[parent.key] = parent
            pending.append(parent)
    return list(chosen.values())


def merge(bibs: list[Bibliography]) -> Bibliography:
    """Several bibliographies as one, for lookups: the first file's entry wins a key defined in
    two files (as biber keeps it), and the later definition is reported as a duplicate key in its
    own file, naming both places. Links between entries are resolved afterwards, across all of
    them (``argmap.bib.inherit.link``)."""
    if len(bibs) == 1:
        return bibs[0]
    from argmap.base.problems import Severity
    from argmap.errors import display_path

    origins = _Origins([(bib.entries, bib.path) for bib in bibs])
    problems: list[Problem] = []
    lazy = _joined_lazy([bib.entries for bib in bibs])
    if lazy is not None:
        # files read from the cache, no key in two of them: their entries stay unmade
        for bib in bibs:
            problems.extend(bib.problems)
        return _merged(bibs, lazy, problems, origins)
    entries: dict[str, BibEntry] = {}
    for bib in bibs:
        problems.extend(bib.problems)
        if entries.keys().isdisjoint(bib.entries):
            entries.update(bib.entries)  # no key of the files before: taken whole, at C speed
            continue
        for key, entry in bib.entries.items():
            if key in entries:
                here = f"{display_path(bib.path)}:{entry.line}"
                there = f"{display_path(origins[key])}:{entries[key].line}"
                problems.append(
                    Problem(
                        "duplicate-key",
                        Severity.ERROR,
                        str(bib.path),
                        entry.line,
                        f"duplicate key '{key}' at {here} (first defined in {there}, which is "
                        "used)",
                        key,
                        "rename one of them or delete the copy",
                    )
                )
                continue
            entries[key] = entry
    return _merged(bibs, entries, problems, origins)


class _Origins(Mapping[str, Path]):
    """The file of each key of several merged files: the first that has it (its entry is the
    one used), found when asked (``Bibliography.path_of``, for a problem's place) rather than
    kept for every key of every file."""

    __slots__ = ("_files",)

    def __init__(self, files: list[tuple[Mapping[str, BibEntry], Path]]) -> None:
        self._files = files

    def __getitem__(self, key: str) -> Path:
        for entries, path in self._files:
            if key in entries:
                return path
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(key for entries, _ in self._files for key in entries))

    def __len__(self) -> int:
        return len(dict.fromkeys(key for entries, _ in self._files for key in entries))


def _merged(
    bibs: list[Bibliography],
    entries: Mapping[str, BibEntry],
    problems: list[Problem],
    origins: Mapping[str, Path],
) -> Bibliography:
    """The Bibliography of ``bibs`` merged, given its entries, problems and each key's file."""
    return Bibliography(
        path=bibs[0].path,
        entries=entries,
        problems=problems,
        origins=origins,
        paths=[b.path for b in bibs],
        may_link=any(b.may_link for b in bibs),
        pandoc_refusals={p: r for b in bibs for p, r in b.pandoc_refusals.items()},
    )
