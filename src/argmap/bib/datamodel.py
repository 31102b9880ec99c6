"""What a bibliography entry may be: the entry types of the biblatex data model and of classic
BibTeX with their required fields, type aliases, biber's default inheritance rules, valid keys,
and argmap's own bookkeeping fields."""

from __future__ import annotations

import re

PROVENANCE_FIELD = "x-provenance"
INCOMPLETE_FIELD = "x-incomplete"

# Fields that stand for one another: biblatex's name first, then BibTeX's (biber maps the
# legacy names onto the new ones when it reads a file).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "journaltitle": ("journaltitle", "journal"),
    "journal": ("journaltitle", "journal"),
    "location": ("location", "address"),
    "address": ("location", "address"),
    "institution": ("institution", "school"),
    "school": ("institution", "school"),
    "date": ("date", "year"),
    "year": ("date", "year"),
}

# BibTeX types that biblatex reads as another type (biblatex manual §2.1.2, "Type aliases"); the
# alias also supplies the ``type`` field a @thesis or @report requires.
TYPE_ALIASES = {
    "conference": "inproceedings",
    "electronic": "online",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "techreport": "report",
    "www": "online",
}

_YEAR = "date|year"
_AUTHOR_OR_EDITOR = "author|editor"

# Required fields per type, "a|b" meaning either. A writer uses one of the two models, and an
# entry either program accepts must not be flagged, so: for a type only biblatex has, its
# constraints as biblatex declares them (tex/latex/biblatex/blx-dm.def, the "mandatory"
# \DeclareDatamodelConstraints, with ``date`` xor ``year`` for most types); for a type both have
# (btxdoc, "Entry types"), only what both require, with the legacy names as aliases (journal =
# journaltitle, year = date, school = institution, as biber maps them). So BibTeX's @book needs
# no publisher (biblatex does not ask for one), a @book with only an editor passes (BibTeX
# allows it), and @techreport needs no ``type`` (the biblatex alias supplies it).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    # types of both models: what both require
    "article": ("author", "title", "journaltitle|journal", _YEAR),
    "book": (_AUTHOR_OR_EDITOR, "title", _YEAR),
    "booklet": ("title",),
    "inbook": (_AUTHOR_OR_EDITOR, "title", _YEAR),
    "incollection": ("author", "title", "booktitle", _YEAR),
    "inproceedings": ("author", "title", "booktitle", _YEAR),
    "conference": ("author", "title", "booktitle", _YEAR),
    "manual": ("title",),
    "mastersthesis": ("author", "title", "institution|school", _YEAR),
    "phdthesis": ("author", "title", "institution|school", _YEAR),
    "misc": (),
    "proceedings": ("title", _YEAR),
    "techreport": ("author", "title", "institution|school", _YEAR),
    "unpublished": ("author", "title"),
    # biblatex only, as blx-dm.def declares them
    "bookinbook": ("author", "title", "booktitle", _YEAR),
    "suppbook": ("author", "title", "booktitle", _YEAR),
    "mvbook": ("author", "title", _YEAR),
    "collection": ("editor", "title", _YEAR),
    "mvcollection": ("editor", "title", _YEAR),
    "suppcollection": ("author", "editor", "title", "booktitle", _YEAR),
    "reference": ("editor", "title", _YEAR),
    "mvreference": ("editor", "title"),
    "inreference": ("author", "editor", "title", "booktitle", _YEAR),
    "dataset": ("title",),
    "software": ("title",),
    "online": ("title", "url|doi|eprint", _YEAR),
    "electronic": ("title", "url|doi|eprint", _YEAR),
    "www": ("title", "url|doi|eprint", _YEAR),
    "patent": ("author", "title", "number", _YEAR),
    "periodical": ("editor", "title", _YEAR),
    "suppperiodical": (_YEAR,),
    "mvproceedings": ("title",),
    "report": ("author", "title", "type", "institution|school", _YEAR),
    "thesis": ("author", "title", "type", "institution|school", _YEAR),
    "set": ("entryset",),
    "xdata": (),
    # biblatex's types that no standard style formats, and its custom types: no constraint
    **{
        name: ()
        for name in (
            "artwork audio bibnote commentary image jurisdiction legislation legal letter "
            "movie music performance review standard video customa customb customc customd "
            "custome customf"
        ).split()
    },
}

# CSL has no required variables: citeproc prints what an item has. What it cannot do without
# is a title and a date (it prints "n.d."), so those are all that is asked of a CSL item.
CSL_REQUIRED_FIELDS: tuple[str, ...] = ("title", _YEAR)


def required_fields(entry_type: str, schema: str = "bibtex") -> tuple[str, ...]:
    """The fields an entry of ``entry_type`` read from a ``schema`` file must have."""
    if schema == "csl":
        return CSL_REQUIRED_FIELDS
    return REQUIRED_FIELDS.get(entry_type, ())


