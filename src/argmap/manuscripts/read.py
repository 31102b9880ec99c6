"""Choosing a manuscript's reader by its extension, and reading it into pieces lazily, so a
large file is scanned a paragraph at a time."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from argmap.base.textio import open_input, read_text
from argmap.errors import ManuscriptError
from argmap.manuscripts.spans import Piece

PLAIN_SUFFIXES = (".txt", ".text", ".rst", "")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".qmd", ".rmd", ".rmarkdown")
LATEX_SUFFIXES = (".tex", ".ltx", ".rnw")
OFFICE_SUFFIXES = (".docx", ".odt")
SUFFIXES = PLAIN_SUFFIXES + MARKDOWN_SUFFIXES + LATEX_SUFFIXES + OFFICE_SUFFIXES


def _read(path: Path) -> str:
    """A text manuscript (or an included LaTeX file) as UTF-8 text."""
    return read_text(path, ManuscriptError, "manuscript")


def check_readable(path: Path) -> None:
    """Refuse a manuscript whose type argmap does not read, before any work is done."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        # the formats a writer most often has instead, with the way to the one argmap reads
        saved_as = {
            ".doc": "save it as .docx (Word: File › Save As › Word Document)",
            ".rtf": "save it as .docx or .odt",
            ".pages": "export it as .docx (Pages: File › Export To › Word)",
            ".pdf": "check the source it was made from (.tex, .md, .docx), not the PDF",
            ".ipynb": "convert it first: quarto convert or jupyter nbconvert --to markdown",
        }.get(suffix)
        raise ManuscriptError(
            f"unsupported manuscript type '{path.suffix}'",
            path=path,
            hint=saved_as
            or "give a .txt, .md, .qmd, .Rmd, .tex, .Rnw, .docx or .odt file "
            "(export other formats to one of these first)",
        )


def open_manuscript(path: Path) -> Iterator[Piece]:
    """The pieces of one manuscript, by the reader its extension names. The file is read (a
    Word or OpenDocument file opened) now, so that an unreadable one fails here; its pieces
    come lazily."""
    check_readable(path)
    suffix = path.suffix.lower()
    if suffix in OFFICE_SUFFIXES:
        from argmap.manuscripts.office import read_docx, read_odt

        _check_file(path)
        pieces = read_docx(path) if suffix == ".docx" else read_odt(path)
        first = next(pieces, None)  # opens the file: a damaged one raises here
        return itertools.chain(() if first is None else (first,), pieces)
    text = _read(path)
    # The reader's module is imported when the first piece is asked for: a manuscript a helper
    # reads (``argmap.checks.ahead``) is only opened here, and its reader imported there.
    if suffix in LATEX_SUFFIXES:
        return _latex(path, text, chunks=suffix == ".rnw")
    if suffix in MARKDOWN_SUFFIXES:
        return _markdown(path, text)
    return _plain(path, text)


def _latex(path: Path, text: str, chunks: bool) -> Iterator[Piece]:
    from argmap.manuscripts.latex import read_latex  # its patterns cost 2 ms to compile

    yield from read_latex(path, text, _read, chunks=chunks)


def _markdown(path: Path, text: str) -> Iterator[Piece]:
    from argmap.manuscripts.text import read_markdown

    yield from read_markdown(path, text, _read)


def _plain(path: Path, text: str) -> Iterator[Piece]:
    from argmap.manuscripts.text import read_plain

    yield from read_plain(path, text)


def _check_file(path: Path) -> None:
    """A binary manuscript must be a regular file within the manuscript size limit before a
    library opens it (a FIFO would hang it, a huge file fill memory)."""
    open_input(path, ManuscriptError, "manuscript").close()
