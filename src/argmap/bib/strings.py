"""BibTeX values resolved: enclosing braces and quotes removed, ``#`` concatenation joined,
``@string`` macros (which may refer to each other) and month names replaced."""

from __future__ import annotations

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


def resolve_strings(defs: list[tuple[str, str, int]]) -> tuple[dict[str, str], list[Any]]:
    """Resolve ``@string`` definitions (name, raw value, line) that may refer to each other.

    Returns the values by name and the problems: repeated names (the first kept) and cycles.
    """
    problems: list[Any] = []
    raw_strings: dict[str, tuple[str, int]] = {}
    for name, raw, line in defs:
        if name in raw_strings:
            problems.append(
                (
                    "duplicate-string",
                    line,
                    f"duplicate key '{name}' (first defined at line {raw_strings[name][1]})",
                    name,
                    "rename one of them or delete the copy",
                )
            )
            continue
        raw_strings[name] = (raw, line)
    resolved: dict[str, str] = {}
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
        parts = []
        for part in _split_concatenation(raw):
            low = part.lower()
            if low in raw_strings and not (part.startswith(("{", '"'))):
                parts.append(resolve(low))
            else:
                value, _ = resolve_value(part, {})
                parts.append(value)
        visiting.discard(name)
        resolved.setdefault(name, "".join(parts))
        return resolved[name]

    for name in raw_strings:
        resolve(name)
    return resolved, problems
