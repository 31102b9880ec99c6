"""Finding the map and bibliography: explicit paths, the nearest project, or the shipped seed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAP_DIR = "arguments"
BIB_FILE = "refs.bib"


@dataclass(frozen=True)
class Sources:
    """Where the map and bibliography of a command come from."""

    map: Path
    bib: Path
    shipped: bool = False


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


def resolve_sources(map_path: Path | None, bib_path: Path | None, cwd: Path) -> Sources:
    """Explicit paths win; else the nearest project; else the shipped seed map."""
    if map_path is not None:
        return Sources(map=map_path, bib=bib_path or _bib_near(map_path))
    project = find_project(cwd)
    if project is not None:
        return Sources(map=project / MAP_DIR, bib=bib_path or project / BIB_FILE)
    seed = shipped_dir()
    return Sources(map=seed / MAP_DIR, bib=bib_path or seed / BIB_FILE, shipped=bib_path is None)
