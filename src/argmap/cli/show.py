"""`argmap show`: the argument drawn as a tree, plain text or JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from argmap.cli.common import (
    BibOption,
    LangOption,
    MapOption,
    NoCacheOption,
    ShowFormat,
    chosen_lang,
    complete_claim_ids,
    console_width,
    fail,
    load,
    load_bib,
    say,
    sources,
)
from argmap.errors import ArgmapError, ExitCode

if TYPE_CHECKING:
    from argmap.bib.model import Bibliography
    from argmap.map.loader import LoadedMap


def show(
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
    lang: LangOption = None,
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
) -> None:
    """Draw the argument from its diagnosis through to its recommendations."""
    try:
        src = sources(map_path, bib_path)
        loaded = load(src)
        language = chosen_lang(lang, loaded.map)
        if fmt is ShowFormat.JSON:
            from argmap.render.json import map_to_json

            sys.stdout.write(map_to_json(loaded.map))
            return
        if focus is not None and focus not in loaded.origins:
            from argmap.map.scope import unknown_claim

            raise unknown_claim("--focus", focus, loaded.map)
        bib = None if no_evidence else load_bib(src.bibs, not no_cache, src.shipped_bib)
        from argmap.render.outline import build_outline

        outline = build_outline(
            loaded.map,
            lang=language.value,
            bib=bib,
            focus=focus,
            depth=depth,
            evidence=not no_evidence,
        )
        if fmt is ShowFormat.TEXT:
            from argmap.render.text import render_text

            sys.stdout.write(render_text(outline, language.value, width=console_width() or 100))
        else:
            from rich.console import Console

            from argmap.render.tree import render_tree

            Console(width=console_width(), soft_wrap=False).print(
                render_tree(outline, language.value)
            )
        if bib is not None:
            report_unknown_keys(loaded, bib, src.bibs)
    except ArgmapError as error:
        fail(error)


def report_unknown_keys(loaded: LoadedMap, bib: Bibliography, bibs: tuple[Path, ...]) -> None:
    """The map's citations of keys the bibliography lacks, as check-citations' concise lines
    (code, file, line, the nearest keys) on stderr, then exit 1."""
    from argmap.checks.citations import Report, check_map
    from argmap.citations.matcher import Matcher
    from argmap.render.concise import problem_line

    report = Report()
    check_map(loaded, Matcher(bib), report)
    unknown = [p for p in report.problems if p.kind == "unknown-key"]
    if unknown:
        for problem in unknown:
            sys.stderr.write(f"{problem_line(problem)}\n")
        say(
            f"{len(unknown)} citation(s) of keys not in {', '.join(b.name for b in bibs)} "
            "(argmap check-citations lists every problem)"
        )
        raise typer.Exit(int(ExitCode.PROBLEMS))
