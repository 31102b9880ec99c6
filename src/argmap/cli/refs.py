"""`argmap refs`: the reference list in a citation style."""

from __future__ import annotations

import sys
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
from argmap.errors import ArgmapError, ExitCode

# The bibliography problems whose entry is not read at all (the second of a duplicate key too).
_LOSES_ENTRY = frozenset({"parse-failed", "no-key", "bad-key", "duplicate-key"})


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
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="auto (pandoc's citeproc when pandoc ≥ 2.11 is found, else citeproc-py), "
            "pandoc or citeproc-py.",
        ),
    ] = "auto",
    output: OutputOption = None,
    force: ForceOption = False,
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The reference list, formatted in a citation style (APA by default).

    Formatted by pandoc's citeproc when a pandoc 2.11 or newer is found, else by citeproc-py.
    """
    try:
        from argmap.bib.model import subset
        from argmap.bib.refs import RefsEngine, RefsFormat, format_references, render_references

        out_format = choice(RefsFormat, fmt, "--format", "format")
        chosen_engine = choice(RefsEngine, engine, "--engine", "engine")
        if output is not None and str(output) != "-":
            from argmap.base.textio import output_target

            # refused before the list is formatted (seconds for a whole library), not after
            output_target(output, force)
        src = sources(map_path, bib_path)
        bib = load_bib(src.bibs, not no_cache, src.shipped_bib)
        missing: list[str] = []
        loaded = None
        if used:
            from argmap.map.scope import cited_keys

            loaded = load(src, not no_cache)
            entries, missing = subset(bib, cited_keys(loaded.map))
        else:
            entries = list(bib.entries.values())
        # a @set's members are listed, not the set; @xdata only lends fields
        entries = [e for e in entries if e.type not in ("set", "xdata")]
        # entries the bibliography reader could not read are not in the list: say which, as
        # check-citations does, and fail
        lost = [found for found in bib.problems if found.kind in _LOSES_ENTRY]
        for bad in lost:
            hint = f" [{bad.suggestion}]" if bad.suggestion else ""
            sys.stderr.write(f"argmap: error: {bad.where()}: {bad.code} {bad.message}{hint}\n")
        if not entries and not used:
            names = ", ".join(str(b) for b in src.bibs) or "the bibliography"
            sys.stderr.write(f"argmap: error: no entry of {names} can be listed\n")
            raise typer.Exit(int(ExitCode.PROBLEMS))
        formatted = format_references(entries, style, locale, out_format, bib, chosen_engine)
        if chosen_engine is RefsEngine.AUTO and formatted.engine is RefsEngine.CITEPROC_PY:
            sys.stderr.write(
                "argmap: note: formatted by citeproc-py, as no pandoc 2.11 or newer was found; "
                "pandoc's citeproc is more faithful to the style "
                "(pip install 'argmap[pandoc]', or put pandoc on PATH)\n"
            )
        text = render_references(formatted, out_format)
        emit(text, output, force, inputs=src.bibs)
        for problem in formatted.problems:
            sys.stderr.write(f"argmap: warning: {problem}\n")
        warn_missing(missing, src.bibs, loaded, bib)
        if formatted.problems or lost:
            raise typer.Exit(int(ExitCode.PROBLEMS))
    except ArgmapError as error:
        fail(error)
