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
    HTML = "html"
    MERMAID = "mermaid"
    DOT = "dot"
    SVG = "svg"
    PNG = "png"
    ARGDOWN = "argdown"
    AIF = "aif"
    JSON = "json"
    CSL_JSON = "csl-json"
    BIBTEX = "bibtex"


@dataclass(frozen=True)
class ExportSpec:
    """Where a format's exporter lives, whether it reads the bibliography, its usual suffix, and
    the format it is drawn from by an outside program (svg and png: dot, by Graphviz)."""

    module: str
    needs_bib: bool
    suffix: str
    drawn_from: ExportFormat | None = None


DIAGRAMS = frozenset({"dot", "mermaid", "svg", "png"})  # the formats the diagram options apply to


REGISTRY: dict[ExportFormat, ExportSpec] = {
    # outline with pandoc citations
    ExportFormat.MARKDOWN: ExportSpec("argmap.exporters.markdown", True, ".md"),
    # one self-contained page: foldable outline, linked reference list
    ExportFormat.HTML: ExportSpec("argmap.exporters.html", True, ".html"),
    # Mermaid flowchart
    ExportFormat.MERMAID: ExportSpec("argmap.exporters.mermaid", False, ".mmd"),
    # Graphviz digraph
    ExportFormat.DOT: ExportSpec("argmap.exporters.dot", False, ".dot"),
    # the Graphviz digraph drawn by Graphviz's own dot program
    ExportFormat.SVG: ExportSpec("argmap.exporters.graphviz", False, ".svg", ExportFormat.DOT),
    ExportFormat.PNG: ExportSpec("argmap.exporters.graphviz", False, ".png", ExportFormat.DOT),
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
    # diagrams only (dot, mermaid, svg, png); None: chosen by the map's size
    labels: str | None = None  # id | short | full
    evidence: bool | None = None
    depth: int | None = None
    clusters: bool = True


Exporter = Callable[[ExportContext], str]
Drawer = Callable[[ExportContext, ExportFormat], bytes]


def exporter(fmt: ExportFormat) -> Exporter:
    """The ``export`` function of ``fmt``'s module (text out)."""
    module = importlib.import_module(REGISTRY[fmt].module)
    return cast(Exporter, module.export)


def export_bytes(fmt: ExportFormat, ctx: ExportContext) -> bytes:
    """``fmt`` as the bytes of a file: the text encoded as UTF-8, or what a drawing program
    made of the text of the format it draws from."""
    spec = REGISTRY[fmt]
    if spec.drawn_from is None:
        return exporter(fmt)(ctx).encode("utf-8")
    module = importlib.import_module(spec.module)
    return cast(Drawer, module.draw)(ctx, fmt)
