"""Name-list fields as BibTeX reads them: which fields hold names, the names with more commas
than BibTeX allows ("Peter Slaughter, Matthew B. Jones, Lauren Palmer" written for a list), and
the line of the field that holds them."""

from __future__ import annotations

import re
from functools import lru_cache
from operator import methodcaller
from pathlib import Path
from typing import NamedTuple

from argmap.bib.names import commas_outside_braces, name_list

# The name-list fields of biblatex's data model (blx-dm.def); BibTeX's author and editor among them.
NAME_FIELDS = (
    "author",
    "editor",
    "editora",
    "editorb",
    "editorc",
    "translator",
    "annotator",
    "commentator",
    "introduction",
    "foreword",
    "afterword",
    "bookauthor",
    "holder",
    "namea",
    "nameb",
    "namec",
    "shortauthor",
    "shorteditor",
)
NAME_FIELD_SET = frozenset(NAME_FIELDS)
_COMMAS = methodcaller("count", ",")

# BibTeX reads "von Last, First" and "von Last, Jr, First": two commas at most.
MAX_COMMAS = 2


class CrowdedName(NamedTuple):
    """A name of a name list with more than two commas outside braces: its 1-based position in
    the list, as BibTeX counts it, the name as written and its commas."""

    position: int
    name: str
    commas: int
    # of them at the name's end ("J. Zlatev, T. P. Racine, C. Sinha,"): BibTeX 0.99d drops
    # those before it counts, so that name is no error to it; biber 2.18 drops the entry
    trailing: int = 0


def crowded_names(value: str) -> list[CrowdedName]:
    """The names of ``value`` (a name-list field, LaTeX kept) with more commas than BibTeX
    allows, at the positions BibTeX gives them (``names.name_list``)."""
    if not may_crowd(value):
        return []
    out: list[CrowdedName] = []
    for position, name in enumerate(name_list(value), start=1):
        commas = commas_outside_braces(name)
        if commas > MAX_COMMAS:
            end = name.rstrip(", \t\n")
            trailing = name[len(end) :].count(",")
            out.append(CrowdedName(position, " ".join(name.split()), commas, trailing))
    return out


def may_crowd(value: str) -> bool:
    """Whether a name of ``value`` (a name-list field) may have more than two commas: not when
    it has two at most, nor (the common case, told at C speed) when its parts between " and "
    outside braces (which BibTeX's split can only cut smaller) have two at most each."""
    if value.count(",") <= MAX_COMMAS:
        return False
    flat = _flat(value) if "{" in value else value
    return flat is None or max(map(_COMMAS, flat.split(" and "))) > MAX_COMMAS


_GROUP = re.compile(r"\{[^{}]*\}")


def _flat(value: str) -> str | None:
    """``value`` with each brace group outside any other replaced by one "X" (neither blank
    nor a letter of "and": no separator is made or unmade), so that what is left is the text
    BibTeX reads at brace level 0; None when its braces do not nest (then the exact reading
    decides)."""
    while "{" in value:
        value, groups = _GROUP.subn("X", value)
        if not groups:
            return None
    return None if "}" in value else value


def field_line(path: Path, entry_line: int, field: str) -> int | None:
    """The line of ``field``'s ``=`` in the entry whose ``@`` is on line ``entry_line`` of the
    .bib file ``path`` (the line the readers give a field's undefined @string), or None when
    the file does not hold that field there.

    Entries keep only their own line; a field's is looked up here, for the rare problem that
    needs it, in the text as the reader decoded it (a cached read is keyed by those bytes).
    """
    try:
        text, starts = _text_and_lines(path, path.stat().st_mtime_ns)
    except (OSError, ValueError):  # gone or changed since it was read: the entry's line stands
        return None
    if not 1 <= entry_line <= len(starts):
        return None
    begin = starts[entry_line - 1]
    head = _ENTRY_HEAD.match(text, begin)
    if head is None:
        return None
    pos, wanted = head.end(), field.lower()
    while (name := _FIELD_NAME.match(text, pos)) is not None:
        if name.group(1).lower() == wanted:
            return entry_line + text.count("\n", begin, name.end() - 1)
        pos = _value_end(text, name.end())
        if pos >= len(text) or text[pos] != ",":
            break  # the entry's end (or text the readers reported as broken)
        pos += 1
    return None


_ENTRY_HEAD = re.compile(r'[ \t]*@\w+[ \t]*[{(]\s*[^\s,{}"=@\\]+\s*,')
_FIELD_NAME = re.compile(r"\s*([\w.:+/-]+)\s*=")


def _value_end(text: str, pos: int) -> int:
    """Where a field's value starting at ``pos`` ends (its comma, or the entry's close):
    pieces in braces or quotes joined by ``#``, marks read as bibtexparser's splitter reads
    them (a backslash keeps the next character from being one)."""
    depth, quoted, end = 0, False, len(text)
    while pos < end:
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and not quoted:
                return pos
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char in ",)" and depth == 0 and not quoted:
            return pos
        pos += 1
    return end


@lru_cache(maxsize=2)
def _text_and_lines(path: Path, mtime_ns: int) -> tuple[str, list[int]]:
    """A .bib file's text as the reader decodes it, and where each of its lines starts."""
    from argmap.bib.parallel import decode_bib

    text = decode_bib(path.read_bytes())
    return text, [0, *(m.end() for m in re.finditer("\n", text))]
