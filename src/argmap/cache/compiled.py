"""Compiled regular expressions kept between runs, for the interpreter that compiled them.

``re.compile`` runs Python's own parser and compiler on every pattern: a warm check compiled
some 110 patterns afresh on each run, ~25 ms of CPU of its ~0.3 s (about 80 M of its 1,310 M
instructions under callgrind). What that compiler makes of a pattern — the engine's code, a
list of integers, with its flags and group names — depends on the pattern, its flags and the
interpreter's ``re`` alone. So a run remembers the code of the patterns it compiled (``remember``)
and the next one gives them to ``re``'s own cache of compiled patterns before argmap's modules
are imported (``prefill``): their ``re.compile`` then finds them there. A pattern is built
from its code by ``_sre.compile``, the engine's constructor that ``re`` itself calls, which
validates the code (and raises on code that is not well formed).

What it trusts: the file is a record file of ``argmap.cache.records`` (private directory,
length and CRC-32 on every record, JSON), named by the interpreter's exact version and its
engine's ``MAGIC`` and code size, with argmap's own key (its version and code); each item is
checked for its exact shape before it is used. Anything else — another Python, an engine
other than CPython's, a damaged or missing file — means the patterns are compiled as usual:
the same patterns either way, only slower. ``--no-cache`` and ``ARGMAP_NO_CACHE=1`` bypass it.
"""

from __future__ import annotations

import re
import sys
from typing import Any

KIND = "re"
# The patterns kept at most: ``re``'s own cache holds 512 (it drops the oldest beyond), and a
# check compiles about 110.
LIMIT = 256


def _key() -> str | None:
    """The file's key: the interpreter and its regular-expression engine, and argmap's own
    (``records.magic``: two installs of argmap on one Python keep a file each, rather than
    each finding the other's unreadable and writing its own over it on every run); None where
    patterns cannot be made from their code (an interpreter other than CPython, or a ``re`` of
    another shape)."""
    if sys.implementation.name != "cpython" or not isinstance(getattr(re, "_cache", None), dict):
        return None
    _sre = _engine()
    if _sre is None:
        return None
    import hashlib

    from argmap.cache.records import magic

    engine = f"{sys.version} {sys.hexversion} {_sre.MAGIC} {_sre.CODESIZE}\n"
    return hashlib.sha256(engine.encode() + magic()).hexdigest()


def _engine() -> Any:
    """CPython's regular-expression engine (``_sre``, which ``re`` compiles for), or None."""
    try:
        import _sre  # type: ignore[import-not-found]  # (no stubs: CPython's own module)
    except ImportError:
        return None
    return _sre if callable(getattr(_sre, "compile", None)) else None


def _wanted() -> bool:
    """Whether the cache may be used in this run."""
    from argmap.cache.records import disabled

    return not disabled() and "--no-cache" not in sys.argv[1:]


def _stored(key: str) -> dict[tuple[str, int], list[Any]]:
    """The patterns of the file, each (pattern, flags) with the rest of its item, if the file
    is whole; items not of the exact shape ``_item`` writes are left out."""
    from argmap.cache.records import read

    records = read(KIND, key)
    if not records or not isinstance(records[0], list):
        return {}
    kept: dict[tuple[str, int], list[Any]] = {}
    for item in records[0]:
        if _well_formed(item):
            kept[item[0], item[1]] = item
    return kept


def _well_formed(item: object) -> bool:
    """Whether ``item`` is [pattern, flags, compiled flags, code, groups, group index, index
    group] with values of their types."""
    if not isinstance(item, list) or len(item) != 7:
        return False
    pattern, flags, compiled, code, groups, groupindex, indexgroup = item
    return (
        isinstance(pattern, str)
        and type(flags) is int
        and type(compiled) is int
        and isinstance(code, list)  # (its words are checked by the engine: see prefill)
        and type(groups) is int
        and isinstance(groupindex, dict)
        and all(type(at) is int for at in groupindex.values())
        and isinstance(indexgroup, list)
        and all(name is None or isinstance(name, str) for name in indexgroup)
    )


