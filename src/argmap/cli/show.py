"""`argmap show`: the argument drawn as a tree, plain text or JSON."""

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
    console_width,
    fail,
    load,
    load_bib,
    map_lang,
    sources,
)
from argmap.errors import ArgmapError, ExitCode


def show(
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
    lang: LangOption = None,
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
        language = map_lang(lang, loaded.map)
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
            loaded.map, lang=language, bib=bib, focus=focus, depth=depth, evidence=not no_evidence
        )
        if fmt is ShowFormat.TEXT:
            from argmap.render.text import render_text

            sys.stdout.write(render_text(outline, language, width=console_width() or 100))
        else:
            from rich.console import Console

            from argmap.render.tree import render_tree

            Console(width=console_width(), soft_wrap=False).print(render_tree(outline, language))
        if bib is not None:
            missing = sorted({c.key for _, _, c in loaded.map.citations() if c.key not in bib})
            if missing:
                sys.stderr.write(
                    f"argmap: {len(missing)} cited key(s) not in {src.bib.name}: "
                    f"{', '.join(missing)} (run argmap check-citations for details)\n"
                )
                raise typer.Exit(int(ExitCode.PROBLEMS))
    except ArgmapError as error:
        fail(error)
