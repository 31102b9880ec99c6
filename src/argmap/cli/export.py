"""`argmap export`: the argument in another tool's format."""

from __future__ import annotations

from typing import Annotated

import typer

from argmap.cli.common import (
    BibOption,
    ForceOption,
    Lang,
    LangOption,
    MapOption,
    NoCacheOption,
    OutputOption,
    choice,
    emit,
    fail,
    load,
    load_bib,
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
    lang: LangOption = Lang.ES,
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
        part = focus_map(load(src).map, focus)
        bib = load_bib(src, not no_cache) if spec.needs_bib else None
        names = [p.name for p in src.bibliographies()]
        if output is not None and str(output) != "-":
            import os.path

            names = [
                os.path.relpath(p.resolve(), output.resolve().parent) for p in src.bibliographies()
            ]
        text = exporter(chosen)(
            ExportContext(
                map=part,
                lang=lang.value,
                bib=bib,
                bib_name=names[0],
                focus=focus,
                bib_names=tuple(names),
            )
        )
        emit(text, output, force)
        if bib is not None:
            from argmap.bib.model import subset

            warn_missing(subset(bib, cited_keys(part))[1], src)
    except ArgmapError as error:
        fail(error)
