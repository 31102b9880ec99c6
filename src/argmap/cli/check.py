"""`argmap check-citations`: the map's and manuscripts' citations against the bibliography."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import (
    BibOption,
    CheckFormat,
    MapOption,
    NoCacheOption,
    console_width,
    fail,
    has_project,
    load,
    load_bib,
    sources,
)
from argmap.errors import ArgmapError, ExitCode


def check_citations(
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
    manuscripts: Annotated[
        list[Path] | None,
        typer.Option("--manuscript", help="A .txt, .md or .tex file to check (repeatable)."),
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = (
        CheckFormat.TABLE
    ),
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            help="An entry never to match in manuscripts, e.g. the manuscript's own (repeatable).",
        ),
    ] = None,
    show_ok: Annotated[
        bool, typer.Option("--all", help="List every citation, not only those with problems.")
    ] = False,
    unused: Annotated[
        bool,
        typer.Option(
            "--unused",
            help="List the bibliography's entries that nothing cites (by default only the "
            "map's own refs.bib gets them, counted in one line).",
        ),
    ] = False,
) -> None:
    """Check the map's citations and any manuscript's in-text citations against the .bib."""
    try:
        from argmap.checks.citations import (
            Report,
            check_bibliography,
            check_manuscript,
            check_map,
            scan_manuscript,
        )
        from argmap.citations.matcher import Matcher

        src = sources(map_path, bib_path)
        loaded = None if manuscripts and map_path is None and not has_project() else load(src)
        scanned = [(path, scan_manuscript(path)) for path in manuscripts or []]
        bib = load_bib(src, not no_cache)
        report = Report()
        matcher = Matcher(bib, exclude=exclude or ())
        cited: set[str] = set()
        if loaded is not None:
            cited |= check_map(loaded, matcher, report)
        for path, found in scanned:
            cited |= check_manuscript(path, matcher, report, found)
        check_bibliography(
            bib,
            cited,
            loaded.map.article.key if loaded else None,
            report,
            owned_by_map=loaded is not None and src.bib_is_default,
            list_unused=unused,
        )
        if fmt is CheckFormat.JSON:
            from argmap.render.json import report_json

            sys.stdout.write(report_json(report))
        else:
            from rich.console import Console

            from argmap.render.report import print_report

            print_report(report, Console(width=console_width()), show_ok)
        summary = report.summary()
        if summary["errors"] or (strict and summary["warnings"]):
            raise typer.Exit(int(ExitCode.PROBLEMS))
    except ArgmapError as error:
        fail(error)
