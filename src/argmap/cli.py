"""The Typer command-line layer: parse options, call the core, render, map errors to exit codes.

This is the only module that imports typer. Everything heavy is imported inside the command that
needs it, so that start-up stays fast.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from argmap import __version__
from argmap.errors import ArgmapError, ExitCode

if TYPE_CHECKING:
    from argmap.bibliography import Bibliography
    from argmap.loader import LoadedMap
    from argmap.locate import Sources

app = typer.Typer(
    name="argmap",
    help="Argument maps of scholarly papers, and their citations checked against BibTeX.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Lang(StrEnum):
    """Languages a map is shown in."""

    ES = "es"
    EN = "en"


class CheckFormat(StrEnum):
    """Formats of `argmap check-citations`."""

    TABLE = "table"
    JSON = "json"


class ShowFormat(StrEnum):
    """Formats of `argmap show`."""

    TREE = "tree"
    TEXT = "text"
    JSON = "json"


MapOption = Annotated[
    Path | None,
    typer.Option("--map", help="Map directory or YAML file [default: nearest arguments/]."),
]
BibOption = Annotated[
    Path | None, typer.Option("--bib", help="BibTeX file [default: refs.bib beside the map].")
]


def fail(error: ArgmapError) -> NoReturn:
    """Print ``error`` to stderr, one line per problem, and exit with its code."""
    for line in str(error).splitlines():
        sys.stderr.write(f"argmap: error: {line}\n")
    raise typer.Exit(int(error.exit_code))


def sources(map_path: Path | None, bib_path: Path | None) -> Sources:
    """Where this command's map and bibliography are."""
    from argmap.locate import resolve_sources

    return resolve_sources(map_path, bib_path, Path.cwd())


def load(src: Sources) -> LoadedMap:
    """Load and validate the map at ``src``."""
    from argmap.loader import load_map

    return load_map(src.map)


def load_bib(path: Path) -> Bibliography:
    """Read the bibliography at ``path``."""
    from argmap.bibliography import load_bibliography

    return load_bibliography(path)


def console_width() -> int | None:
    """The width to render at: $COLUMNS when set, else Rich's own detection."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() else None


def version_callback(value: bool) -> None:
    """Print the version and stop."""
    if value:
        sys.stdout.write(f"argmap {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Argument maps of scholarly papers, and their citations checked against BibTeX."""


@app.command()
def show(
    map_path: MapOption = None,
    bib_path: BibOption = None,
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
            from argmap.suggest import did_you_mean

            raise ArgmapError(
                f"--focus: unknown claim id '{focus}'",
                hint=did_you_mean(focus, list(loaded.origins)) or "see argmap show",
            )
        bib = None if no_evidence else load_bib(src.bib)
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
            if missing:
                sys.stderr.write(
                    f"argmap: {len(missing)} cited key(s) not in {src.bib.name}: "
                    f"{', '.join(missing)} (run argmap check-citations for details)\n"
                )
                raise typer.Exit(int(ExitCode.PROBLEMS))
    except ArgmapError as error:
        fail(error)


@app.command("check-citations")
def check_citations(
    map_path: MapOption = None,
    bib_path: BibOption = None,
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
) -> None:
    """Check the map's citations and any manuscript's in-text citations against the .bib."""
    try:
        from argmap.checks import Report, check_bibliography, check_manuscript, check_map
        from argmap.citations.matcher import Matcher

        src = sources(map_path, bib_path)
        loaded = None if manuscripts and map_path is None and not _has_project() else load(src)
        bib = load_bib(src.bib)
        report = Report()
        matcher = Matcher(bib, exclude=exclude or ())
        cited: set[str] = set()
        if loaded is not None:
            cited |= check_map(loaded, matcher, report)
        for path in manuscripts or []:
            cited |= check_manuscript(path, matcher, report)
        check_bibliography(
            bib,
            cited,
            loaded.map.article.key if loaded else None,
            report,
            map_checked=loaded is not None,
        )
        if fmt is CheckFormat.JSON:
            from argmap.render.report import report_json

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


def _has_project() -> bool:
    """Whether the working directory is inside a project with an arguments/ directory."""
    from argmap.locate import find_project

    return find_project(Path.cwd()) is not None
