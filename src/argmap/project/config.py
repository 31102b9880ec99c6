"""The project's configuration: ``argmap.toml``, or ``[tool.argmap]`` in ``pyproject.toml``, found
as ruff finds its file — the nearest directory from the working directory upwards that has one
(in each directory ``argmap.toml`` first, then a ``pyproject.toml`` with a ``[tool.argmap]``
table). Parsed with the standard library's tomllib and validated key by key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from argmap.errors import ConfigError

CONFIG_FILE = "argmap.toml"
PYPROJECT = "pyproject.toml"
LANGS = ("es", "en")
# Every key, with what it holds (for messages).
KEYS: dict[str, str] = {
    "map": "a path (the map directory or one YAML file)",
    "bib": "a path or a list of paths (the bibliographies)",
    "manuscripts": "a list of paths or glob patterns",
    "lang": "one of: es, en",
    "select": "a list of rule codes or prefixes",
    "ignore": "a list of rule codes or prefixes",
    "warn-as-error": "a list of rule codes or prefixes",
    "strict": "true or false",
    "exclude": "a list of BibTeX keys",
}


class Config(NamedTuple):
    """What the configuration file says; paths resolved against its directory."""

    path: Path
    map: Path | None = None
    bib: tuple[Path, ...] = ()
    manuscripts: tuple[Path, ...] = ()
    lang: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    warn_as_error: tuple[str, ...] = ()
    strict: bool = False
    exclude: tuple[str, ...] = ()
    keys: frozenset[str] = frozenset()  # the keys the file sets

    @property
    def root(self) -> Path:
        """The directory the configuration belongs to."""
        return self.path.parent


def check_exists(config: Config, key: str, paths: tuple[Path, ...] | list[Path]) -> None:
    """Raise, at the line of ``key`` in the configuration file, for the first of ``paths`` (taken
    from that key) that names nothing: the reader's own "not found" would not say where the
    path came from."""
    import os

    from argmap.base.textio import not_found_hint

    for path in paths:
        if not os.path.lexists(path):
            try:
                text = config.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            section = "tool.argmap." if config.path.name == PYPROJECT else ""
            shown = os.path.relpath(path, config.root) if path.is_absolute() else str(path)
            raise ConfigError(
                f"'{shown}' not found (paths are relative to {config.path.name}'s directory)",
                path=config.path,
                line=_line_of(text, key),
                field=f"{section}{key}",
                hint=not_found_hint(shown, "fix the path, or give the file on the command line"),
            )


def find_config(start: Path) -> Path | None:
    """The nearest configuration file from ``start`` upwards, or None."""
    for directory in (start, *start.parents):
        own = directory / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    """Whether a pyproject.toml has a [tool.argmap] table (a cheap look before parsing); also
    when it cannot be read, or names ``tool.argmap`` in text that is not UTF-8 or not valid
    TOML, so that reading it says what is wrong instead of passing it over in silence."""
    try:
        data = path.read_bytes()
    except OSError:
        return True
    if _TOOL_TABLE.search(data) is not None:
        return True
    # UTF-16 (as Windows editors save it): the same look, at the text the bytes encode
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _TOOL_TABLE.search(data.decode(codec, "replace").encode()) is not None
    return False


# "[tool.argmap]", "[tool.argmap.x]", and a table header left unclosed ("[tool.argmap")
_TOOL_TABLE = re.compile(rb"^\s*\[\s*tool\s*\.\s*argmap\b", re.MULTILINE)


def load_config(start: Path) -> Config | None:
    """The configuration that applies in ``start``, or None when there is none."""
    path = find_config(start)
    return None if path is None else read_config(path)


def read_config(path: Path) -> Config:
    """Read and validate one configuration file."""
    import tomllib  # here, not at the top: most runs find no configuration to read

    from argmap.base.textio import read_text

    # as every input is read: a FIFO, a directory, UTF-16 or bytes that are not UTF-8 are
    # named as such, with the line
    text = read_text(path, ConfigError, "configuration")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        if line is None and "end of document" in str(error):
            line = max(len(text.splitlines()), 1)
        raise ConfigError(
            f"not valid TOML: {re.sub(r' [(]at (line|end).*', '', str(error))}",
            path=path,
            line=line,
            hint="see https://toml.io for the syntax",
        ) from None
    section = "tool.argmap"
    tool = data.get("tool", {})
    if path.name == PYPROJECT or set(data) == {"tool"}:
        table = tool.get("argmap", {}) if isinstance(tool, dict) else None
    else:
        table, section = data, ""
    if not isinstance(table, dict):
        raise ConfigError(
            "tool.argmap must be a table",
            path=path,
            line=_line_of(text, "tool") or _line_of(text, "argmap"),
            hint="write the keys under a [tool.argmap] line",
        )
    return _validate(path, text, section, table)


def _line_of(text: str, key: str) -> int | None:
    """The line where ``key`` is set (the first such line), for messages."""
    pattern = re.compile(rf"""^\s*(?:"{re.escape(key)}"|'{re.escape(key)}'|{re.escape(key)})\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _validate(path: Path, text: str, section: str, table: dict[str, Any]) -> Config:
    """Each key known and of the right type; paths made absolute."""
    from argmap.base.suggest import did_you_mean

    def error(key: str, message: str, hint: str) -> ConfigError:
        where = f"{section}.{key}" if section else key
        return ConfigError(message, path=path, line=_line_of(text, key), field=where, hint=hint)

    for key in table:
        if key not in KEYS:
            raise error(
                key,
                f"unknown key '{key}'",
                did_you_mean(key, list(KEYS)) or f"the keys are: {', '.join(KEYS)}",
            )

    def strings(key: str, one_allowed: bool = False) -> tuple[str, ...]:
        value = table.get(key, [])
        if one_allowed and isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise error(key, f"'{key}' must be {KEYS[key]}", f'e.g. {key} = ["..."]')
        return tuple(value)

    base = path.parent
    map_value = table.get("map")
    if map_value is not None and not isinstance(map_value, str):
        raise error("map", "'map' must be a path", 'e.g. map = "arguments"')
    lang = table.get("lang")
    if lang is not None and lang not in LANGS:
        raise error("lang", f"unknown language {lang!r}", "use one of: es, en")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise error("strict", "'strict' must be true or false", "e.g. strict = true")
    manuscripts: list[Path] = []
    for pattern in strings("manuscripts", one_allowed=True):
        manuscripts.extend(
            _expand(base, pattern, lambda m: error("manuscripts", m, "fix the path"))
        )
    from argmap.base.rules import unknown_patterns

    codes = {key: strings(key) for key in ("select", "ignore", "warn-as-error")}
    for key, patterns in codes.items():
        split = [part.upper() for value in patterns for part in re.split(r"[,\s]+", value) if part]
        unknown = unknown_patterns(split)
        if unknown:
            raise error(
                key,
                f"no rule has the code or prefix {', '.join(map(repr, unknown))}",
                "argmap rules lists the codes",
            )
    return Config(
        path=path,
        map=base / map_value if map_value is not None else None,
        bib=tuple(base / b for b in strings("bib", one_allowed=True)),
        manuscripts=tuple(manuscripts),
        lang=lang,
        select=codes["select"],
        ignore=codes["ignore"],
        warn_as_error=codes["warn-as-error"],
        strict=strict,
        exclude=strings("exclude"),
        keys=frozenset(table),
    )


def _expand(base: Path, pattern: str, error: Any) -> list[Path]:
    """A manuscript path, or the files a glob pattern matches (sorted); a pattern that matches
    nothing is an error, not silence."""
    if not any(ch in pattern for ch in "*?["):
        return [base / pattern]
    found = sorted(p for p in base.glob(pattern) if p.is_file())
    if not found:
        raise error(f"the pattern '{pattern}' matches no file")
    return found
