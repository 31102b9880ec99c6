"""The claim graph: its root, the tree edges `show` draws, and the checks run at load time."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple, Protocol, TypeVar

from argmap.base.suggest import Suggester
from argmap.errors import MapError
from argmap.map.data import ClaimLike, MapLike
from argmap.map.kinds import ClaimKind, RelationType

# The graph reads the models and the plain objects of argmap.map.data alike.
AnyMap = MapLike[ClaimLike]
C = TypeVar("C", bound=ClaimLike)


class ClaimOrigin(Protocol):
    """Where a claim was read from, as the loader records it (its ``ClaimOrigin``)."""

    def locate(self, rest: tuple[str | int, ...] = ()) -> tuple[Path, int | None, str]:
        """File, line and dotted field path of ``rest`` within the claim."""
        ...


ROOT_KINDS = (ClaimKind.DIAGNOSIS, ClaimKind.THESIS)


class Edge(NamedTuple):
    """A tree edge from ``parent`` down to ``child``, and the relation it comes from."""

    parent: str
    child: str
    relation: RelationType


def root_claims(argmap: MapLike[C]) -> list[C]:
    """The claims of the first root kind the map has: its diagnosis, else its thesis."""
    for kind in ROOT_KINDS:
        found = [c for c in argmap.claims if c.kind is kind]
        if found:
            return found
    return []


def tree_edges(argmap: AnyMap) -> dict[str, list[Edge]]:
    """Children of each claim in reading order: what supports or attacks it, then what it leads to.

    A claim that supports X is a reason beneath X; a claim X leads to comes after X. Both hang
    below X in the tree, so the diagnosis roots its reasons and, through them, the recommendations.
    """
    reasons: dict[str, list[Edge]] = {c.id: [] for c in argmap.claims}
    consequences: dict[str, list[Edge]] = {c.id: [] for c in argmap.claims}
    for claim in argmap.claims:
        for rel in claim.relations:
            if rel.target not in reasons:
                continue
            if rel.type is RelationType.LEADS_TO:
                consequences[claim.id].append(Edge(claim.id, rel.target, rel.type))
            else:
                reasons[rel.target].append(Edge(rel.target, claim.id, rel.type))
    return {cid: reasons[cid] + consequences[cid] for cid in reasons}


def reachable(edges: Mapping[str, list[Edge]], start: str) -> set[str]:
    """Every claim reachable from ``start`` along tree edges, ``start`` included."""
    seen = {start}
    stack = [start]
    while stack:
        for edge in edges.get(stack.pop(), []):
            if edge.child not in seen:
                seen.add(edge.child)
                stack.append(edge.child)
    return seen


def path_from_root(argmap: AnyMap, target: str) -> list[str] | None:
    """The shortest chain of claim ids from a root to ``target`` along tree edges, or None."""
    edges = tree_edges(argmap)
    for root in root_claims(argmap):
        parent: dict[str, str | None] = {root.id: None}
        queue = [root.id]
        for current in queue:
            if current == target:
                chain = [current]
                while (prev := parent[chain[-1]]) is not None:
                    chain.append(prev)
                return chain[::-1]
            for edge in edges[current]:
                if edge.child not in parent:
                    parent[edge.child] = current
                    queue.append(edge.child)
    return None


def support_cycle(argmap: AnyMap) -> list[str] | None:
    """A cycle in the support relation as a list of ids (first repeated last), or None."""
    succ = {
        c.id: [r.target for r in c.relations if r.type is RelationType.SUPPORTS]
        for c in argmap.claims
    }
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(succ, white)
    for start in succ:
        if colour[start] != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                colour[node] = grey
                trail.append(node)
            targets = [t for t in succ[node] if t in succ]
            if i < len(targets):
                stack.append((node, i + 1))
                nxt = targets[i]
                if colour[nxt] == grey:
                    return [*trail[trail.index(nxt) :], nxt]
                if colour[nxt] == white:
                    stack.append((nxt, 0))
            else:
                colour[node] = black
                trail.pop()
    return None


def check_graph(argmap: AnyMap, origins: Mapping[str, ClaimOrigin]) -> list[MapError]:
    """Unique evidence ids, existing targets, known sections, one root, no support cycle,
    every recommendation reachable from the root."""
    errors: list[MapError] = []

    def err(
        claim_id: str, rest: tuple[str | int, ...], message: str, hint: str, *, kind: str
    ) -> None:
        path, line, fld = origins[claim_id].locate(rest)
        errors.append(MapError(message, path=path, line=line, field=fld, hint=hint, kind=kind))

    evidence_seen: dict[str, str] = {}
    suggest = Suggester(list(origins))
    sections = {s.id for s in argmap.article.sections}
    for claim in argmap.claims:
        if claim.id in evidence_seen:
            err(
                claim.id,
                ("id",),
                f"id '{claim.id}' is also an evidence id",
                "ids must be unique",
                kind="duplicate-id",
            )
        for i, ev in enumerate(claim.evidence):
            if ev.id in evidence_seen or ev.id in origins:
                err(
                    claim.id,
                    ("evidence", i, "id"),
                    f"duplicate id '{ev.id}'",
                    "ids must be unique",
                    kind="duplicate-id",
                )
            evidence_seen.setdefault(ev.id, claim.id)
        for i, rel in enumerate(claim.relations):
            if rel.target not in origins:
                err(
                    claim.id,
                    ("relations", i, "target"),
                    f"unknown claim id '{rel.target}'",
                    suggest.hint(rel.target) or "name an existing claim",
                    kind="unknown-target",
                )
            elif rel.target == claim.id:
                err(
                    claim.id,
                    ("relations", i, "target"),
                    "a claim cannot relate to itself",
                    "fix it",
                    kind="self-relation",
                )
        if sections and claim.locator.section not in sections:
            err(
                claim.id,
                ("locator", "section"),
                f"unknown section '{claim.locator.section}'",
                f"use one of: {', '.join(sorted(sections))}",
                kind="unknown-section",
            )
        for lang in {argmap.article.language, "en"} - set(claim.text):
            err(
                claim.id, ("text",), f"no text in '{lang}'", f"add text.{lang}", kind="missing-text"
            )
    if errors:
        return errors

    roots = root_claims(argmap)
    if not argmap.claims:
        return errors
    if len(roots) != 1:
        if not roots:
            message, hint = "the map has no claim of kind 'diagnosis' or 'thesis'", "add one"
            first = argmap.claims[0].id
        else:
            message = f"the map has {len(roots)} root claims ({', '.join(c.id for c in roots)})"
            hint, first = "keep one diagnosis and link the others to it", roots[1].id
        err(first, ("kind",), message, hint, kind="root")
        return errors

    cycle = support_cycle(argmap)
    if cycle:
        err(
            cycle[0],
            ("relations",),
            f"support cycle: {' -> '.join(cycle)}",
            "a claim cannot support itself through others; remove one link",
            kind="support-cycle",
        )
    seen = reachable(tree_edges(argmap), roots[0].id)
    for claim in argmap.claims:
        if claim.kind is ClaimKind.RECOMMENDATION and claim.id not in seen:
            err(
                claim.id,
                ("id",),
                f"recommendation '{claim.id}' is not reachable from '{roots[0].id}'",
                "link it with 'leads_to' from a claim on the argument's path",
                kind="unreachable",
            )
    return errors