# The patterns this process found in the file, by (pattern, flags): ``remember`` writes only
# when it compiled others.
_known: set[tuple[str, int]] = set()
# Whether ``prefill`` looked in the file: only such a run (a command argmap's entry point ran,
# and a helper it forked) keeps its patterns, not a program that imports argmap's modules.
_active = False
# The patterns a helper of this process compiled afresh (``heard``), kept with its own.
_elsewhere: list[tuple[str, int]] = []


def prefill() -> int:
    """Give ``re``'s cache the compiled patterns the file keeps, before the modules that
    compile them are imported; the number given. A pattern whose code the engine refuses is
    left to be compiled as usual."""
    global _active
    key = _key()
    if key is None or not _wanted():
        return 0
    _sre = _engine()
    _active = True

    cache: dict[Any, Any] = re._cache  # type: ignore[attr-defined]
    given = 0
    for (pattern, flags), item in _stored(key).items():
        _known.add((pattern, flags))
        if (str, pattern, flags) in cache or len(cache) >= LIMIT:
            continue
        _, _, compiled, code, groups, groupindex, indexgroup = item
        try:
            made = _sre.compile(pattern, compiled, code, groups, groupindex, tuple(indexgroup))
        except (RuntimeError, TypeError, ValueError, OverflowError):
            continue  # code the engine does not take: compiled from the pattern when used
        if made.pattern != pattern:
            continue
        cache[str, pattern, flags] = made
        given += 1
    return given


def compiled_here() -> list[tuple[str, int]]:
    """The patterns this process compiled that the file did not hold (none unless ``prefill``
    looked in it): what a helper tells the process that forked it (``heard``)."""
    if not _active:
        return []
    cache: dict[Any, Any] = re._cache  # type: ignore[attr-defined]
    return [
        (pattern, flags)
        for kind, pattern, flags in list(cache)
        if kind is str and (pattern, flags) not in _known
    ]


def heard(compiled: object) -> bool:
    """Take a helper's ``compiled_here`` to be kept with this process's; False (and nothing
    taken) unless it is a list of (pattern, flags) pairs."""
    if not isinstance(compiled, (list, tuple)) or not all(
        isinstance(pair, (list, tuple))
        and len(pair) == 2
        and isinstance(pair[0], str)
        and type(pair[1]) is int
        for pair in compiled
    ):
        return False
    _elsewhere.extend((pattern, flags) for pattern, flags in compiled)
    return True


def remember() -> bool:
    """Keep the code of the patterns this process (and its helper) compiled that the file did
    not hold, with those it holds now, for the next run; whether the file was written. Nothing
    is compiled or written when the file held them all, nor in a run that parsed a
    bibliography (a cold check: its code is made by the next run, which reads the
    bibliography's cache, so that a cold check costs what it did)."""
    from argmap.cache.records import written

    key = _key()
    if key is None or not _active or "bib" in written or not _wanted():
        return False
    new = compiled_here() + [pair for pair in _elsewhere if pair not in _known]
    if not new:
        return False
    from argmap.cache.records import write

    kept = _stored(key)  # as it is now: another process may have added to it
    for pattern, flags in new:
        if (pattern, flags) not in kept and len(kept) < LIMIT:
            item = _item(pattern, flags)
            if item is not None:
                kept[pattern, flags] = item
    _known.update(kept)
    # without a word when it cannot be written: the bibliography's cache says so already
    return write(KIND, key, [list(kept.values())], quiet=True)


def _item(pattern: str, flags: int) -> list[Any] | None:
    """What ``re``'s compiler makes of ``pattern`` (``re._compiler.compile`` but the engine's
    constructor), as plain values; None if it cannot be made so."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
    except (re.error, RecursionError, OverflowError, TypeError, ValueError):
        return None
    state = parsed.state
    indexgroup: list[str | None] = [None] * state.groups
    for name, at in state.groupdict.items():
        indexgroup[at] = name
    return [
        pattern,
        int(flags),
        int(flags | state.flags),
        [int(word) for word in code],  # the opcodes are an int subclass
        state.groups - 1,
        {name: int(at) for name, at in state.groupdict.items()},
        indexgroup,
    ]
