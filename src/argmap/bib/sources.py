"""Reading the bibliographies a command is given: each file's format chosen by its extension or
its content (BibTeX/BibLaTeX, CSL-JSON, CSL-YAML; anything else refused with a way to convert
it), and several files merged into one Bibliography, a key defined twice reported with both
places."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path

from argmap.bib.model import Bibliography
from argmap.errors import BibliographyError


class BibFormat(StrEnum):
    """The bibliography formats argmap reads."""

    BIBTEX = "bibtex"
    CSL_JSON = "csl-json"
    CSL_YAML = "csl-yaml"


SUFFIXES = {
    ".bib": BibFormat.BIBTEX,
    ".bibtex": BibFormat.BIBTEX,
    ".biblatex": BibFormat.BIBTEX,
    ".json": BibFormat.CSL_JSON,
    ".csljson": BibFormat.CSL_JSON,
    ".yaml": BibFormat.CSL_YAML,
    ".yml": BibFormat.CSL_YAML,
}

# Formats argmap does not read, by extension and by their first bytes, with the way to convert.
_PANDOC = "pandoc {src} -f {fmt} -t csljson -o refs.json"
_UNREAD = {
    ".ris": ("RIS", _PANDOC.format(src="{name}", fmt="ris")),
    ".enw": ("EndNote", "export it from EndNote or Zotero as BibTeX or CSL JSON"),
    ".xml": ("XML (EndNote XML?)", _PANDOC.format(src="{name}", fmt="endnotexml")),
    ".nbib": ("PubMed MEDLINE", "import it into Zotero and export BibTeX or CSL JSON"),
    ".rdf": ("Zotero RDF", "export the collection from Zotero as Better BibLaTeX or CSL JSON"),
    ".pdf": ("a PDF", "export the references from Zotero (or your reference manager)"),
    ".docx": ("a Word document", "give it with --manuscript; the bibliography is a .bib"),
    ".odt": ("an OpenDocument text", "give it with --manuscript; the bibliography is a .bib"),
    ".csl": ("a CSL style", "give it with --style to argmap refs"),
}
_MAGIC = [
    (b"%PDF", ".pdf"),
    (b"PK\x03\x04", ".docx"),
    (b"TY  -", ".ris"),
    (b"<?xml", ".xml"),
    (b"<xml", ".xml"),
]


def refused_format(path: Path) -> tuple[str, str] | None:
    """What a file argmap refuses by its extension is, and how to convert it (None for a file
    it reads, or judges by its content)."""
    refused = _UNREAD.get(path.suffix.lower())
    if refused is None:
        return None
    what, how = refused
    return what, how.format(name=path.name)


def detect_format(path: Path) -> BibFormat:
    """The format of the bibliography at ``path``: by its first bytes when they say it plainly
    (a CSL-JSON file saved as ``.bib`` is still read), else by its extension."""
    suffix = path.suffix.lower()
    if suffix in _UNREAD:
        _refuse(path, suffix)
    from argmap.base.textio import open_input

    # open_input refuses what is not a regular file (a FIFO would block the read) with a message.
    with open_input(path, BibliographyError, "bibliography") as handle:
        head = handle.read(4096)
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, kind in _MAGIC:
        if body.startswith(magic):
            _refuse(path, kind)
    by_content = None
    if body[:1] in (b"[", b"{"):
        by_content = BibFormat.CSL_JSON
    elif body.startswith((b"references:", b"- id:")) or (
        body.startswith(b"---") and b"references:" in head
    ):
        by_content = BibFormat.CSL_YAML
    elif body.startswith(b"@"):
        by_content = BibFormat.BIBTEX
    if by_content is not None:
        return by_content
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if b"@" in head or not body:
        return BibFormat.BIBTEX
    from argmap.bib.cslread import FORMAT_NAMES

    raise BibliographyError(
        "not a bibliography argmap reads",
        path=path,
        line=1,
        hint=f"argmap reads {FORMAT_NAMES}; export one from Zotero, or convert with pandoc",
    )


def _refuse(path: Path, suffix: str) -> None:
    # (the CSL reader is imported for its list of formats only when a file is refused: a
    # BibTeX file, the usual case, does not need it)
    from argmap.bib.cslread import FORMAT_NAMES

    what, how = _UNREAD[suffix]
    raise BibliographyError(
        f"{what} is not a bibliography format argmap reads ({FORMAT_NAMES})",
        path=path,
        hint="convert it: " + how.format(name=path.name),
    )


def read_one(path: Path, use_cache: bool = True) -> Bibliography:
    """Read one bibliography file in whichever format it is."""
    fmt = detect_format(path)
    if fmt is BibFormat.BIBTEX:
        from argmap.bib.reader import load_bibliography

        return load_bibliography(path, use_cache=use_cache)
    return _read_csl(path, fmt)


def _read_csl(path: Path, fmt: BibFormat) -> Bibliography:
    from argmap.base.textio import read_text
    from argmap.bib import cslread

    text = read_text(path, BibliographyError, "bibliography")
    if fmt is BibFormat.CSL_JSON:
        return cslread.read_csl_json(path, text)
    return cslread.read_csl_yaml(path, text)


def read_bibliographies(paths: Sequence[Path], use_cache: bool = True) -> Bibliography:
    """Read every file of ``paths`` and merge them (one file is returned as read)."""
    if not paths:
        raise BibliographyError("no bibliography given", hint="give one with --bib")
    formats = [detect_format(path) for path in paths]
    bibtex = [path for path, fmt in zip(paths, formats, strict=True) if fmt is BibFormat.BIBTEX]
    loaded: Iterator[Bibliography] = iter(())
    if bibtex:
        from argmap.bib.reader import load_bibliographies

        # read together: the files not in the cache are indexed on all cores at once
        loaded = iter(load_bibliographies(bibtex, use_cache=use_cache))
    bibs = [
        next(loaded) if fmt is BibFormat.BIBTEX else _read_csl(path, fmt)
        for path, fmt in zip(paths, formats, strict=True)
    ]
    for path, bib in zip(paths, bibs, strict=True):
        if not bib.entries and not bib.problems and _holds_nothing(path):
            # said once, at the file, rather than left to a "missing" at every citation
            from argmap.base.problems import Problem, Severity

            bib.problems.append(
                Problem(
                    "empty-bibliography",
                    Severity.WARNING,
                    str(path),
                    None,
                    "the bibliography holds no entry",
                    suggestion="export it again from the reference manager, or name the file "
                    "that holds the entries",
                )
            )
    return bibs[0] if len(bibs) == 1 else merge(bibs)


def _holds_nothing(path: Path) -> bool:
    """Whether a bibliography that gave no entry holds no ``@`` block either (a file of
    ``@string``s, as a library keeps its journal abbreviations, is no empty file); an empty
    CSL list or ``references:`` list has no ``@`` either."""
    try:
        with path.open("rb") as handle:
            return b"@" not in handle.read()
    except OSError:
        return False


def merge(bibs: Sequence[Bibliography]) -> Bibliography:
    """Several bibliographies as one (``argmap.bib.model.merge``), links resolved across all."""
    from argmap.bib.inherit import link
    from argmap.bib.model import merge as merge_entries

    merged = merge_entries(list(bibs))
    link(merged)
    return merged
