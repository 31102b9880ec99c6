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
    chosen_lang,
    complete_claim_ids,
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
        str | None,
        typer.Option(
            "--focus",
            help="Only this claim and what hangs beneath it.",
            autocompletion=complete_claim_ids,
        ),
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
        loaded = load(src)
        language = chosen_lang(lang, loaded.map)
        part = focus_map(loaded.map, focus)
        bib = load_bib(src.bibs, not no_cache, src.shipped_bib) if spec.needs_bib else None
        # the Markdown front matter names every bibliography (pandoc takes a list)
        names = [p.name for p in src.bibs]
        if output is not None and str(output) != "-":
            import os.path

            names = [os.path.relpath(p.resolve(), output.resolve().parent) for p in src.bibs]
        text = exporter(chosen)(
            ExportContext(
                map=part,
                lang=language.value,
                bib=bib,
                bib_name=names[0],
                focus=focus,
                bib_names=tuple(names),
            )
        )
        emit(text, output, force, inputs=(*src.bibs, *loaded.files))
        if bib is not None:
            from argmap.bib.model import subset

            warn_missing(subset(bib, cited_keys(part))[1], src.bibs)
    except ArgmapError as error:
        fail(error)
