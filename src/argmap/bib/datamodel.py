"""What a bibliography entry may be: entry types with their required fields, valid keys, and
argmap's own bookkeeping fields."""

from __future__ import annotations

import re

PROVENANCE_FIELD = "x-provenance"
INCOMPLETE_FIELD = "x-incomplete"

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

VALID_KEY = re.compile(r"[^\s,{}\"#%']+")
