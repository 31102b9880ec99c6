"""What the commands share that needs no command-line framework: the choice enums, locating
and loading the map and the bibliography, writing output, and turning an ArgmapError into a
message and an exit code. Typer is not imported here, so that ``argmap show`` read without it
(``argmap.cli.quick``) runs the same code as through it.

An exit is ``SystemExit`` with the code: Typer (click) lets it through unchanged, so a command
ends the same way whichever way it was started.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

from argmap.errors import ArgmapError, ExitCode, OutputError

if TYPE_CHECKING:
    from argmap.bib.model import Bibliography
    from argmap.map.data import ClaimLike, MapLike
    from argmap.map.loader import LoadedData, LoadedMap
    from argmap.project.config import Config
    from argmap.project.locate import Sources


class Lang(StrEnum):
    """Languages a map is shown in."""

    ES = "es"
    EN = "en"


class ShowFormat(StrEnum):
    """Formats of `argmap show`."""

    TREE = "tree"
    TEXT = "text"
    JSON = "json"


def say(message: str) -> None:
    """Print ``message`` to stderr as one ``argmap:`` line, control characters (and newlines,
    as in a file name that holds one) written as codes."""
    from argmap.base.sanitize import one_line

    sys.stderr.write(f"argmap: {one_line(message)}\n")


def fail(error: ArgmapError) -> NoReturn:
    """Print ``error`` to stderr, one line per problem (a failed map check with its rule's
    code, ``[MAP202]``), and exit with its code. Control characters and newlines in a message (a
    file name may hold them) are written as codes, so that each problem stays on one line."""
    for each in getattr(error, "errors", None) or [error]:
        suffix = ""
        kind = getattr(each, "kind", None)
        if isinstance(kind, str) and each.path is not None and Path(each.path).is_file():
            # a failed check of a map file's content (not a path that is not there)
            from argmap.base.rules import code_of

            suffix = f" [{code_of(kind)}]"
        say(f"error: {each}{suffix}")
    raise SystemExit(int(error.exit_code))


# Per run of a command (``reset`` empties them): the configuration read, the notes given.
_config: list[Config | None] = []
_noted: list[str] = []


def reset() -> None:
    """Forget what the previous command in this process read and said (tests run many)."""
    _config.clear()
    _noted.clear()
    _default_bib.clear()


def project_config() -> Config | None:
    """The configuration ([tool.argmap] or argmap.toml) that applies here, read once."""
    if not _config:
        from argmap.project.config import load_config

        _config.append(load_config(Path.cwd()))
    return _config[0]


def sources(map_path: Path | None, bib_paths: list[Path] | None) -> Sources:
    """Where this command's map and bibliographies are."""
    from argmap.project.locate import resolve_sources

    config = project_config()
    src = resolve_sources(map_path, bib_paths or [], Path.cwd(), config)
    if src.bib_is_default and not bib_paths and not (config is not None and config.bib):
        _default_bib[:] = [src.bibs[0]]
    return src


# The bibliography no one named (refs.bib beside the map), when a command uses it: a message
# that it is missing then says where argmap looked for it and how to name another.
_default_bib: list[Path] = []


def note_shipped(what: str) -> None:
    """Say on stderr, once, in one line, that the shipped demo is used and how to use one's own."""
    if not _noted:
        _noted.append(what)
        sys.stderr.write(
            f"argmap: note: no arguments/ or [tool.argmap] from here upwards: using the shipped "
            f"demo {what} (Saraví 1998); give --map PATH --bib FILE, or run argmap init DIR\n"
        )


def load(src: Sources, use_cache: bool = True) -> LoadedMap:
    """Load and validate the map at ``src`` (saying so when it is the shipped demo's); files
    unchanged since they last validated come from the cache unless ``use_cache`` is off."""
    return read(src, use_cache).as_models()


def read(src: Sources, use_cache: bool = True) -> LoadedData:
    """The map ``load`` gives, as plain objects (``argmap.map.data``): no Pydantic imported
    unless a file must be validated by it."""
    from argmap.map.loader import read_map

    if src.shipped_map:
        note_shipped("map and bibliography" if src.shipped_bib else "map")
    return read_map(src.map, use_cache=use_cache)


