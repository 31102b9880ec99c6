"""`argmap init`: a new project for a follow-up paper."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import (
    Lang,
    fail,
)
from argmap.errors import ArgmapError


def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the project.")],
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
            sys.stderr.write(f"argmap: wrote {path}\n")
        sys.stderr.write(f"argmap: next: cd {directory} && argmap show\n")
    except ArgmapError as error:
        fail(error)
