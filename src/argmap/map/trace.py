"""Tracing the argument: the chain from the root to a claim, and every claim that rests on a
source — what falls if the source falls."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum
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
    incoming = _incoming(argmap)
    chain = path_from_root(argmap, claim_id)
    if chain is None:
        return ClaimTrace(
            claim_id, [_step(incoming, claims[claim_id], None, set(), beneath)], False
        )
    edges = tree_edges(argmap)
    on_chain = set(chain)
    steps = [_step(incoming, claims[chain[0]], None, on_chain, beneath)]
    for parent, child in pairwise(chain):
        relation = next(e.relation for e in edges[parent] if e.child == child)
        if relation is RelationType.LEADS_TO:
            link = Link(parent, relation, child)
        else:  # the child is a reason of its parent: it supports or attacks it
            link = Link(child, relation, parent)
        steps.append(_step(incoming, claims[child], link, on_chain, beneath))
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
    incoming: dict[str, list[tuple[Claim, RelationType]]],
    claim: Claim,
    link: Link | None,
    on_chain: set[str],
    beneath: SourcesBeneath,
) -> Step:
    reasons = [
        Reason(other, rel_type, beneath(other.id))
        for other, rel_type in incoming.get(claim.id, [])
        if rel_type is not RelationType.LEADS_TO and other.id not in on_chain
    ]
    return Step(claim, link, reasons)


def _incoming(argmap: ArgumentMap) -> dict[str, list[tuple[Claim, RelationType]]]:
    """For each claim, the claims related to it and how, in map order: built once per trace
    so that each step costs its own relations, not the whole map's."""
    incoming: dict[str, list[tuple[Claim, RelationType]]] = {}
    for other in argmap.claims:
        for rel in other.relations:
            incoming.setdefault(rel.target, []).append((other, rel.type))
    return incoming


@dataclass(frozen=True)
class Use:
    """A citation of the source in a claim's evidence."""

    evidence: Evidence
    citation: Citation


class Standing(StrEnum):
    """How a claim stands once the traced source is taken away."""

    FALLS = "falls"  # every reason it had rests on the source
    WEAKENED = "weakened"  # some of its reasons rest on the source, others remain
    CONTESTED = "contested"  # an objection to it rests on the source; its reasons are whole


@dataclass
class Dependent:
    """A claim the source bears on, how it stands without the source, and why.

    ``reasons`` counts what supports the claim: each source its evidence cites in support or
    it is reported from, each claim that supports it and each claim that leads to it. ``lost``
    are those reasons that fall with the source (the source itself, or claims that fall);
    ``weakened_by`` those that stand but are weakened; ``attacked_by`` the claims resting on
    the source that attack it.
    """

    claim: Claim
    standing: Standing
    reasons: int
    lost: list[str] = field(default_factory=list)
    weakened_by: list[str] = field(default_factory=list)
    attacked_by: list[str] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    reported: bool = False

    @property
    def direct(self) -> bool:
        """Whether the claim cites the source or is reported from it."""
        return bool(self.uses) or self.reported

    @property
    def left(self) -> int:
        """How many of its reasons remain without the source."""
        return self.reasons - len(self.lost)


@dataclass
class SourceTrace:
    """The claims ``key`` bears on, each with its standing, and the citations of it that
    support nothing."""

    key: str
    dependents: list[Dependent]
    other_uses: list[tuple[Claim, Use]]

    def count(self, standing: Standing) -> int:
        """How many dependents stand so."""
        return sum(1 for d in self.dependents if d.standing is standing)


