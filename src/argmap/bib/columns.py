"""A parsed .bib file as the cache keeps it: columns, not one record per entry.

A JSON head holds the small tables (entry types, lists of field names, the file's problems, its
``@string``s, the first opening pandoc refuses, the fields of the entries bibtexparser read);
raw byte records hold the columns — keys, folded surnames and core field values joined by
separators, integers as arrays, the spans of the tokenized entries in the text. A warm run
splits them at C speed and makes an entry only when it is looked up (``LazyEntries``; all of
them by C-level maps when a command goes through them), instead of decoding a JSON object per
entry; the matcher indexes the columns themselves. Everything read back is checked (lengths,
table indexes, spans within the text, unique keys, numbers of surnames) before an entry is
made; a record that fails any check means the file is indexed afresh.
"""

from __future__ import annotations

import marshal
import sys
from array import array
from collections.abc import Iterator
from itertools import accumulate, compress, repeat
from operator import and_, ge, gt, itemgetter, not_, sub
from pathlib import Path
from typing import Any

from argmap.base.problems import Problem, Severity
from argmap.bib.model import BibEntry, Bibliography, LazyEntries
from argmap.bib.store import RestStore

SEP = "\x00"  # between keys, entries' surnames and values; a text holding it is not cached
NAME_SEP = "\x01"  # between the surnames of one entry (folded: never in a surname)
_INT = "Q"  # unsigned: a negative number cannot be read back
# Integer columns, in this order, each ``n`` long.
_COLUMNS = (
    *("type", "line", "present", "layout", "part", "position", "surnames", "year", "complete"),
    "commas",  # whether a name of the author or editor list may have over two commas (BibEntry)
)


def to_records(
    bib: Bibliography, store: RestStore, strings: dict[str, str], text: str
) -> list[Any] | None:
    """The cache records of ``bib`` as just built from ``text`` (before ``link``, so every
    entry still points at its rest in ``store``), or None when it cannot be kept this way."""
    from argmap.bib.index import SpanRest

    if SEP in text:
        return None
    entries = list(bib.entries.values())
    if any(
        e._rest is None
        or e._rest[0] is not store
        or e._core is not None
        or e._inherited is not None
        or e.schema != "bibtex"
        for e in entries
    ):
        return None
    types: dict[str, int] = {}
    presents: dict[tuple[str, ...] | None, int] = {}
    # the names of an entry's core fields; None for an entry whose core fields are in the text
    layouts: dict[tuple[str, ...] | None, int] = {}
    years: dict[str | None, int] = {}  # of those entries
    owns = [e._fields for e in entries]  # the core fields: every entry was just parsed
    rests = [e._rest for e in entries]
    positions = [e._pos for e in entries]
    # One array, each column added in turn from a generator: no list of 20,000 numbers (and no
    # copy of the array) is made at any time; this runs on every cold read of a large file.
    ints = array(_INT)
    ints.extend(types.setdefault(e.type, len(types)) for e in entries)
    ints.extend(e.line for e in entries)
    ints.extend(presents.setdefault(e._present, len(presents)) for e in entries)
    ints.extend(
        layouts.setdefault(None if own is None else tuple(own), len(layouts)) for own in owns
    )
    ints.extend(r[1] for r in rests)  # type: ignore[index]
    ints.extend(positions)
    counts = array(_INT, map(len, [e.surnames for e in entries]))
    ints.extend(counts)
    ints.extend(years.setdefault(e._year, len(years)) for e in entries)
    ints.extend(e._complete for e in entries)
    ints.extend(e._commas for e in entries)
    del rests, positions
    parts: list[Any] = []
    spans = array(_INT)
    for rest in store.parts:
        if isinstance(rest, SpanRest):
            parts.append(["spans", len(rest)])
            spans.extend(rest.spans)
        else:
            pairs: Any = marshal.loads(rest) if isinstance(rest, bytes) else rest
            parts.append(["fields", [[list(o), f] for o, f in pairs]])
    problems = []
    for p in bib.problems:
        if p.source != str(bib.path) or p.column is not None or p.paragraph is not None:
            return None
        problems.append([p.kind, str(p.severity), p.line, p.message, p.key, p.suggestion])
    head = {
        "n": len(entries),
        "types": list(types),
        "presents": [None if p is None else list(p) for p in presents],
        "layouts": [None if layout is None else list(layout) for layout in layouts],
        "years": list(years),
        "problems": problems,
        "strings": strings,
        "parts": parts,
        "pandoc": list(bib.pandoc_refusals.get(bib.path, ())) or None,
        "keys_apart": keys_apart(bib),
    }
    try:
        # one column at a time, so that no more than one is held twice
        keys = SEP.join(bib.entries).encode()
        joined = SEP.join([NAME_SEP.join(e.surnames) for e in entries])
        if joined.count(NAME_SEP) != sum(counts) - (len(entries) - counts.count(0)):
            return None  # a surname holding NAME_SEP (fold never leaves one)
        names = joined.encode()
        del joined
        values = SEP.join([v for own in owns if own is not None for v in own.values()]).encode()
    except UnicodeEncodeError:  # a lone surrogate: not from a decoded file, but never cached
        return None
    return [head, keys, names, values, ints, spans]  # arrays are written as they are


