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
        typer.Option(
            "--manuscript",
            help="A manuscript to check (repeatable): .txt, .md, .qmd, .Rmd, .tex, .Rnw, .docx "
            "or .odt; LaTeX \\input and \\include are followed.",
        ),
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
) -> None:
    """Check the map's citations and any manuscript's in-text citations against the .bib."""
    try:
        from argmap.checks.citations import (
            Report,
            check_bibliography,
            check_manuscript,
            check_map,
            open_manuscripts,
        )
        from argmap.citations.matcher import Matcher

        src = sources(map_path, bib_path)
        loaded = None if manuscripts and map_path is None and not has_project() else load(src)
        opened = open_manuscripts(manuscripts or [])
        bib = load_bib(src.bib, not no_cache)
        report = Report()
        matcher = Matcher(bib, exclude=exclude or ())
        cited: set[str] = set()
        if loaded is not None:
            cited |= check_map(loaded, matcher, report)
        for path, pieces in opened:
            cited |= check_manuscript(path, matcher, report, pieces)
        check_bibliography(
            bib,
            cited,
            loaded.map.article.key if loaded else None,
            report,
            map_checked=loaded is not None,
        )
        if fmt is CheckFormat.JSON:
            from argmap.render.json import report_json_chunks

            sys.stdout.writelines(report_json_chunks(report))
        else:
            from rich.console import Console

            from argmap.render.report import print_report

            print_report(report, Console(width=console_width()), show_ok)
        summary = report.summary()
        if summary["errors"] or (strict and summary["warnings"]):
            raise typer.Exit(int(ExitCode.PROBLEMS))
    except ArgmapError as error:
        fail(error)
