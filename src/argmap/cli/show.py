"""`argmap show`: the argument drawn as a tree, plain text or JSON."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from argmap.cli.common import (
    BibOption,
    Lang,
    MapOption,
    NoCacheOption,
    ShowFormat,
    console_width,
    fail,
    load,
    load_bib,
    sources,
    warn_missing,
)
from argmap.errors import ArgmapError


def show(
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the claims.")] = Lang.ES,
    focus: Annotated[
        str | None, typer.Option("--focus", help="Show this claim's subtree and its path.")
    ] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", min=1, help="Show this many levels of claims.")
    ] = None,
    no_evidence: Annotated[
        bool, typer.Option("--no-evidence", help="Claims only, without evidence or citations.")
    ] = False,
    fmt: Annotated[ShowFormat, typer.Option("--format", help="Output format.")] = ShowFormat.TREE,
) -> None:
    """Draw the argument from its diagnosis through to its recommendations."""
    try:
        src = sources(map_path, bib_path)
        loaded = load(src)
        if fmt is ShowFormat.JSON:
            from argmap.render.json import map_to_json

            sys.stdout.write(map_to_json(loaded.map))
            return
        if focus is not None and focus not in loaded.origins:
            from argmap.map.scope import unknown_claim

            raise unknown_claim("--focus", focus, loaded.map)
        bib = None if no_evidence else load_bib(src.bib, not no_cache)
        from argmap.render.outline import build_outline

        outline = build_outline(
            loaded.map, lang=lang.value, bib=bib, focus=focus, depth=depth, evidence=not no_evidence
        )
        if fmt is ShowFormat.TEXT:
            from argmap.render.text import render_text

            sys.stdout.write(render_text(outline, lang.value, width=console_width() or 100))
        else:
            from rich.console import Console

            from argmap.render.tree import render_tree

            Console(width=console_width(), soft_wrap=False).print(render_tree(outline, lang.value))
        if bib is not None:
            missing = sorted({c.key for _, _, c in loaded.map.citations() if c.key not in bib})
            warn_missing(missing, src.bib)
    except ArgmapError as error:
        fail(error)
