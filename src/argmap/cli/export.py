"""`argmap export`: the argument in another tool's format."""

from __future__ import annotations

from typing import Annotated

import typer

from argmap.cli.common import (
    BibOption,
    ForceOption,
    LangOption,
    MapOption,
    NoCacheOption,
    OutputOption,
    choice,
    emit,
    fail,
    load,
    load_bib,
    map_lang,
    sources,
    warn_missing,
)
from argmap.errors import ArgmapError


def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="markdown, mermaid, dot, argdown, aif, json, csl-json or bibtex.",
        ),
    ],
    output: OutputOption = None,
    focus: Annotated[
        str | None, typer.Option("--focus", help="Only this claim and what hangs beneath it.")
    ] = None,
    force: ForceOption = False,
    lang: LangOption = None,
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Export the argument (or the part beneath --focus) for other tools."""
    try:
        from argmap.exporters import REGISTRY, ExportContext, ExportFormat, exporter
        from argmap.map.scope import cited_keys, focus_map

        chosen = choice(ExportFormat, fmt, "--format", "export format")
        spec = REGISTRY[chosen]
        src = sources(map_path, bib_path)
        whole = load(src).map
        part = focus_map(whole, focus)
        bib = load_bib(src.bib, not no_cache) if spec.needs_bib else None
        bib_name = src.bib.name
        if output is not None and str(output) != "-":
            import os.path

            bib_name = os.path.relpath(src.bib.resolve(), output.resolve().parent)
        text = exporter(chosen)(
            ExportContext(
                map=part, lang=map_lang(lang, whole), bib=bib, bib_name=bib_name, focus=focus
            )
        )
        emit(text, output, force)
        if bib is not None:
            from argmap.bib.model import subset

            warn_missing(subset(bib, cited_keys(part))[1], src.bib)
    except ArgmapError as error:
        fail(error)
