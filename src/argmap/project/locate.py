"""Finding the map and bibliography: explicit paths, the nearest project, or the shipped seed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

MAP_DIR = "arguments"
BIB_FILE = "refs.bib"


@dataclass(frozen=True)
class Sources:
    """Where the map and bibliographies of a command come from."""

    map: Path
    bib: Path  # the first bibliography, named in messages
    shipped: bool = False
    bibs: tuple[Path, ...] = field(default=())  # every bibliography, in the order given
    bib_is_default: bool = True  # the map's own refs.bib, not one named with --bib

    def bibliographies(self) -> tuple[Path, ...]:
        """Every bibliography to read."""
        return self.bibs or (self.bib,)


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
    map_path: Path | None, bib_paths: Path | Sequence[Path] | None, cwd: Path
) -> Sources:
    """Explicit paths win; else the nearest project; else the shipped seed map. Several
    bibliographies may be given; without one, the map's refs.bib is used."""
    given = (bib_paths,) if isinstance(bib_paths, Path) else tuple(bib_paths or ())
    if map_path is not None:
        map_dir, default = map_path, _bib_near(map_path)
    else:
        project = find_project(cwd)
        if project is not None:
            map_dir, default = project / MAP_DIR, project / BIB_FILE
        else:
            seed = shipped_dir()
            map_dir, default = seed / MAP_DIR, seed / BIB_FILE
    if not given:
        return Sources(
            map=map_dir,
            bib=default,
            shipped=map_path is None and find_project(cwd) is None,
            bibs=(default,),
        )
    owned = len(given) == 1 and given[0].resolve() == default.resolve()
    return Sources(map=map_dir, bib=given[0], bibs=given, bib_is_default=owned)
