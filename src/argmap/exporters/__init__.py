"""The export registry: one format, one module, each with ``export(ctx) -> str``.

Modules are imported only when their format is asked for, so `argmap export --format dot` never
loads what `csl-json` needs.

May import: ``argmap.render`` and everything below it; never typer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from argmap.bib.model import Bibliography
    from argmap.map.models import ArgumentMap


class ExportFormat(StrEnum):
    """The formats of `argmap export`."""

    MARKDOWN = "markdown"
    MERMAID = "mermaid"
    DOT = "dot"
    ARGDOWN = "argdown"
    AIF = "aif"
    JSON = "json"
    CSL_JSON = "csl-json"
    BIBTEX = "bibtex"


@dataclass(frozen=True)
class ExportSpec:
    """Where a format's exporter lives, whether it reads the bibliography, its usual suffix."""

    module: str
    needs_bib: bool
    suffix: str


REGISTRY: dict[ExportFormat, ExportSpec] = {
    # outline with pandoc citations
    ExportFormat.MARKDOWN: ExportSpec("argmap.exporters.markdown", True, ".md"),
    # Mermaid flowchart
    ExportFormat.MERMAID: ExportSpec("argmap.exporters.mermaid", False, ".mmd"),
    # Graphviz digraph
    ExportFormat.DOT: ExportSpec("argmap.exporters.dot", False, ".dot"),
    # Argdown document
    ExportFormat.ARGDOWN: ExportSpec("argmap.exporters.argdown", False, ".argdown"),
    # Argument Interchange Format, AIFdb JSON
    ExportFormat.AIF: ExportSpec("argmap.exporters.aif", False, ".json"),
    # the validated map
    ExportFormat.JSON: ExportSpec("argmap.exporters.json", False, ".json"),
    # the references used, as CSL-JSON
    ExportFormat.CSL_JSON: ExportSpec("argmap.exporters.csl_json", True, ".json"),
    # the entries used, as BibTeX
    ExportFormat.BIBTEX: ExportSpec("argmap.exporters.bibtex", True, ".bib"),
}


@dataclass(frozen=True)
class ExportContext:
    """What an exporter gets: the (possibly focused) map, the language, the bibliography."""

    map: ArgumentMap
    lang: str
    bib: Bibliography | None = None
    bib_name: str = "refs.bib"  # how the Markdown front matter names the bibliography
    bib_names: tuple[str, ...] = ()  # all of them, when there are several
    focus: str | None = None


Exporter = Callable[[ExportContext], str]


def exporter(fmt: ExportFormat) -> Exporter:
    """The ``export`` function of ``fmt``'s module."""
    module = importlib.import_module(REGISTRY[fmt].module)
    return cast(Exporter, module.export)
