"""Tracing the argument: the chain from the root to a claim, and every claim that rests on a
source — what falls if the source falls."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from itertools import pairwise

from argmap.errors import ArgmapError
from argmap.map.graph import path_from_root, tree_edges
from argmap.map.models import ArgumentMap, Citation, Claim, Evidence, RelationType, Stance
from argmap.map.scope import unknown_claim


@dataclass(frozen=True)
class Link:
    """How two neighbouring claims of a chain are related, in the relation's own direction."""

    source: str
    type: RelationType
    target: str


@dataclass(frozen=True)
class Reason:
    """A claim that supports or attacks a step from outside the chain, and every source it rests
    on (its own and, through supports, those of the claims beneath it)."""

    claim: Claim
    type: RelationType
    sources: list[str]


@dataclass(frozen=True)
class Step:
    """One claim of a chain, its link to the claim before it (None for the first), and the
    reasons off the chain that bear on it."""

    claim: Claim
    link: Link | None
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class ClaimTrace:
    """The chain from the root to ``target``; ``linked`` is False if the root does not reach it."""

    target: str
    steps: list[Step]
    linked: bool


def trace_claim(argmap: ArgumentMap, claim_id: str) -> ClaimTrace:
    """The shortest chain from the root to ``claim_id`` along the tree `show` draws."""
    claims = {c.id: c for c in argmap.claims}
    if claim_id not in claims:
        raise unknown_claim("trace", claim_id, argmap)
    beneath = SourcesBeneath(argmap)
    chain = path_from_root(argmap, claim_id)
    if chain is None:
        return ClaimTrace(claim_id, [_step(argmap, claims[claim_id], None, set(), beneath)], False)
    edges = tree_edges(argmap)
    on_chain = set(chain)
    steps = [_step(argmap, claims[chain[0]], None, on_chain, beneath)]
    for parent, child in pairwise(chain):
        relation = next(e.relation for e in edges[parent] if e.child == child)
        if relation is RelationType.LEADS_TO:
            link = Link(parent, relation, child)
        else:  # the child is a reason of its parent: it supports or attacks it
            link = Link(child, relation, parent)
        steps.append(_step(argmap, claims[child], link, on_chain, beneath))
    return ClaimTrace(claim_id, steps, linked=True)


def own_sources(claim: Claim) -> list[str]:
    """The keys a claim rests on by itself: reported from, or cited in support by its evidence."""
    keys = dict.fromkeys(claim.reported_from)
    for ev in claim.evidence:
        for cit in ev.citations:
            if cit.stance is Stance.SUPPORTS:
                keys.setdefault(cit.key)
    return list(keys)


class SourcesBeneath:
    """Every key a claim rests on: its own and those of the claims that support it, down.

    The support links are gathered once per map, not once per claim asked about.
    """

    def __init__(self, argmap: ArgumentMap) -> None:
        self.claims = {c.id: c for c in argmap.claims}
        self.supporters: dict[str, list[str]] = {c.id: [] for c in argmap.claims}
        for claim in argmap.claims:
            for rel in claim.relations:
                if rel.type is RelationType.SUPPORTS and rel.target in self.supporters:
                    self.supporters[rel.target].append(claim.id)

    def __call__(self, claim_id: str) -> list[str]:
        seen, stack, keys = {claim_id}, [claim_id], dict[str, None]()
        while stack:
            current = stack.pop()
            keys.update(dict.fromkeys(own_sources(self.claims[current])))
            for other in self.supporters[current]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        return sorted(keys)


def _step(
    argmap: ArgumentMap,
    claim: Claim,
    link: Link | None,
    on_chain: set[str],
    beneath: SourcesBeneath,
) -> Step:
    reasons = [
        Reason(other, rel.type, beneath(other.id))
        for other in argmap.claims
        for rel in other.relations
        if rel.target == claim.id
        and rel.type is not RelationType.LEADS_TO
        and other.id not in on_chain
    ]
    return Step(claim, link, reasons)


@dataclass(frozen=True)
class Use:
    """A citation of the source in a claim's evidence."""

    evidence: Evidence
    citation: Citation


@dataclass
class Dependent:
    """A claim that rests on the source: directly (its evidence or report) or through ``via``."""

    claim: Claim
    direct: bool
    via: list[str] = field(default_factory=list)  # claim ids from a direct claim to this one
    uses: list[Use] = field(default_factory=list)
    reported: bool = False


@dataclass
class SourceTrace:
    """Everything that rests on ``key``, and the citations of it that support nothing."""

    key: str
    dependents: list[Dependent]
    other_uses: list[tuple[Claim, Use]]


def trace_source(argmap: ArgumentMap, key: str) -> SourceTrace:
    """The claims that fall if ``key`` falls.

    A claim rests on a source when its evidence cites the source in support, or it is reported
    from it; then so does every claim it supports or leads to, and so on. An attack does not
    pass the dependence on: if an objection's source falls, the objection falls, not its target.
    Citations that merely mention or contrast the source are listed apart.
    """
    direct: dict[str, Dependent] = {}
    other: list[tuple[Claim, Use]] = []
    for claim in argmap.claims:
        dep = Dependent(claim, direct=True, reported=key in claim.reported_from)
        for ev in claim.evidence:
            for cit in ev.citations:
                if cit.key != key:
                    continue
                if cit.stance is Stance.SUPPORTS:
                    dep.uses.append(Use(ev, cit))
                else:
                    other.append((claim, Use(ev, cit)))
        if dep.uses or dep.reported:
            direct[claim.id] = dep
    if not direct and not other:
        from argmap.base.suggest import did_you_mean
        from argmap.map.scope import cited_keys

        raise ArgmapError(
            f"trace --source: no claim cites '{key}'",
            hint=did_you_mean(key, cited_keys(argmap)) or "see argmap check-citations",
        )
    onward: dict[str, list[str]] = {c.id: [] for c in argmap.claims}
    for claim in argmap.claims:
        for rel in claim.relations:
            if rel.type is not RelationType.ATTACKS and rel.target in onward:
                onward[claim.id].append(rel.target)
    claims = {c.id: c for c in argmap.claims}
    via: dict[str, list[str]] = {cid: [cid] for cid in direct}
    queue = deque(direct)
    while queue:
        current = queue.popleft()
        for nxt in onward[current]:
            if nxt not in via:
                via[nxt] = [*via[current], nxt]
                queue.append(nxt)
    order = {c.id: i for i, c in enumerate(argmap.claims)}
    dependents = [direct[cid] for cid in sorted(direct, key=order.__getitem__)]
    indirect = sorted(
        (cid for cid in via if cid not in direct), key=lambda c: (len(via[c]), order[c])
    )
    dependents += [Dependent(claims[cid], direct=False, via=via[cid]) for cid in indirect]
    return SourceTrace(key, dependents, other)
