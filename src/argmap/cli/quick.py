"""`argmap show`'s command line read without Typer, for the writer's everyday loop.

Importing Typer (and click) and building the application costs ~60 ms of the ~13 ms × 15
start-up budget of `show`. This reader accepts only the plainest spellings of show's own options
(``--name value`` and flags, each known value checked) and gives up — returns None, and Typer
reads the line as always — on anything else: ``--help``, ``--name=value``, an unknown or repeated
option, a value that starts with ``-`` or is empty, a number not written plainly, shell
completion. What it accepts, it reads exactly as Typer does; ``tests/cli/test_quick.py`` holds
the two to the same values for every option, and its table to show's Typer declaration.

`argmap check-citations` is read the same way, by a table and a reader of its own
(``check_arguments``, below show's), held to its Typer declaration by
``tests/cli/test_quick_check.py``.
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


# `argmap check-citations`, read the same way (a table and a reader of its own, beside show's):
# option -> parameter of run_check_citations. Repeatable options gather their values in order;
# words that are not options are the FILES argument (as click reads them between options).
CHECK_VALUED = {
    "--map": "map_path",
    "--baseline": "baseline",
    "--output-format": "fmt",
    "--format": "fmt",
}
CHECK_REPEATED = {
    "--bib": "bib_path",
    "--manuscript": "manuscripts",
    "--select": "select",
    "--ignore": "ignore",
    "--warn-as-error": "warn_as_error",
    "--exclude": "exclude",
    "--metadata-file": "metadata_files",
    "--defaults": "defaults",
    "-d": "defaults",
    "--quarto-profile": "quarto_profile",
    "--filter": "filters",
}
CHECK_FLAGS = {
    "--no-cache": "no_cache",
    "--strict": "strict",
    "--all": "show_all",
    "--unused": "unused",
}
CHECK_DEFAULTS: dict[str, Any] = {
    "files": None,
    "map_path": None,
    "bib_path": None,
    "no_cache": False,
    "manuscripts": None,
    "fmt": None,
    "select": None,
    "ignore": None,
    "warn_as_error": None,
    "strict": False,
    "exclude": None,
    "show_all": False,
    "unused": False,
    "baseline": None,
    "defaults": None,
    "metadata_files": None,
    "quarto_profile": None,
    "filters": None,
}
# Parameters whose values are paths (the others stay strings: choices and codes are judged by
# the command itself, with the same messages whichever reader read them).
_CHECK_PATHS = frozenset(
    {"files", "map_path", "bib_path", "manuscripts", "baseline", "defaults", "metadata_files"}
)


def check_arguments(args: Sequence[str], environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The keyword arguments of ``run_check_citations`` for ``argmap check-citations ARGS``, or
    None when Typer is to read the line: anything but ``--name value``, flags and file names
    (``--name=value``, ``--help``, ``--``, an unknown or repeated single option, a word that
    starts with ``-`` or is empty), or shell completion under way."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in environ):
        return None  # click's completion protocol: Typer's to answer
    values = dict(CHECK_DEFAULTS)
    given: set[str] = set()
    gathered: dict[str, list[Any]] = {}
    position = 0
    while position < len(args):
        word = args[position]
        position += 1
        if not word:
            return None
        if not word.startswith("-"):
            gathered.setdefault("files", []).append(Path(word))
            continue
        flag = CHECK_FLAGS.get(word)
        if flag is not None:
            if flag in given:
                return None
            given.add(flag)
            values[flag] = True
            continue
        name = CHECK_VALUED.get(word) or CHECK_REPEATED.get(word)
        if name is None or position >= len(args):
            return None
        raw = args[position]
        position += 1
        if not raw or raw.startswith("-"):
            return None
        value = Path(raw) if name in _CHECK_PATHS else raw
        if word in CHECK_REPEATED:
            gathered.setdefault(name, []).append(value)
            continue
        if name in given:
            return None
        given.add(name)
        values[name] = value
    values.update(gathered)
    return values
