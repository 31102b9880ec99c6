"""BibTeX values resolved: enclosing braces and quotes removed, ``#`` concatenation joined,
``@string`` macros (which may refer to each other) and month names replaced."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MONTHS = {
    m: str(i)
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def _split_concatenation(raw: str) -> list[str]:
    """Split a raw BibTeX value on ``#`` outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(raw):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i])
            start = i + 1
    parts.append(raw[start:])
    return [p.strip() for p in parts]


def resolve_value(raw: str, strings: dict[str, str]) -> tuple[str, list[str]]:
    """A raw value with its enclosing removed and ``@string`` names replaced; names not found."""
    raw = raw.strip()
    if "#" not in raw and raw:
        # The common case, decided without walking the value: one braced, quoted or bare part.
        if (raw[0], raw[-1]) in (("{", "}"), ('"', '"')) and len(raw) >= 2:
            return raw[1:-1], []
        if raw.isdigit():
            return raw, []
        low = raw.lower()
        if low in strings:
            return strings[low], []
        if low in MONTHS:
            return MONTHS[low], []
        return raw, [raw]
    out, unresolved = [], []
    for part in _split_concatenation(raw.strip()):
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(part)
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower() in MONTHS:
            out.append(MONTHS[part.lower()])
        else:
            unresolved.append(part)
            out.append(part)
    return "".join(out), unresolved


def resolve_strings(
    defs: list[tuple[str, str, int]], inherited: Mapping[str, str] | None = None
) -> tuple[dict[str, str], list[Any]]:
    """Resolve ``@string`` definitions (name, raw value, line) that may refer to each other and
    to the ``inherited`` strings (resolved values from the files read before this one: BibTeX
    and biber keep an @string in force for every later file).

    Returns the values by name (the inherited ones included) and the problems: a name defined
    again with another value (the last definition is the one kept, as BibTeX, biber and pandoc
    keep it for the entries after it; the same value again is no problem) and cycles.
    """
    inherited = inherited or {}
    problems: list[Any] = []
    raw_strings: dict[str, tuple[str, int]] = {}
    # every definition after the first of a name (in this file or an earlier one), with the
    # one it replaces: (name, replaced raw or None for an inherited value, replaced line, new)
    redefined: list[tuple[str, str | None, int, tuple[str, int]]] = []
    for name, raw, line in defs:
        if name in raw_strings:
            redefined.append((name, *raw_strings[name], (raw, line)))
        elif name in inherited:
            redefined.append((name, None, 0, (raw, line)))
        raw_strings[name] = (raw, line)
    resolved: dict[str, str] = {k: v for k, v in inherited.items() if k not in raw_strings}
    visiting: set[str] = set()

    def resolve(name: str) -> str:
        if name in resolved:
            return resolved[name]
        raw, line = raw_strings[name]
        if name in visiting:
            problems.append(
                (
                    "string-cycle",
                    line,
                    f"@string '{name}' refers to itself through other strings",
                    None,
                    "define it with a literal value",
                )
            )
            resolved[name] = raw
            return raw
        visiting.add(name)
        value = value_of(raw)
        visiting.discard(name)
        resolved.setdefault(name, value)
        return resolved[name]

    def value_of(raw: str) -> str:
        parts = []
        for part in _split_concatenation(raw):
            low = part.lower()
            if low in raw_strings and not (part.startswith(("{", '"'))):
                parts.append(resolve(low))
            elif low in inherited and not (part.startswith(("{", '"'))):
                parts.append(inherited[low])
            else:
                value, _ = resolve_value(part, {})
                parts.append(value)
        return "".join(parts)

    for name in raw_strings:
        resolve(name)
    differing: list[tuple[str, str, str, str, int]] = []
    for name, old_raw, old_line, (new_raw, line) in redefined:
        old = inherited[name] if old_raw is None else value_of(old_raw)
        new = value_of(new_raw)
        if old == new:
            continue  # the same value given again (a shared header of strings, say)
        where = (
            "in a bibliography file read before this one"
            if old_raw is None
            else f"at line {old_line}"
        )
        differing.append((name, new, old, where, line))
    if differing:
        # one problem for the file: a journal-abbreviation block that redefines its full names
        # on purpose ("the 2nd overwrites the 1st") redefines dozens at once
        name, new, old, where, line = differing[0]
        if len(differing) == 1:
            head = (
                f"@string '{name}' is defined again with another value: \"{new}\" here, "
                f'"{old}" {where}'
            )
        else:
            others = ", ".join(f"'{d[0]}' (line {d[4]})" for d in differing[1:6])
            more = f" and {len(differing) - 6} more" if len(differing) > 6 else ""
            head = (
                f"{len(differing)} @strings are defined again with another value: '{name}' here "
                f'("{new}"; "{old}" {where}), {others}{more}'
            )
        problems.append(
            (
                "duplicate-string",
                line,
                f"{head}; BibTeX, biber and pandoc use each definition for the entries that "
                "follow it (argmap checks every entry of this file with the last definition)",
                name,
                "keep one definition of each @string, with the value you mean",
            )
        )
    return resolved, problems


_RUN_ON = re.compile(r"\s*([A-Za-z][\w:.+-]*)\s*=\s*")


def split_run_on(raw: str) -> tuple[str, str, str] | None:
    """A value that swallowed the next field because a comma is missing between them
    (``{31} number = {4}``, which bibtexparser reads as one value): the value's own part, the
    next field's name and its raw value; None for a whole value."""
    if "=" not in raw:
        return None
    i, n = 0, len(raw)
    while True:
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            return None
        if raw[i] in '{"':
            close = "}" if raw[i] == "{" else '"'
            depth, j = 0, i
            while j < n:
                ch = raw[j]
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                if (close == "}" and depth == 0) or (
                    close == '"' and ch == '"' and j > i and depth == 0
                ):
                    break
                j += 1
            i = j + 1
        else:
            j = i
            while j < n and not raw[j].isspace() and raw[j] != "#":
                j += 1
            i = j
        k = i
        while k < n and raw[k].isspace():
            k += 1
        if k < n and raw[k] == "#":
            i = k + 1
            continue
        match = _RUN_ON.match(raw, k)
        if match is None or i == 0:
            return None
        return raw[:i].strip(), match.group(1).lower(), raw[match.end() :].strip()