def keys_apart(bib: Bibliography) -> bool:
    """Whether no two keys of ``bib`` are one in lower case, worked out now if not known (and
    kept on ``bib``): a check of a bibliography read from the cache then need not lower its
    20,000 keys (~3 ms) to find that no key-case clash (BIB) can be."""
    if bib.keys_apart is None:
        # Keys all in lower case already (as Better BibTeX, Google Scholar and many exports
        # write them) are apart, being distinct keys: told by one lowering of them all joined
        # (~0.5 ms for 20,000), where a set of 20,000 lowered keys costs ~5 ms. A merge of
        # several files asks again for all their keys.
        keys = bib.entries
        joined = "\0".join(keys)
        bib.keys_apart = joined.lower() == joined or len(set(map(str.lower, keys))) == len(keys)
    return bib.keys_apart


def from_records(records: list[Any], path: Path, text: str) -> Bibliography | None:
    """The Bibliography ``to_records`` kept (linked), or None if the records are not what it
    writes for this text."""
    try:
        return _from_records(records, path, text)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, UnicodeDecodeError):
        return None


def _strs(items: Any) -> tuple[str, ...]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError("not a list of strings")
    return tuple(map(sys.intern, items))


def _from_records(records: list[Any], path: Path, text: str) -> Bibliography | None:
    from argmap.bib.index import SpanRest
    from argmap.bib.inherit import link

    head, key_bytes, name_bytes, value_bytes, int_bytes, span_bytes = records
    if not isinstance(head, dict) or not all(
        isinstance(b, (bytes, memoryview))
        for b in (key_bytes, name_bytes, value_bytes, int_bytes, span_bytes)
    ):
        return None
    n = head["n"]
    if not isinstance(n, int) or n < 0:
        return None
    types = _strs(head["types"])
    presents = [None if p is None else _strs(p) for p in head["presents"]]
    layouts = [None if layout is None else _strs(layout) for layout in head["layouts"]]
    years = head["years"]
    if not isinstance(years, list) or not all(y is None or isinstance(y, str) for y in years):
        return None
    strings = head["strings"]
    if not isinstance(strings, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in strings.items()
    ):
        return None
    apart = head["keys_apart"]
    if not isinstance(apart, bool):
        return None
    refusal = head["pandoc"]
    if refusal is not None and not (
        isinstance(refusal, list)
        and len(refusal) == 3
        and isinstance(refusal[0], int)
        and refusal[0] >= 1
        and isinstance(refusal[1], str)
        and refusal[2] in ("{", "(")
    ):
        return None
    problems = []
    for kind, severity, line, message, key, suggestion in head["problems"]:
        if not (
            isinstance(kind, str)
            and isinstance(message, str)
            and (line is None or isinstance(line, int))
            and (key is None or isinstance(key, str))
            and (suggestion is None or isinstance(suggestion, str))
        ):
            return None
        problems.append(
            Problem(kind, Severity(severity), str(path), line, message, key, suggestion)
        )

    ints = array(_INT)
    ints.frombytes(int_bytes)
    if len(ints) != n * len(_COLUMNS):
        return None
    view = memoryview(ints)  # columns as views of the one array, not copies
    cols = [view[i * n : (i + 1) * n] for i in range(len(_COLUMNS))]
    type_col, line_col, present_col, layout_col, part_col, pos_col, count_col, year_col = cols[:8]
    complete_col, commas_col = cols[8:]
    if n and (
        max(type_col) >= len(types)
        or max(year_col) >= len(years)
        or max(complete_col) > 1
        or max(commas_col) > 1
        or max(present_col) >= len(presents)
        or max(layout_col) >= len(layouts)
        or min(line_col) < 1
    ):
        return None

    spans = array(_INT)
    spans.frombytes(span_bytes)
    size = len(text)
    if len(spans) % 2:
        return None
    # as lists, made once: iterating the array made an int of every position for each pass
    positions = spans.tolist()
    starts, ends = positions[0::2], positions[1::2]
    # (operator's functions, not int's slot wrappers such as int.__ge__: half the time in map)
    if spans and (max(ends) > size or any(map(ge, starts, ends))):
        return None
    store = RestStore()
    sizes: list[int] = []
    in_text: list[bool] = []  # whether each part's entries are read from the text
    at = 0
    for kind, kept in head["parts"]:
        if kind == "spans" and isinstance(kept, int) and 0 <= kept <= len(starts) - at:
            store.add(SpanRest(text, spans[2 * at : 2 * (at + kept)], strings))
            at += kept
            sizes.append(kept)
            in_text.append(True)
        elif kind == "fields" and isinstance(kept, list):
            rest = []
            for order, fields in kept:
                if not isinstance(fields, dict) or not all(
                    isinstance(v, str) for v in fields.values()
                ):
                    return None
                rest.append((_strs(order), fields))
            store.add(rest)
            sizes.append(len(rest))
            in_text.append(False)
        else:
            return None
    if at != len(starts):
        return None

    keys = str(key_bytes, "utf-8").split(SEP) if n else []
    # an entry's folded surnames joined by NAME_SEP, the entries' joined by SEP
    name_lists = str(name_bytes, "utf-8").split(SEP) if n else []
    widths = [0 if layout is None else len(layout) for layout in layouts]
    entry_widths = list(map(widths.__getitem__, layout_col))
    values = str(value_bytes, "utf-8").split(SEP) if sum(entry_widths) else []
    if len(keys) != n or "" in keys or len(name_lists) != n or len(values) != sum(entry_widths):
        return None
    # An entry's surnames are split when it is made; their number is checked here, before:
    # a list of k names holds k - 1 separators, an empty one none and is empty.
    counts = count_col.tolist()
    # (both sides at C speed: k - True is k - 1, 0 - False is 0)
    if list(map(str.count, name_lists, repeat(NAME_SEP))) != list(
        map(sub, counts, map(bool, counts))
    ):
        return None
    zeros = list(compress(range(n), map(not_, counts)))
    if any(name_lists[at] for at in zeros):
        return None
    if len(sizes) == 1:
        if n and max(pos_col) >= sizes[0]:
            return None
    elif any(map(ge, pos_col, map(sizes.__getitem__, part_col))):
        return None
    # An entry whose core fields are in the text must be in a part read from the text, and
    # name its non-empty fields (see BibEntry.get); the columns are walked only when the
    # tables allow otherwise.
    lazy = [layout is None for layout in layouts]
    if (
        any(lazy)
        and not all(in_text)
        and any(map(gt, map(lazy.__getitem__, layout_col), map(in_text.__getitem__, part_col)))
    ):
        return None
    no_names = [p is None for p in presents]
    if (
        any(lazy)
        and any(no_names)
        and any(
            map(
                and_,
                map(lazy.__getitem__, layout_col),
                map(no_names.__getitem__, present_col),
            )
        )
    ):
        return None
    places = dict(zip(keys, range(n), strict=True))
    if len(places) != n:
        return None  # a key twice
    source = _Columns(
        keys,
        types,
        layouts,
        values,
        list(accumulate(entry_widths, initial=0)) if values else [],
        name_lists,
        zeros,
        [(store, part) for part in range(len(sizes))],
        presents,
        years,
        cols,
    )
    bib = Bibliography(
        path=path,
        entries=LazyEntries(keys, places, source),
        problems=problems,
        strings=strings,
        pandoc_refusals={} if refusal is None else {path: (refusal[0], refusal[1], refusal[2])},
        keys_apart=apart,
    )
    # The entries are fresh (nothing inherited yet): they need visiting only when a list of
    # field names or a type of the tables allows a link.
    link(
        bib,
        scan="set" in types
        or any(
            p is None or "ids" in p or "crossref" in p or "xdata" in p or "related" in p
            for p in presents
        ),
    )
    return bib