def trace_source(argmap: ArgumentMap, key: str) -> SourceTrace:
    """How each claim stands if ``key`` falls, in the spirit of Carneades' argument graphs.

    A claim's reasons are the sources it cites in support or is reported from, and the claims
    that support it or lead to it. Take the source away: a claim all of whose reasons are gone
    **falls** (and is gone as a reason of the claims it supports or leads to); a claim that
    loses some reasons, or rests on a weakened claim, is **weakened**; a claim attacked by a
    claim that falls or is weakened is **contested** (the source is behind an objection to it).
    Attacks do not pass dependence on. Citations that merely mention or contrast the source
    are listed apart. Every claim and relation is visited a bounded number of times.
    """
    claims = {c.id: c for c in argmap.claims}
    order = {c.id: i for i, c in enumerate(argmap.claims)}
    reasons: dict[str, int] = {}
    onward: dict[str, list[str]] = {c.id: [] for c in argmap.claims}
    attacks: dict[str, list[str]] = {c.id: [] for c in argmap.claims}
    for claim in argmap.claims:
        reasons[claim.id] = reasons.get(claim.id, 0) + len(own_sources(claim))
        for rel in claim.relations:
            if rel.target not in claims:
                continue
            if rel.type is RelationType.ATTACKS:
                attacks[claim.id].append(rel.target)
            else:
                onward[claim.id].append(rel.target)
                reasons[rel.target] = reasons.get(rel.target, 0) + 1
    deps: dict[str, Dependent] = {}
    other: list[tuple[Claim, Use]] = []
    lost: dict[str, list[str]] = {}
    for claim in argmap.claims:
        uses: list[Use] = []
        for ev in claim.evidence:
            for cit in ev.citations:
                if cit.key != key:
                    continue
                if cit.stance is Stance.SUPPORTS:
                    uses.append(Use(ev, cit))
                else:
                    other.append((claim, Use(ev, cit)))
        reported = key in claim.reported_from
        if uses or reported:
            lost[claim.id] = [key]
            deps[claim.id] = Dependent(
                claim, Standing.WEAKENED, reasons[claim.id], uses=uses, reported=reported
            )
    if not deps and not other:
        from argmap.base.suggest import did_you_mean
        from argmap.map.scope import cited_keys

        raise ArgmapError(
            f"trace --source: no claim cites '{key}'",
            hint=did_you_mean(key, cited_keys(argmap)) or "see argmap check-citations",
        )
    # Breadth first from the claims that cite the source: a claim is settled (falls or is
    # weakened) once every reason of it that the source reaches has been counted, which the
    # support graph's lack of cycles guarantees; counts make each edge cost O(1).
    pending: dict[str, int] = {cid: 0 for cid in claims}
    for cid in _reached(deps, onward):
        for nxt in onward[cid]:
            pending[nxt] += 1
    weakened_by: dict[str, list[str]] = {}
    queue = deque(cid for cid in sorted(deps, key=order.__getitem__) if pending[cid] == 0)
    settled: list[str] = []
    while queue:
        current = queue.popleft()
        falls = len(lost.get(current, [])) == reasons[current]
        standing = Standing.FALLS if falls else Standing.WEAKENED
        dep = deps.get(current) or Dependent(claims[current], standing, reasons[current])
        dep.standing, dep.lost = standing, lost.get(current, [])
        dep.weakened_by = weakened_by.get(current, [])
        deps[current] = dep
        settled.append(current)
        for nxt in onward[current]:
            (lost if falls else weakened_by).setdefault(nxt, []).append(current)
            pending[nxt] -= 1
            if pending[nxt] == 0:
                queue.append(nxt)
    # A cycle of leads-to links never settles above: its claims are weakened, never fallen.
    for cid in sorted(set(_reached(deps, onward)) - set(settled), key=order.__getitem__):
        dep = deps.get(cid) or Dependent(claims[cid], Standing.WEAKENED, reasons[cid])
        dep.standing, dep.lost = Standing.WEAKENED, lost.get(cid, [])
        dep.weakened_by = weakened_by.get(cid, [])
        deps[cid] = dep
        settled.append(cid)
    attackers: dict[str, list[str]] = {}
    for cid in settled:
        for target in attacks[cid]:
            attackers.setdefault(target, []).append(cid)
    for target in sorted(attackers, key=order.__getitem__):
        if target in deps:
            deps[target].attacked_by = attackers[target]
        else:
            deps[target] = Dependent(
                claims[target], Standing.CONTESTED, reasons[target], attacked_by=attackers[target]
            )
            settled.append(target)
    return SourceTrace(key, [deps[cid] for cid in settled], other)


def _reached(start: dict[str, Dependent], onward: dict[str, list[str]]) -> list[str]:
    """Every claim reachable from ``start`` along supports and leads-to, ``start`` included."""
    seen = set(start)
    stack = list(start)
    while stack:
        current = stack.pop()
        for nxt in onward[current]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return list(seen)
