"""Nearest-name suggestions for unknown ids and keys, by fuzzy string similarity (rapidfuzz)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def lowered(candidates: Sequence[str]) -> dict[str, str]:
    """The candidates as ``closest`` compares them: to pass when looking up many names."""
    return {c: c.lower() for c in candidates}


def closest(
    name: str,
    candidates: Sequence[str] | Mapping[str, str],
    limit: int = 3,
    cutoff: float | None = None,
) -> list[str]:
    """Up to ``limit`` candidates most similar to ``name``, best first (``candidates`` may be
    ``lowered(...)`` of them, made once for many look-ups)."""
    from rapidfuzz import fuzz, process

    if cutoff is None:
        # One wrong character in a short id ("R3" for "R1") is still the likely meaning.
        cutoff = 50.0 if len(name) <= 4 else 70.0

    found = process.extract(
        name.lower(),
        candidates if isinstance(candidates, Mapping) else lowered(candidates),
        scorer=fuzz.ratio,
        limit=limit,
        score_cutoff=cutoff,
    )
    return [key for _value, _score, key in found]


def did_you_mean(name: str, candidates: Sequence[str]) -> str | None:
    """``did you mean 'x'?`` for the nearest candidate, or None when none is near."""
    near = closest(name, candidates, limit=2)
    if not near:
        return None
    return "did you mean " + " or ".join(f"'{n}'" for n in near) + "?"


class Suggester:
    """``did_you_mean`` for many unknown names against one list of candidates: each distinct
    name is matched once, and only the first ``limit`` of them, so that thousands of unknown
    names cost a bounded number of fuzzy searches (each is linear in the candidates)."""

    def __init__(self, candidates: Sequence[str], limit: int = 50) -> None:
        self.candidates = list(candidates)
        self.limit = limit
        self.hints: dict[str, str | None] = {}

    def hint(self, name: str) -> str | None:
        """The hint for ``name``, or None when none is near or the limit is reached."""
        if name not in self.hints:
            if len(self.hints) >= self.limit:
                return None
            self.hints[name] = did_you_mean(name, self.candidates)
        return self.hints[name]
