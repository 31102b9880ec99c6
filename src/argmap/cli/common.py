"""What the commands share: option types, choice enums, locating and loading the map and the
bibliography, writing output, and turning an ArgmapError into a message and an exit code."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from argmap.errors import ArgmapError, ExitCode

if TYPE_CHECKING:
    from argmap.bib.model import Bibliography
    from argmap.map.loader import LoadedMap
    from argmap.map.models import ArgumentMap
    from argmap.project.locate import Sources


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
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Neither read nor write the cache (also ARGMAP_NO_CACHE=1).",
    ),
]


def fail(error: ArgmapError) -> NoReturn:
    """Print ``error`` to stderr, one line per problem, and exit with its code."""
    for line in str(error).splitlines():
        sys.stderr.write(f"argmap: error: {line}\n")
    raise typer.Exit(int(error.exit_code))


def sources(map_path: Path | None, bib_path: Path | None) -> Sources:
    """Where this command's map and bibliography are."""
    from argmap.project.locate import resolve_sources

    return resolve_sources(map_path, bib_path, Path.cwd())


def load(src: Sources) -> LoadedMap:
    """Load and validate the map at ``src``."""
    from argmap.map.loader import load_map

    return load_map(src.map)


def load_bib(path: Path, use_cache: bool = True) -> Bibliography:
    """Read the bibliography at ``path`` (from the cache while the file is unchanged)."""
    import gc

    from argmap.bib.reader import load_bibliography

    bib = load_bibliography(path, use_cache=use_cache)
    # The entries live as long as the command and hold no cycles: keep the garbage collector
    # from scanning them at every later collection (a large file made that cost 0.3 s).
    gc.freeze()
    return bib


def console_width() -> int | None:
    """The width to render at: $COLUMNS when set, else Rich's own detection."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() else None


def has_project() -> bool:
    """Whether the working directory is inside a project with an arguments/ directory."""
    from argmap.project.locate import find_project

    return find_project(Path.cwd()) is not None


Choice = TypeVar("Choice", bound=StrEnum)


def choice(enum: type[Choice], value: str, option: str, what: str) -> Choice:
    """``value`` as a member of ``enum``, or a usage error naming the nearest choice.

    (Options whose values load on demand are typed ``str`` and checked here, so that the
    command line does not import what the choices live in.)
    """
    try:
        return enum(value)
    except ValueError:
        from argmap.base.suggest import did_you_mean

        names = [member.value for member in enum]
        raise ArgmapError(
            f"{option}: unknown {what} '{value}'",
            hint=did_you_mean(value, names) or f"use one of: {', '.join(names)}",
        ) from None


def emit(text: str, output: Path | None, force: bool) -> None:
    """Print ``text``, or write it whole to ``output`` (never over a file without ``force``)."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from argmap.base.textio import write_atomic

    write_atomic(output, text, force=force)
    sys.stderr.write(f"argmap: wrote {output}\n")


def warn_missing(keys: list[str], bib: Path) -> None:
    """Say on stderr which cited keys the bibliography lacks, then exit 1."""
    if keys:
        sys.stderr.write(
            f"argmap: {len(keys)} cited key(s) not in {bib.name}: {', '.join(keys)} "
            "(run argmap check-citations for details)\n"
        )
        raise typer.Exit(int(ExitCode.PROBLEMS))


OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")]
LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang", help="Language of claims and labels [default: the map's article.language]."
    ),
]


def map_lang(lang: Lang | None, argmap: ArgumentMap) -> str:
    """The language to label in: ``--lang`` if given, else the map's own language (English when
    argmap has no labels in it: every claim holds an English text)."""
    if lang is not None:
        return lang.value
    language = argmap.article.language
    return language if language in {member.value for member in Lang} else Lang.EN.value
