"""Finding the map and bibliography: explicit paths, the nearest project, or the shipped seed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from argmap.project.config import Config

MAP_DIR = "arguments"
BIB_FILE = "refs.bib"


class Sources(NamedTuple):
    """Where the map and the bibliographies of a command come from, and which of them are the
    shipped demo's (used only when the user named none of their own)."""

    map: Path
    bibs: tuple[Path, ...]
    shipped_map: bool = False
    shipped_bib: bool = False
    # the bibliography is the map's own refs.bib (its never-cited entries are worth a line)
    bib_is_default: bool = True

    @property
    def bib(self) -> Path:
        """The first bibliography (the one commands that read one use)."""
        return self.bibs[0]


def shipped_dir() -> Path:
    """The seed article's map and bibliography inside the installed package (or the source tree)."""
    here = Path(__file__).resolve().parents[1]  # the argmap package
    packaged = here / "data" / "seed"
    found = (packaged / MAP_DIR).is_dir()
    if found:
        return packaged
    # An editable install has no packaged copy: the source tree's top holds the originals.
    return here.parents[1]


def find_project(start: Path) -> Path | None:
    """The nearest directory from ``start`` upwards that has an ``arguments/`` directory."""
    for directory in (start, *start.parents):
        found = (directory / MAP_DIR).is_dir()
        if found:
            return directory
    return None


def _bib_near(map_path: Path) -> Path:
    """The refs.bib that belongs with a map given by path."""
    base = map_path if map_path.is_dir() else map_path.parent
    for directory in (base, base.parent):
        found = (directory / BIB_FILE).is_file()
        if found:
            return directory / BIB_FILE
    return base.parent / BIB_FILE


def resolve_sources(
    map_path: Path | None,
    bib_paths: list[Path] | tuple[Path, ...],
    cwd: Path,
    config: Config | None = None,
) -> Sources:
    """Explicit paths win; then the configuration; then the nearest project; else the shipped
    seed map (and its bibliography, when no bibliography is named either)."""
    configured_map = config.map if config is not None else None
    configured_bibs = config.bib if config is not None else ()
    bibs = _unique(tuple(bib_paths) or configured_bibs)
    chosen_map = map_path or configured_map
    if config is not None:
        from argmap.project.config import check_exists

        # a path the configuration names is reported at its line there
        if not bib_paths:
            check_exists(config, "bib", configured_bibs)
        if map_path is None and configured_map is not None:
            check_exists(config, "map", (configured_map,))
    if chosen_map is not None:
        default = _bib_near(chosen_map)
        chosen = bibs or (default,)
        return Sources(map=chosen_map, bibs=chosen, bib_is_default=_is(chosen, default))
    project = find_project(cwd if config is None else config.root) or find_project(cwd)
    if project is not None:
        default = project / BIB_FILE
        chosen = bibs or (default,)
        return Sources(map=project / MAP_DIR, bibs=chosen, bib_is_default=_is(chosen, default))
    seed = shipped_dir()
    return Sources(
        map=seed / MAP_DIR,
        bibs=bibs or (seed / BIB_FILE,),
        shipped_map=True,
        shipped_bib=not bibs,
        bib_is_default=not bibs,
    )


def _unique(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """``paths`` with a file named twice (``--bib refs.bib --bib ./refs.bib``) kept once, at its
    first place: read twice, each of its entries would be a duplicate key of itself."""
    import os

    seen: set[str] = set()
    kept: list[Path] = []
    for path in paths:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            kept.append(path)
    return tuple(kept)


def _is(bibs: tuple[Path, ...], default: Path) -> bool:
    """Whether ``bibs`` is just the map's own refs.bib."""
    try:
        return len(bibs) == 1 and bibs[0].resolve() == default.resolve()
    except (OSError, RuntimeError):  # (Python 3.11 raises RuntimeError for a symbolic-link loop)
        return False
