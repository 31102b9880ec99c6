"""`argmap trace`: the chain to a claim, or what rests on a source."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from argmap.cli.common import (
    BibOption,
    LangOption,
    MapOption,
    NoCacheOption,
    ShowFormat,
    chosen_lang,
    complete_cited_keys,
    complete_claim_ids,
    console_width,
    fail,
    load,
    load_bib,
    sources,
)
from argmap.errors import ArgmapError


def trace(
    claim_id: Annotated[
        str | None,
        typer.Argument(
            help="The claim to trace from the root (e.g. R1).",
            autocompletion=complete_claim_ids,
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="A BibTeX key: how each claim it bears on stands without it (falls, "
            "weakened or contested, with the reasons left).",
            autocompletion=complete_cited_keys,
        ),
    ] = None,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", help="tree (text: the same) or json.")
    ] = ShowFormat.TREE,
    lang: LangOption = None,
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The chain from the diagnosis to a claim, or how the argument stands if a source falls."""
    try:
        if (claim_id is None) == (source is None):
            raise ArgmapError(
                "trace takes a claim id or --source KEY, not both"
                if claim_id is not None
                else "trace needs a claim id or --source KEY",
                hint="e.g. argmap trace R1, or argmap trace --source piore1984",
            )
        from argmap.map.trace import trace_claim, trace_source

        src = sources(map_path, bib_path)
        argmap = load(src, not no_cache).map
        language = chosen_lang(lang, argmap)
        bib = (
            load_bib(src.bibs, not no_cache, src.shipped_bib)
            if all(b.is_file() for b in src.bibs)
            else None
        )
        if claim_id is not None:
            chain = trace_claim(argmap, claim_id)
            if fmt is ShowFormat.JSON:
                from argmap.render.trace import claim_trace_json

                sys.stdout.write(claim_trace_json(chain, language.value, bib))
                return
            from argmap.render.trace import render_claim_trace

            rendering = render_claim_trace(chain, language.value, bib)
        else:
            assert source is not None
            dependents = trace_source(argmap, source)
            if fmt is ShowFormat.JSON:
                from argmap.render.trace import source_trace_json

                sys.stdout.write(source_trace_json(dependents, language.value))
                return
            from argmap.render.trace import render_source_trace

            rendering = render_source_trace(dependents, language.value, bib)
        from rich.console import Console

        console = Console(width=console_width(), soft_wrap=False)
        if console.is_terminal:
            console.print(rendering)
            return
        # piped or redirected: without the spaces Rich leaves where it wrapped a line, which
        # would be trailing whitespace in the file
        with console.capture() as captured:
            console.print(rendering)
        sys.stdout.write("".join(f"{line.rstrip()}\n" for line in captured.get().splitlines()))
    except ArgmapError as error:
        fail(error)
