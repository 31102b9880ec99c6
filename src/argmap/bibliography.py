"""A typed wrapper over bibtexparser 2.x: entries with resolved fields, lazily decoded names, and
every problem of the file (failed blocks, duplicates, unresolved strings) kept as data
with its line."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from argmap.citations.names import quick_surnames
from argmap.errors import BibliographyError
from argmap.problems import Problem, Severity

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


@dataclass
class BibEntry:
    """One BibTeX entry: its key, type (lower case), line, and field values with strings resolved.

    Values keep their LaTeX; ``text`` decodes one on demand, so that decoding (the costly step)
    is done only for the entries a check or a rendering needs.
    """

    key: str
    type: str
    line: int
    fields: dict[str, str]
    field_lines: dict[str, int] = field(default_factory=dict)
    # Folded surnames of the authors (else editors), for matching; see quick_surnames.
    surnames: tuple[str, ...] = ()

    def text(self, name: str) -> str | None:
        """Field ``name`` decoded from LaTeX to Unicode, or None if the entry lacks it."""
        value = self.fields.get(name)
        return None if value is None else latex_to_text(value)

    @cached_property
    def authors(self) -> list[Person]:
        """Authors, else editors, split into name parts and decoded."""
        raw = self.fields.get("author") or self.fields.get("editor") or ""
        return split_names(raw)

    @property
    def year(self) -> str | None:
        """The year as written (``year``, else the start of ``date``), suffix letters dropped."""
        value = self.fields.get("year") or self.fields.get("date")
        if not value:
            return None
        match = re.search(r"\d{4}", value)
        return match.group(0) if match else value.strip()

    @property
    def incomplete(self) -> str | None:
        """Why the entry is known to be incomplete, if it is marked so."""
        return self.fields.get(INCOMPLETE_FIELD)

    def label(self) -> str:
        """``Author Year`` as an author–date citation would print it."""
        surnames = [p.surname for p in self.authors]
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


def latex_to_text(value: str) -> str:
    """Decode LaTeX (accents, braces, commands) to plain Unicode; cheap when there is none."""
    if "\\" not in value and "$" not in value:
        return " ".join(value.replace("{", "").replace("}", "").split())
    from pylatexenc.latex2text import LatexNodes2Text

    return " ".join(LatexNodes2Text(math_mode="verbatim").latex_to_text(value).split())


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


def _resolve_strings(
    raw_strings: dict[str, tuple[str, int]], problems: list[Problem], path: Path
) -> dict[str, str]:
    """Resolve ``@string`` definitions that refer to each other; report cycles and unknown names."""
    resolved: dict[str, str] = {}
    visiting: set[str] = set()

    def resolve(name: str) -> str:
        if name in resolved:
            return resolved[name]
        raw, line = raw_strings[name]
        if name in visiting:
            problems.append(
                Problem(
                    kind="string-cycle",
                    severity=Severity.ERROR,
                    source=str(path),
                    line=line,
                    message=f"@string '{name}' refers to itself through other strings",
                    suggestion="define it with a literal value",
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
    return resolved


def parse_bibtex(text: str) -> Any:
    """bibtexparser's ``parse_string`` with no middleware, typed as ``Any`` in this one place."""
    import bibtexparser

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    return bibtexparser.parse_string(text, parse_stack=[])  # type: ignore[attr-defined]


def load_bibliography(
    path: Path, *, use_cache: bool = True, workers: int | None = None
) -> Bibliography:
    """Read and parse ``path``; problems of the file are collected, unreadable files raise.

    The parse is cached by the file's content hash (see ``argmap.cache``); a large file is
    parsed in parts on all cores (see ``argmap.bibparse``). Either way the result is the same.
    """
    from argmap import cache
    from argmap.deps import digest
    from argmap.textio import read_bytes

    data = read_bytes(path, BibliographyError, "bibliography")
    key = digest(data)
    use_cache = use_cache and not cache.disabled()
    if use_cache:
        bib = _from_cache(cache.load("bib", key), path)
        if bib is not None:
            return bib
    from argmap.bibparse import PartDecodeError, Progress, parse_file_parts

    progress = Progress(f"parsing {path.name}")
    try:
        parts = parse_file_parts(path, data, workers, on_progress=progress)
    except PartDecodeError as exc:
        raise BibliographyError(
            f"bibliography is not valid UTF-8 (byte 0x{exc.byte:02x})",
            path=path,
            line=exc.line,
            hint="save it as UTF-8, e.g. iconv -f LATIN1 -t UTF-8",
        ) from None
    except Exception as exc:  # bibtexparser raises only on its own internal errors
        raise BibliographyError(
            f"the BibTeX parser failed: {exc}", path=path, hint="check the file's braces"
        ) from None
    finally:
        progress.close()
    del data
    bib = assemble(parts, path)
    if use_cache:
        cache.store("bib", key, _to_cache(bib))
    return bib


