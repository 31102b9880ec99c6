"""Name-list fields as BibTeX reads them: which fields hold names, and the names with more commas
than BibTeX allows ("Peter Slaughter, Matthew B. Jones, Lauren Palmer" written for a list)."""

from __future__ import annotations

from dataclasses import dataclass
from operator import methodcaller

from argmap.bib.names import AND

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


@dataclass(frozen=True)
class CrowdedName:
    """A name of a name list with more than two commas outside braces: its 1-based position in
    the list, as BibTeX counts it, the name as written and its commas."""

    position: int
    name: str
    commas: int


def crowded_names(value: str) -> list[CrowdedName]:
    """The names of ``value`` (a name-list field, LaTeX kept) with more commas than BibTeX
    allows, split on " and " at brace depth 0 as BibTeX splits them."""
    if value.count(",") <= MAX_COMMAS:
        return []
    plain = "{" not in value
    if plain and max(map(_COMMAS, value.split(" and "))) <= MAX_COMMAS:
        # the common case, at C speed: the names split on " and " alone (which the exact split
        # can only cut smaller) have two commas at most
        return []
    out: list[CrowdedName] = []
    names = AND.split(value) if plain else _split_names(value)
    for position, name in enumerate(names, start=1):
        commas = name.count(",") if plain else _commas_outside_braces(name)
        if commas > MAX_COMMAS:
            out.append(CrowdedName(position, " ".join(name.split()), commas))
    return out


def _split_names(value: str) -> list[str]:
    """``value`` split on " and " outside braces."""
    names: list[str] = []
    depth = 0
    start = 0
    pos = 0
    while pos < len(value):
        char = value[pos]
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and char.isspace():
            match = AND.match(value, pos)
            if match is not None:
                names.append(value[start:pos])
                start = pos = match.end()
                continue
        pos += 1
    names.append(value[start:])
    return names


def _commas_outside_braces(name: str) -> int:
    """The commas of ``name`` at brace depth 0 (``{Barnes, and Noble}`` holds none)."""
    depth = 0
    commas = 0
    for char in name:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            commas += 1
    return commas