class _Columns:
    """A cached bibliography's columns, checked, as ``LazyEntries`` makes its entries from
    them: one entry when it is looked up, or all of them at C speed; and the key, type and
    first surname of every entry, and plain years, for the matcher's index."""

    def __init__(
        self,
        keys: list[str],
        types: tuple[str, ...],
        layouts: list[tuple[str, ...] | None],
        values: list[str],
        offsets: list[int],
        name_lists: list[str],
        zeros: list[int],
        parts: list[tuple[RestStore, int]],
        presents: list[tuple[str, ...] | None],
        years: list[str | None],
        cols: list[memoryview],
    ) -> None:
        self.keys, self.types, self.layouts, self.values = keys, types, layouts, values
        self.offsets, self.name_lists, self.zeros, self.parts = offsets, name_lists, zeros, parts
        self.presents, self.years = presents, years
        # {}: an entry's own dict replaces it when its fields are first read; None: its core
        # fields are read from the text
        self.templates: list[dict[str, str] | None] = [
            None if layout is None else {} for layout in layouts
        ]
        type_col, line_col, present_col, layout_col, part_col, pos_col, count_col = cols[:7]
        year_col, complete_col, commas_col = cols[7:]
        self.type_col, self.line_col, self.present_col = type_col, line_col, present_col
        self.layout_col, self.part_col, self.pos_col = layout_col, part_col, pos_col
        self.count_col, self.year_col = count_col, year_col
        self.complete_col, self.commas_col = complete_col, commas_col

    def make(self, place: int) -> BibEntry:
        """The entry at ``place``."""
        layout = self.layout_col[place]
        names = self.name_lists[place]
        return BibEntry(
            self.keys[place],
            self.types[self.type_col[place]],
            self.line_col[place],
            self.templates[layout],
            tuple(names.split(NAME_SEP)) if self.count_col[place] else (),
            self.parts[self.part_col[place]],
            (self.layouts[layout], self.values, self.offsets[place])  # type: ignore[arg-type]
            if self.values
            else None,
            self.presents[self.present_col[place]],
            self.years[self.year_col[place]],
            bool(self.complete_col[place]),
            self.pos_col[place],
            bool(self.commas_col[place]),
        )

    def make_all(self) -> Iterator[BibEntry]:
        """Every entry, in file order, made by C-level maps over the columns (no Python loop
        over the entries)."""
        surnames = list(map(tuple, map(str.split, self.name_lists, repeat(NAME_SEP))))
        for at in self.zeros:
            surnames[at] = ()  # "" splits into ("",)
        return map(
            BibEntry,
            self.keys,
            map(self.types.__getitem__, self.type_col),
            self.line_col,
            map(self.templates.__getitem__, self.layout_col),
            surnames,
            # one (store, part) pair per part, shared by its entries
            map(self.parts.__getitem__, self.part_col),
            # (an entry read from the text has no core of its own: a file of such entries
            # makes none of these tuples)
            zip(map(self.layouts.__getitem__, self.layout_col), repeat(self.values), self.offsets)
            if self.values
            else repeat(None),
            map(self.presents.__getitem__, self.present_col),
            map(self.years.__getitem__, self.year_col),
            map(bool, self.complete_col),
            self.pos_col,
            map(bool, self.commas_col),
        )

    def index_columns(self) -> tuple[list[str], list[str], list[str | None]]:
        """The key, type and first folded surname (None for none) of every entry, as lists in
        file order, without making the entries."""
        firsts: list[str | None] = list(
            map(itemgetter(0), map(str.partition, self.name_lists, repeat(NAME_SEP)))
        )
        for at in self.zeros:
            firsts[at] = None
        return self.keys, list(map(self.types.__getitem__, self.type_col)), firsts

    def authorless(self) -> list[int]:
        """The places, in file order, of the entries without surnames (no author or editor):
        the only ones a citation by title can name."""
        return list(self.zeros)

    def plain_years(self) -> list[str | None]:
        """Each entry's year as its year field gives it, when that field is read from the text
        (not from the values column) and is four ASCII digits; else None. Made at C speed."""
        table = [
            y if y is not None and len(y) == 4 and y.isascii() and y.isdigit() else None
            for y in self.years
        ]
        years = list(map(table.__getitem__, self.year_col))
        kept = [t is not None for t in self.templates]
        if any(kept):
            # an entry whose core fields are in the values column reads its year there: the
            # matcher reads it from the entry
            for at in compress(range(len(years)), map(kept.__getitem__, self.layout_col)):
                years[at] = None
        return years
