"""`argmap show`: the argument drawn as a tree, plain text or JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from argmap.cli.common import (
    BibOption,
    Lang,
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
    from argmap.map.models import ArgumentMap


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
    try:
        src = sources(map_path, bib_path)
        loaded = load(src, not no_cache)
        language = chosen_lang(lang, loaded.map)
        if focus is not None and focus not in loaded.origins:
            from argmap.map.scope import unknown_claim

            raise unknown_claim("--focus", focus, loaded.map)
        if fmt is ShowFormat.JSON:
            if lang is not None:
                raise ArgmapError(
                    "--lang: the JSON map holds every language of each claim",
                    hint="drop --lang, or use --format tree or text",
                )
            from argmap.render.json import map_to_json

            sys.stdout.write(map_to_json(_drawn_part(loaded.map, focus, depth, no_evidence)))
            return
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

            text = render_text(outline, language.value, width=console_width() or 100)
        else:
            from rich.console import Console

            from argmap.render.tree import render_tree

            console = Console(width=console_width(), soft_wrap=False)
            with console.capture() as captured:
                console.print(render_tree(outline, language.value))
            text = captured.get()
        _write(text, pager)
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


def _drawn_part(
    argmap: ArgumentMap, focus: str | None, depth: int | None, no_evidence: bool
) -> ArgumentMap:
    """The claims the tree would draw under --focus and --depth, each whole (without evidence
    under --no-evidence), relations to claims left out dropped."""
    if focus is None and depth is None and not no_evidence:
        return argmap
    from argmap.map.scope import restrict
    from argmap.render.outline import build_outline

    outline = build_outline(argmap, lang=argmap.article.language, focus=focus, depth=depth)
    part = restrict(argmap, outline.claim_ids())
    if no_evidence:
        claims = [c.model_copy(update={"evidence": []}) for c in part.claims]
        part = part.model_copy(update={"claims": claims})
    return part


def _write(text: str, pager: bool | None) -> None:
    """Print ``text``, through the pager when asked or when it is taller than the terminal."""
    from argmap.base.pager import page, should_page

    if should_page(pager, text):
        page(text, required=bool(pager))
    else:
        sys.stdout.write(text)
