"""The files a Quarto render is about to render, as Quarto tells a project's ``pre-render``
command: ``QUARTO_PROJECT_INPUT_FILES`` (newline-separated, relative to the project directory,
which is the command's working directory), or the file ``QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES``
names, where Quarto writes that list instead when the user sets it (quarto-dev/quarto-web,
docs/projects/scripts.qmd; quarto-cli's src/command/render/project.ts)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from argmap.errors import ManuscriptError

INPUT_FILES = "QUARTO_PROJECT_INPUT_FILES"
INPUT_LIST_FILE = "QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES"
OUTPUT_DIR = "QUARTO_PROJECT_OUTPUT_DIR"


class RenderInputs(NamedTuple):
    """The files of a Quarto render that argmap reads, those it does not (a notebook), and
    where the list was read from (the variable, or the file it names)."""

    manuscripts: list[Path]
    left_out: list[Path]
    source: str


def quarto_render_inputs(readable: tuple[str, ...]) -> RenderInputs | None:
    """The files Quarto is about to render, split into those with a suffix in ``readable``
    and the rest; None when argmap is not run by Quarto's ``pre-render``."""
    if OUTPUT_DIR not in os.environ:
        # set by Quarto for every pre-render command: without it, a list file named in the
        # user's own environment would be the last render's, not this run's
        return None
    listed = os.environ.get(INPUT_LIST_FILE)
    if listed:
        from argmap.base.textio import read_text

        text = read_text(
            Path(listed), ManuscriptError, f"Quarto's list of input files ({INPUT_LIST_FILE})"
        )
        source = listed
    else:
        given = os.environ.get(INPUT_FILES)
        if given is None:
            return None
        text, source = given, INPUT_FILES
    names = [Path(line.strip()) for line in text.splitlines() if line.strip()]
    if not names:
        return None
    manuscripts = [n for n in names if n.suffix.lower() in readable]
    left_out = [n for n in names if n.suffix.lower() not in readable]
    return RenderInputs(manuscripts, left_out, source)
