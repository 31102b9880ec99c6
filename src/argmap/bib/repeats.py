"""A key or a field given twice, read as the document's tool reads it.

A field given twice in an entry (``Title = {A}`` then ``title = {B}``; BIB205) read as the
document's tool reads it: biber 2.18 and pandoc (2.17, 3.9) print the last value, which is the
one the reader and the cache keep; BibTeX 0.99d prints the first ("I'm ignoring KEY's extra
"title" field"). For a document built with BibTeX, ``use_first_values`` reads those entries
again from their text, keeping the first value of each field, so that citations are matched
with what BibTeX prints.

A key given twice (BIB204): BibTeX 0.99d ("Repeated entry ... I'm skipping whatever remains of
this entry") and biber 2.18 ("Duplicate entry key ... skipping") print the first entry, which the
reader keeps; pandoc (2.17, 3.9) prints the last, of one file or of the files in the order
named. For documents all built with pandoc, ``use_last_copies`` reads the last copy again from
its text and gives its fields to the entry kept (tests/data/tools/duplicate).

The cache is not involved: it keeps the parse (the first copy, the last values) whatever the
tool, and the few entries concerned are read again on each run that needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from argmap.bib.model import BibEntry, Bibliography


def use_first_values(bib: Bibliography) -> list[str]:
    """Give each entry of ``bib`` that repeats a field (a ``duplicate-field`` problem) the
    first value of every field, in place; the keys of the entries changed. Run before the
    links are resolved and the matcher is made; an entry whose text cannot be found again is
    left as it is."""
    keys = {p.key for p in bib.problems if p.kind == "duplicate-field" and p.key}
    if not keys:
        return []
    from argmap.bib.parallel import parse_first_values

    texts: dict[Path, str | None] = {}
    changed: list[str] = []
    for key in sorted(keys):
        entry = bib.entries.get(key)
        if entry is None or entry.schema != "bibtex":
            continue
        block = _block_at(texts, bib.path_of(key), entry.line)
        if block is None:
            continue
        read = _entry_read(parse_first_values(block, entry.line - 1, bib.strings), key, entry.line)
        if read is None:
            continue
        adopt_fields(entry, read[1])
        changed.append(key)
    bib.firsts = frozenset(changed)
    return changed


def _block_at(texts: dict[Path, str | None], path: Path | None, line: int | None) -> str | None:
    """The text of the block that starts on 1-based ``line`` of the bibliography ``path``
    (read once per file into ``texts``), or None if the file or the line is no longer there."""
    from argmap.base.textio import read_bytes
    from argmap.bib.index import next_block_line
    from argmap.bib.parallel import PartDecodeError, decode_bib
    from argmap.errors import BibliographyError

    if path is None or line is None:
        return None
    if path not in texts:
        try:
            texts[path] = decode_bib(read_bytes(path, BibliographyError, "bibliography"))
        except (BibliographyError, PartDecodeError):
            # changed or gone since it was read a moment ago (its reading reported any fault
            # of its own): its entries keep the values read then
            texts[path] = None
    text = texts[path]
    start = None if text is None else _line_start(text, line)
    if text is None or start is None:
        return None
    return text[start : next_block_line(text, start + 1)]


def _entry_read(part: Any, key: str, line: int) -> tuple[str, dict[str, str]] | None:
    """The type and the fields, in their order, of entry ``key`` at ``line`` of a block's
    parse (``parse_part`` or ``parse_first_values``), or None if the parse has no such entry."""
    import marshal

    core, rest, _ = part
    at = next((i for i, c in enumerate(core) if c[0] == key and c[2] == line), None)
    own = None if at is None else core[at][4]
    if at is None or not isinstance(own, dict):
        return None
    order, others = marshal.loads(rest)[at]
    fields = {**own, **others}
    return str(core[at][1]).lower(), {name: fields[name] for name in order if name in fields}


def _line_start(text: str, line: int) -> int | None:
    """Where 1-based ``line`` of ``text`` starts, or None past its end."""
    import re

    if line == 1:
        return 0
    found = re.search(r"(?:[^\n]*\n){" + str(line - 1) + "}", text)
    return None if found is None else found.end()


def adopt_fields(entry: BibEntry, fields: dict[str, str]) -> None:
    """Give ``entry`` the ``fields`` read keeping first values; what was worked out from the
    last ones (surnames, the names shown, the year) is made again."""
    from argmap.bib.names import quick_surnames

    entry._fields = fields
    entry._rest = entry._core = None
    entry._year = fields.get("year")
    entry._present = None  # read from the fields themselves from now on
    entry.surnames = tuple(quick_surnames(fields.get("author") or fields.get("editor") or ""))
    entry._authors = None
    entry._display = None


def use_last_copies(bib: Bibliography) -> list[str]:
    """Give each BibTeX entry whose key is defined again (a ``duplicate-key`` problem) the
    type and fields of its last copy, in place, as pandoc prints it; the keys changed. Run
    before the links are resolved and the matcher is made; a copy whose text cannot be read
    again leaves the entry as it is."""
    lasts: dict[str, tuple[Path, int]] = {}
    for problem in bib.problems:
        if problem.kind == "duplicate-key" and problem.key and problem.line:
            lasts[problem.key] = (Path(problem.source), problem.line)
    if not lasts:
        return []
    from argmap.bib.parallel import parse_part

    texts: dict[Path, str | None] = {}
    changed: list[str] = []
    for key, (path, line) in sorted(lasts.items()):
        entry = bib.entries.get(key)
        if entry is None or entry.schema != "bibtex" or path.suffix.lower() != ".bib":
            continue
        block = _block_at(texts, path, line)
        if block is None:
            continue
        read = _entry_read(parse_part(block, line - 1, bib.strings), key, line)
        if read is None:
            continue
        entry.type = read[0]
        adopt_fields(entry, read[1])
        changed.append(key)
    # (the matcher indexes these anew, not from the cache's columns)
    bib.firsts = bib.firsts | frozenset(changed)
    return changed
