"""The part of a map a command works on: the whole map, or one claim and everything beneath it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from argmap.errors import ArgmapError
from argmap.map.graph import reachable, tree_edges
from argmap.map.models import ArgumentMap

if TYPE_CHECKING:
    from argmap.map.data import ClaimLike, MapLike


def unknown_claim(option: str, claim_id: str, argmap: MapLike[ClaimLike]) -> ArgmapError:
    """The error for an id that names no claim, with the nearest id as a hint."""
    from argmap.base.suggest import did_you_mean

    known = [c.id for c in argmap.claims]
    return ArgmapError(
        f"{option}: unknown claim id '{claim_id}'",
        hint=did_you_mean(claim_id, known) or "see the ids in argmap show",
    )


def focus_map(argmap: ArgumentMap, focus: str | None) -> ArgumentMap:
    """``argmap`` cut down to ``focus`` and the claims beneath it in the tree `show` draws.

    Beneath a claim are its reasons (what supports or attacks it, recursively) and what it leads
    to. Relations to claims outside the part are dropped, so the part is a map of its own.
    """
    if focus is None:
        return argmap
    if all(c.id != focus for c in argmap.claims):
        raise unknown_claim("--focus", focus, argmap)
    return restrict(argmap, reachable(tree_edges(argmap), focus))


def restrict(argmap: ArgumentMap, keep: set[str]) -> ArgumentMap:
    """``argmap`` with only the claims in ``keep``, relations to the others dropped."""
    claims = [
        claim.model_copy(update={"relations": [r for r in claim.relations if r.target in keep]})
        for claim in argmap.claims
        if claim.id in keep
    ]
    return argmap.model_copy(update={"claims": claims})


def cited_keys(argmap: ArgumentMap) -> list[str]:
    """Every key the map cites or reports from, in order of first appearance."""
    keys: dict[str, None] = {}
    for claim in argmap.claims:
        for key in claim.reported_from:
            keys.setdefault(key)
        for ev in claim.evidence:
            for cit in ev.citations:
                keys.setdefault(cit.key)
    return list(keys)