# Types no one cites: data containers (@xdata) are only inherited from.
UNCITABLE_TYPES = frozenset({"xdata"})

# Fields that are never inherited (biblatex manual, appendix B "Default inheritance setup",
# the "* -> *" row; biber applies it to crossref, and xdata shares it).
NEVER_INHERITED = frozenset(
    {
        "ids",
        "crossref",
        "xref",
        "xdata",
        "entryset",
        "entrysubtype",
        "execute",
        "label",
        "options",
        "presort",
        "related",
        "relatedoptions",
        "relatedstring",
        "relatedtype",
        "shorthand",
        "shorthandintro",
        "sortkey",
    }
)

_NO_TITLE_COPIES = {"shorttitle": "", "sorttitle": "", "indextitle": "", "indexsorttitle": ""}


def _titles(prefix: str) -> dict[str, str]:
    """The title fields of a parent as the child's ``prefix`` title fields (booktitle, ...)."""
    return {
        "title": f"{prefix}title",
        "subtitle": f"{prefix}subtitle",
        "titleaddon": f"{prefix}titleaddon",
        **_NO_TITLE_COPIES,
    }


def _pairs(
    sources: str, targets: str, mapping: dict[str, str]
) -> dict[tuple[str, str], dict[str, str]]:
    """The same field mapping for every pair of source and target types."""
    return {(s, t): mapping for s in sources.split() for t in targets.split()}


# biber's default crossref inheritance, as biblatex declares it (biblatex manual, appendix B,
# table "Default inheritance setup"; \DefaultInheritance in biblatex.def): every field is
# inherited under its own name unless the child has it, except the fields of NEVER_INHERITED
# and the source/target type pairs below, whose mapped fields go to another name ("" = not
# inherited). The author of a @book is also its @inbook's bookauthor.
_INHERIT: dict[tuple[str, str], dict[str, str]] = {
    **_pairs("mvbook", "book inbook bookinbook suppbook", _titles("main")),
    **_pairs(
        "mvcollection mvreference",
        "collection reference incollection inreference suppcollection",
        _titles("main"),
    ),
    **_pairs("mvproceedings", "proceedings inproceedings", _titles("main")),
    **_pairs("book", "inbook bookinbook suppbook", _titles("book")),
    **_pairs("collection reference", "incollection inreference suppcollection", _titles("book")),
    **_pairs("proceedings", "inproceedings", _titles("book")),
    **_pairs("periodical", "article suppperiodical", _titles("journal")),
}
_ALSO = {
    ("mvbook", "inbook"): {"author": "bookauthor"},
    ("mvbook", "bookinbook"): {"author": "bookauthor"},
    ("mvbook", "suppbook"): {"author": "bookauthor"},
    ("book", "inbook"): {"author": "bookauthor"},
    ("book", "bookinbook"): {"author": "bookauthor"},
    ("book", "suppbook"): {"author": "bookauthor"},
}


def inherited_names(source_type: str, target_type: str, name: str) -> tuple[str, ...]:
    """The names under which a child of ``target_type`` inherits field ``name`` of a crossref'd
    parent of ``source_type`` (empty when it does not inherit it)."""
    if name in NEVER_INHERITED or name.startswith("x-"):
        return ()
    source = TYPE_ALIASES.get(source_type, source_type)
    target = TYPE_ALIASES.get(target_type, target_type)
    mapping = _INHERIT.get((source, target))
    first = name if mapping is None else mapping.get(name, name)
    also = _ALSO.get((source, target), {}).get(name)
    return tuple(n for n in (first, also) if n)


def known_type(entry_type: str) -> bool:
    """Whether ``entry_type`` (lower case) is a type of biblatex's data model or of BibTeX."""
    return entry_type in REQUIRED_FIELDS


VALID_KEY = re.compile(r"[^\s,{}\"#%'=]+")
# A key BibTeX 0.99d and pandoc read but biber does not: valid but for an apostrophe
# (``O'Hagan2007``, as Mendeley writes keys) or an equals sign (abnTeX2's
# ``abnt-and-type=e``: biber 2.18 stops, "syntax error: found "=", expected ","", and writes an
# empty .bbl); a warning, as only a biber build fails on it.
BIBTEX_ONLY_KEY = re.compile(r"[^\s,{}\"#%]*['=][^\s,{}\"#%]*")


DUPLICATE_KEY_HINT = "rename one of them or delete the copy"


def duplicate_key_message(key: str, first_line: int | None) -> str:
    """What every reader says of a key (or @string name) defined a second time."""
    return f"duplicate key '{key}' (first defined at line {first_line})"
