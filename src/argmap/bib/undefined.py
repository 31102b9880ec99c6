"""A field that is nothing but an undefined ``@string`` (``journal = jgr`` with no
``@string{jgr = ...}``; BIB206) read as the document's tool reads it. BibTeX 0.99d and biber
2.18 read it as empty, with a warning ("string name "jgr" is undefined", "undefined macro
"jgr""): BibTeX then warns "empty journal in KEY", and an ``author = nobody`` is "to sort, need
author ... in KEY". pandoc (2.17, 3.9) prints the name itself as the value ("Jgr"), silently.

The reader and the cache keep pandoc's reading (the name); for documents built with BibTeX or
biber, ``blank_undefined`` takes those fields out of the few entries that have them, on each
such run, before the links are resolved and the matcher is made (as ``argmap.bib.repeats``
gives BibTeX its first values). A name concatenated with text (``{J. } # jgr``) leaves the
field non-empty in every reading and is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from argmap.bib.model import Bibliography

# the message of an unresolved-string problem naming one @string (argmap.bib.parallel, .index)
_ONE_NAME = re.compile(r"field '([^']+)' of .* uses undefined @string '([^']*)'$")


def blank_undefined(bib: Bibliography, defined: Collection[str] = ()) -> list[str]:
    """Take out of each entry of ``bib`` the fields whose whole value is an undefined @string,
    in place, but for the names in ``defined`` (lower case: the ``MACRO``s of the document's
    .bst, which BibTeX defines for the .bib); the keys of the entries changed."""
    fields_of: dict[str, set[str]] = {}
    for problem in bib.problems:
        if problem.kind != "unresolved-string" or problem.key is None:
            continue
        found = _ONE_NAME.match(problem.message)
        if found is None or found[2].lower() in defined:
            continue
        entry = bib.entries.get(problem.key)
        if entry is None or entry.schema != "bibtex":
            continue
        value = entry.fields.get(found[1])
        # the value is the name itself (argmap's reading) when nothing else was concatenated
        if value is not None and value.strip().lower() == found[2].strip().lower():
            fields_of.setdefault(entry.key, set()).add(found[1])
    if not fields_of:
        return []
    from argmap.bib.repeats import adopt_fields

    for key, blank in fields_of.items():
        entry = bib.entries[key]
        adopt_fields(entry, {n: v for n, v in entry.fields.items() if n not in blank})
    return sorted(fields_of)
