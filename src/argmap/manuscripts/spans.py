"""What a manuscript reader yields: spans of text to scan, cited items from reference-manager
field codes, and notices of what was not read.

Each is a ``NamedTuple``: immutable, made faster than a frozen dataclass, and its class costs
a seventh of one's to create (a check imports no ``dataclasses``).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import NamedTuple


class Syntax(StrEnum):
    """Which citation forms a span may hold."""

    PLAIN = "plain"  # author–year, pandoc @key and LaTeX \cite alike (typed or exported text)
    MARKDOWN = "markdown"  # pandoc @key, raw LaTeX \cite, author–year
    LATEX = "latex"  # \cite family and author–year; never pandoc @key (macro code uses @)
    WORD = "word"  # author–year text of a word processor


class Span(NamedTuple):
    """A piece of a manuscript to scan, with masked parts blanked and its place in the file.

    ``line`` is the 1-based line of the span's first character; where a format has no lines
    (Word, OpenDocument) ``line`` is None and ``paragraph`` numbers the paragraph from 1.
    ``running_text`` is False in a typed reference list, whose lines are not citations.
    ``bibtex`` is True in a LaTeX document built with BibTeX (``\\bibliography{}`` and no
    biblatex, or biblatex with ``backend=bibtex``), whose keys BibTeX matches regardless of case;
    ``biber`` is True in a LaTeX document built with biblatex and biber (its default backend).
    """

    source: Path
    text: str
    syntax: Syntax
    line: int | None = 1
    paragraph: int | None = None
    running_text: bool = True
    bibtex: bool = False
    biber: bool = False


class CslItem(NamedTuple):
    """One cited work as a reference manager stored it (CSL-JSON ``itemData``)."""

    title: str | None
    surnames: tuple[str, ...]
    year: str | None
    doi: str | None
    uri: str | None = None


class FieldCitation(NamedTuple):
    """A citation inserted by Zotero or Mendeley: its visible text and the items it cites."""

    source: Path
    text: str
    items: tuple[CslItem, ...]
    manager: str
    paragraph: int | None = None
    line: int | None = None


class Notice(NamedTuple):
    """Something a reader could not do, to be reported: an \\input not followed, a field code
    that could not be read."""

    kind: str
    source: Path
    line: int | None
    message: str
    hint: str | None = None
    error: bool = False
    paragraph: int | None = None
    column: int | None = None


Piece = Span | FieldCitation | Notice
