"""The ArgmapError family, exit codes, and the one-line form every error message takes."""

from __future__ import annotations

import os
from enum import IntEnum
from functools import lru_cache
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes: 0 clean, 1 problems found, 2 usage or unreadable input."""

    OK = 0
    PROBLEMS = 1
    USAGE = 2


class ArgmapError(Exception):
    """An error the user can act on: where it is, what is wrong, and what to do."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.field = field
        self.hint = hint

    def where(self) -> str:
        """``file:line field`` for the parts that are known."""
        place = ""
        if self.path is not None:
            place = display_path(self.path)
            if self.line is not None:
                place += f":{self.line}"
        if self.field:
            place = f"{place} {self.field}" if place else self.field
        return place

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class MapError(ArgmapError):
    """The argument map could not be read or is not valid. ``kind`` names the map check that
    failed (a rule of ``argmap.base.rules``: ``unknown-target``, ``support-cycle``...), so that
    check-citations reports it as a finding with its code."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
        kind: str = "invalid-map",
    ) -> None:
        super().__init__(message, path=path, line=line, field=field, hint=hint)
        self.kind = kind


class BibliographyError(ArgmapError):
    """The BibTeX file could not be read."""


class ManuscriptError(ArgmapError):
    """A manuscript could not be read."""


class ConfigError(ArgmapError):
    """The configuration ([tool.argmap] or argmap.toml) could not be read or is not valid."""


class OutputError(ArgmapError):
    """An output file could not be written."""


def display_path(path: Path | str) -> str:
    """A path as the user would write it: relative to the working directory when inside it."""
    return _display_path(str(path), os.getcwd())


@lru_cache(maxsize=256)
def _display_path(path: str, cwd: str) -> str:
    p = Path(os.path.abspath(path))
    try:
        # The directories resolved, not the file itself: a symbolic link keeps its own name.
        return str((Path(os.path.realpath(p.parent)) / p.name).relative_to(os.path.realpath(cwd)))
    except (ValueError, OSError):
        return str(path)