def bibliography_from_text(text: str, path: Path, line_offset: int = 0) -> Bibliography:
    """Parse BibTeX ``text`` (read from ``path``) into a Bibliography, in this process."""
    from argmap.bibparse import parse_part

    try:
        part = parse_part(text, line_offset)
    except Exception as exc:  # bibtexparser raises only on its own internal errors
        raise BibliographyError(
            f"the BibTeX parser failed: {exc}", path=path, hint="check the file's braces"
        ) from None
    return assemble([part], path)


def assemble(parts: list[Any], path: Path) -> Bibliography:
    """Merge parsed parts (in file order) into one Bibliography: resolve ``@string``s, find
    duplicate keys across the whole file, check keys and types, and order problems by line."""
    src = str(path)
    problems: list[Problem] = []

    def problem(
        kind: str,
        line: int | None,
        message: str,
        key: str | None = None,
        suggestion: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        problems.append(Problem(kind, severity, src, line, message, key, suggestion))

    raw_strings: dict[str, tuple[str, int]] = {}
    for _, strings, part_problems in parts:
        for kind, line, message, key, suggestion in part_problems:
            problem(kind, line, message, key, suggestion)
        for name, raw, line in strings:
            if name in raw_strings:
                problem(
                    "duplicate-string",
                    line,
                    f"duplicate key '{name}' (first defined at line {raw_strings[name][1]})",
                    name,
                    "rename one of them or delete the copy",
                )
                continue
            raw_strings[name] = (raw, line)
    strings = _resolve_strings(raw_strings, problems, path)

    entries: dict[str, BibEntry] = {}
    for part_entries, _, _ in parts:
        for key, entry_type, line, raw_fields in part_entries:
            if not key:
                problem(
                    "no-key",
                    line,
                    f"@{entry_type} entry has no key",
                    suggestion="add a citation key after the opening brace",
                )
                continue
            if key in entries:
                problem(
                    "duplicate-key",
                    line,
                    f"duplicate key '{key}' (first defined at line {entries[key].line})",
                    key,
                    "rename one of them or delete the copy",
                )
                continue
            if not _VALID_KEY.fullmatch(key):
                problem(
                    "bad-key",
                    line,
                    f"invalid entry key '{key}'",
                    key,
                    "keys may not contain spaces, commas, braces or quotes",
                )
                continue
            fields: dict[str, str] = {}
            lines: dict[str, int] = {}
            for name, raw, fline in raw_fields:
                value, unresolved = resolve_value(raw, strings)
                if unresolved:
                    problem(
                        "unresolved-string",
                        fline,
                        f"field '{name}' of '{key}' uses undefined @string "
                        f"{', '.join(repr(u) for u in unresolved)}",
                        key,
                        "define it with @string or enclose the value in braces",
                    )
                fields.setdefault(name, value)
                lines.setdefault(name, fline)
            low_type = entry_type.lower()
            if low_type not in REQUIRED_FIELDS:
                problem(
                    "unknown-type",
                    line,
                    f"unknown entry type '@{entry_type}' for '{key}'",
                    key,
                    "use a standard type such as @article, @book, @incollection or @misc",
                    Severity.WARNING,
                )
            entries[key] = BibEntry(
                key=key,
                type=low_type,
                line=line,
                fields=fields,
                field_lines=lines,
                surnames=quick_surnames(fields.get("author") or fields.get("editor") or ""),
            )
    problems.sort(key=lambda p: p.line or 0)
    return Bibliography(path=path, entries=entries, problems=problems)


def _to_cache(bib: Bibliography) -> dict[str, Any]:
    """A Bibliography as marshal-able data (paths left out: the cache is keyed by content)."""
    return {
        "entries": [
            (e.key, e.type, e.line, e.fields, e.field_lines, e.surnames)
            for e in bib.entries.values()
        ],
        "problems": [
            (p.kind, p.severity.value, p.line, p.message, p.key, p.suggestion) for p in bib.problems
        ],
    }


def _from_cache(data: Any, path: Path) -> Bibliography | None:
    """A Bibliography from cached data, or None if the data is not what ``_to_cache`` writes."""
    try:
        entries = {
            key: BibEntry(key, kind, line, fields, lines, surnames)
            for key, kind, line, fields, lines, surnames in data["entries"]
        }
        problems = [
            Problem(kind, Severity(sev), str(path), line, message, key, suggestion)
            for kind, sev, line, message, key, suggestion in data["problems"]
        ]
    except (TypeError, KeyError, ValueError):
        return None
    sample = next(iter(entries.values()), None)
    if sample is not None and not (
        isinstance(sample.key, str)
        and isinstance(sample.line, int)
        and isinstance(sample.fields, dict)
        and isinstance(sample.surnames, tuple)
    ):
        return None
    return Bibliography(path=path, entries=entries, problems=problems)


def subset(bib: Bibliography, keys: list[str]) -> tuple[list[BibEntry], list[str]]:
    """The entries for ``keys`` (and the entries they crossref), in key order; keys not found."""
    chosen: dict[str, BibEntry] = {}
    missing: list[str] = []
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
