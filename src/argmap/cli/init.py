"""`argmap init`: a new project for a follow-up paper."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import (
    Lang,
    fail,
    say,
)
from argmap.errors import ArgmapError


def init(
    directory: Annotated[
        Path,
        typer.Argument(
            help="Where to create the project (default: here).",
            readable=False,
            show_default=False,
        ),
    ] = Path("."),
    lang: Annotated[
        Lang, typer.Option("--lang", help="The language your paper is written in.")
    ] = Lang.ES,
    force: Annotated[
        bool, typer.Option("--force", help="Replace init's files if they exist.")
    ] = False,
) -> None:
    """Start the map of a follow-up paper: arguments/ with an example and a refs.bib."""
    try:
        from argmap.project.scaffold import init_project

        for path in init_project(directory, lang.value, force):
            say(f"wrote {path}")
        import shlex

        # quoted, so that the line can be pasted into a shell whatever the name holds; no
        # "cd ." for a project made where the command runs
        here = directory.resolve() == Path.cwd().resolve()
        say(
            "next: argmap show"
            if here
            else f"next: cd {shlex.quote(str(directory))} && argmap show"
        )
    except ArgmapError as error:
        fail(error)
