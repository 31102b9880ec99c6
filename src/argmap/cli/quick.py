"""`argmap show`'s command line read without Typer, for the writer's everyday loop.

Importing Typer (and click) and building the application costs ~60 ms of the ~13 ms × 15
start-up budget of `show`. This reader accepts only the plainest spellings of show's own options
(``--name value`` and flags, each known value checked) and gives up — returns None, and Typer
reads the line as always — on anything else: ``--help``, ``--name=value``, an unknown or repeated
option, a value that starts with ``-`` or is empty, a number not written plainly, shell
completion. What it accepts, it reads exactly as Typer does; ``tests/cli/test_quick.py`` holds
the two to the same values for every option, and its table to show's Typer declaration.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from argmap.cli.core import Lang, ShowFormat

# option -> (parameter of run_show, how its value is read); a flag's value is what it sets
VALUED = {
    "--map": "map_path",
    "--bib": "bib_path",
    "--lang": "lang",
    "--focus": "focus",
    "--depth": "depth",
    "--format": "fmt",
}
FLAGS: dict[str, tuple[str, bool]] = {
    "--no-cache": ("no_cache", True),
    "--no-evidence": ("no_evidence", True),
    "--pager": ("pager", True),
    "--no-pager": ("pager", False),
}
DEFAULTS: dict[str, Any] = {
    "map_path": None,
    "bib_path": None,
    "no_cache": False,
    "lang": None,
    "focus": None,
    "depth": None,
    "no_evidence": False,
    "fmt": ShowFormat.TREE,
    "pager": None,
}
_PLAIN_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def show_arguments(args: Sequence[str], environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The keyword arguments of ``run_show`` for ``argmap show ARGS``, or None when Typer is to
    read the line (anything but the plainest spellings, or shell completion under way)."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in environ):
        return None  # click's completion protocol: Typer's to answer
    values = dict(DEFAULTS)
    given: set[str] = set()
    bibs: list[Path] = []
    position = 0
    while position < len(args):
        option = args[position]
        position += 1
        if option in FLAGS:
            name, value = FLAGS[option]
            if name in given:
                return None
            given.add(name)
            values[name] = value
            continue
        name = VALUED.get(option, "")
        if not name or position >= len(args):
            return None
        raw = args[position]
        position += 1
        if not raw or raw.startswith("-"):
            return None
        if name == "bib_path":
            bibs.append(Path(raw))
            continue
        if name in given:
            return None
        given.add(name)
        parsed = _value(name, raw)
        if parsed is None:
            return None
        values[name] = parsed
    if bibs:
        values["bib_path"] = bibs
    return values


def _value(name: str, raw: str) -> Any:
    """An option's value as Typer converts it, or None when Typer should judge it."""
    if name == "map_path":
        return Path(raw)
    if name == "focus":
        return raw
    if name == "depth":
        return int(raw) if _PLAIN_NUMBER.fullmatch(raw) else None
    choices: type[Lang] | type[ShowFormat] = Lang if name == "lang" else ShowFormat
    return choices(raw) if raw in {member.value for member in choices} else None
