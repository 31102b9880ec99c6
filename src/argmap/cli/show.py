"""`argmap show`: the argument drawn as a tree, plain text or JSON (its options; the work is
``argmap.cli.drawing.run_show``)."""

from __future__ import annotations

from typing import Annotated

import typer

from argmap.cli.common import (
    BibOption,
    Lang,
    MapOption,
    NoCacheOption,
    ShowFormat,
    complete_claim_ids,
)


def show(
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            help="Language of claims and labels; not with --format json (it holds every one).",
            show_default="the configuration's lang, else the map's article.language",
        ),
    ] = None,
    focus: Annotated[
        str | None,
        typer.Option(
            "--focus",
            help="Show this claim's subtree and its path.",
            autocompletion=complete_claim_ids,
        ),
    ] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", min=1, help="Show this many levels of claims.")
    ] = None,
    no_evidence: Annotated[
        bool, typer.Option("--no-evidence", help="Claims only, without evidence or citations.")
    ] = False,
    fmt: Annotated[ShowFormat, typer.Option("--format", help="Output format.")] = ShowFormat.TREE,
    pager: Annotated[
        bool | None,
        typer.Option(
            "--pager/--no-pager",
            help="Page the output through less or $PAGER.",
            show_default="when taller than the terminal; never when piped",
        ),
    ] = None,
) -> None:
    """Draw the argument from its diagnosis through to its recommendations."""
    from argmap.cli.drawing import run_show

    run_show(
        map_path=map_path,
        bib_path=bib_path,
        no_cache=no_cache,
        lang=lang,
        focus=focus,
        depth=depth,
        no_evidence=no_evidence,
        fmt=fmt,
        pager=pager,
    )
