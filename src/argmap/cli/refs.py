"""`argmap refs`: the reference list in a citation style."""

from __future__ import annotations

from typing import Annotated

import typer

from argmap.cli.common import (
    BibOption,
    ForceOption,
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


def refs(
    style: Annotated[
        str,
        typer.Option(
            "--style", help="A CSL style name (apa, chicago-author-date, ...) or .csl file."
        ),
    ] = "apa",
    locale: Annotated[
        str, typer.Option("--locale", help="CSL locale: en-US, es-ES, es-MX, fr-FR, ...")
    ] = "en-US",
    used: Annotated[bool, typer.Option("--used", help="Only the entries the map cites.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text, markdown or html.")] = "text",
    output: OutputOption = None,
    force: ForceOption = False,
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The reference list, formatted in a citation style (APA by default)."""
    try:
        from argmap.bib.model import subset
        from argmap.bib.refs import RefsFormat, format_references

        out_format = choice(RefsFormat, fmt, "--format", "format")
        src = sources(map_path, bib_path)
        bib = load_bib(src.bibs, not no_cache, src.shipped_bib)
        missing: list[str] = []
        if used:
            from argmap.map.scope import cited_keys

            entries, missing = subset(bib, cited_keys(load(src).map))
        else:
            entries = list(bib.entries.values())
        # a @set's members are listed, not the set; @xdata only lends fields
        entries = [e for e in entries if e.type not in ("set", "xdata")]
        lines = format_references(entries, style, locale, out_format, bib)
        if out_format is RefsFormat.HTML:
            body = "\n".join(
                f'  <li id="ref-{e}">{line}</li>'
                for e, line in zip([e.key for e in entries], lines, strict=False)
            )
            text = f'<ol class="references">\n{body}\n</ol>\n'
        else:
            text = "\n\n".join(lines) + "\n"
        emit(text, output, force, inputs=src.bibs)
        warn_missing(missing, src.bibs)
    except ArgmapError as error:
        fail(error)