def load_bib(
    paths: Path | tuple[Path, ...], use_cache: bool = True, shipped: bool = False
) -> Bibliography:
    """Read the bibliographies at ``paths``, each in its format (a .bib from the cache while it
    is unchanged); several files are merged into one (see ``argmap.bib.sources``). ``shipped``: they
    are the demo's, which is said on stderr."""
    import gc

    if shipped:
        note_shipped("bibliography")
    from argmap.base.collector import gc_paused
    from argmap.bib.sources import read_bibliographies

    files = (paths,) if isinstance(paths, Path) else paths
    with gc_paused():
        try:
            bib = read_bibliographies(list(files), use_cache=use_cache)
        except ArgmapError as error:
            if error.message.endswith("not found") and list(files) == _default_bib:
                error.message = (
                    "no refs.bib beside the map (none was named, so argmap looked there)"
                )
                error.hint = (
                    "create it, give one with --bib FILE, or name it as bib under [tool.argmap]"
                )
            raise
        # The entries live as long as the command and hold no cycles: keep the garbage
        # collector from scanning them at every later collection (a large file made that cost
        # 0.3 s) — frozen before it is enabled again, or its first collection scans them all.
        gc.freeze()
    return bib


def console_width() -> int | None:
    """The width to render at: $COLUMNS when set, else Rich's own detection."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() else None


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


def emit(text: str | bytes, output: Path | None, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Print ``text``, or write it whole to ``output`` (never over a file without ``force``, and
    never, even with it, over one of the ``inputs`` the command read)."""
    if output is None or str(output) == "-":
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
        return
    from argmap.base.textio import write_atomic

    for source in inputs:
        try:
            same = os.path.samefile(output, source)
        except OSError:  # one of them does not exist (yet): not the same file
            same = False
        if same:
            raise OutputError(
                f"is {source.name}, which this command reads: argmap never writes over its input",
                path=output,
                hint="write the output to another file",
            )

    write_atomic(output, text, force=force)
    say(f"wrote {output}")


def warn_missing(
    keys: list[str],
    bibs: tuple[Path, ...],
    loaded: LoadedMap | None = None,
    bib: Bibliography | None = None,
) -> None:
    """Say on stderr which cited keys the bibliographies lack, then exit 1; with the map
    (``loaded``) and ``bib``, each citation of them first, at its file and line with the
    nearest keys, as check-citations' concise lines."""
    if keys and loaded is not None and bib is not None:
        from argmap.checks.citations import Report, check_map
        from argmap.citations.matcher import Matcher
        from argmap.render.concise import problem_line

        report = Report()
        check_map(loaded, Matcher(bib), report)
        # (the map's problems name the key in their message, "unknown key 'x'")
        wanted = {f"unknown key '{key}'" for key in keys}
        for problem in report.problems:
            if problem.kind == "unknown-key" and any(w in problem.message for w in wanted):
                sys.stderr.write(f"{problem_line(problem)}\n")
    if keys:
        names = ", ".join(b.name for b in bibs)
        cited = "1 cited key" if len(keys) == 1 else f"{len(keys)} cited keys"
        say(f"{cited} not in {names}: {', '.join(keys)} (run argmap check-citations for details)")
        raise SystemExit(int(ExitCode.PROBLEMS))


def chosen_lang(lang: Lang | None, argmap: MapLike[ClaimLike] | None = None) -> Lang:
    """The language asked for, else the configuration's, else the map's own
    (``article.language``; English for a map in a language argmap has no labels in, as every
    claim holds an English text), else Spanish (the seed's)."""
    if lang is not None:
        return lang
    config = project_config()
    if config is not None and config.lang:
        return Lang(config.lang)
    if argmap is None:
        return Lang.ES
    language = argmap.article.language
    return Lang(language) if language in {member.value for member in Lang} else Lang.EN
