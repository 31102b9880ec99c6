"""What the diagram exports (Mermaid, Graphviz) share: the map as labelled nodes and typed edges.

Claims and evidence are nodes; each relation is an edge in its own direction (a premise points at
the claim it supports; a diagnosis points at the recommendation it leads to); evidence points at
the claim it backs. Order follows the map, so output is stable for diffs.

A diagram is for a person to read, so it need not say everything: labels can be the id alone,
the id with the claim's kind and first clause (short), or the whole text (full); evidence can be
left out; ``depth`` keeps only the first levels of the tree `show` draws; nodes are grouped by
the section of the article they come from. A map of more than ``LARGE_MAP`` claims gets short
labels and no evidence unless asked otherwise: full texts make a 39-claim map ten thousand
pixels wide.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from enum import StrEnum

from argmap.base.sanitize import one_line
from argmap.exporters import ExportContext
from argmap.map.graph import root_claims, tree_edges
from argmap.map.models import ArgumentMap, Citation, RelationType
from argmap.map.vocab import claim_kind, evidence_kind

WRAP = 40
SHORT_WRAP = 22
SHORT_CHARS = 72  # a first clause longer than this is cut at a word, with an ellipsis
MIN_CLAUSE = 24  # "Matiz: ..." says nothing; read on to the next clause
LARGE_MAP = 20
EVIDENCE = "evidence"


class Labels(StrEnum):
    """How much of a claim its node shows."""

    ID = "id"
    SHORT = "short"
    FULL = "full"


@dataclass(frozen=True)
class Node:
    """A box of the diagram: its id, kind (a claim kind or ``evidence``), lines of label, and
    the section of the article it belongs to."""

    id: str
    kind: str
    lines: list[str]
    section: str


@dataclass(frozen=True)
class Link:
    """An arrow: from ``source`` to ``target``, a relation type or None for evidence."""

    source: str
    target: str
    relation: RelationType | None


@dataclass(frozen=True)
class Cluster:
    """A section of the article: its id and its title (``§id`` when the map names none)."""

    id: str
    title: str


@dataclass(frozen=True)
class Diagram:
    """Nodes, links and the sections they are grouped in (empty when not grouped)."""

    nodes: list[Node]
    links: list[Link]
    clusters: list[Cluster]


def source_line(citations: list[Citation]) -> str:
    """The citations of an item of evidence as ``key, p. 3; key2``."""
    return "; ".join(f"{c.key}, {c.locator}" if c.locator else c.key for c in citations)


_CLAUSE_END = re.compile(r"[:;.!?](?=\s|$)|\s[—–-]\s|\s\(")


def first_clause(text: str, limit: int = SHORT_CHARS) -> str:
    """The text up to its first ``:``, ``;``, full stop or dash (the next one, if that leaves
    fewer than ``MIN_CLAUSE`` characters); cut at a word past ``limit``, with an ellipsis."""
    text = " ".join(text.split())
    clause = text
    for end in _CLAUSE_END.finditer(text):
        if end.start() >= MIN_CLAUSE:
            clause = text[: end.start()]
            break
    whole = len(clause) >= len(text.rstrip(".!? "))
    if whole:
        clause = text
    if len(clause) > limit:
        return clause[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return clause if whole else clause + " …"


def claim_levels(argmap: ArgumentMap, focus: str | None) -> dict[str, int]:
    """Each claim's level in the tree `show` draws: 1 for the root (or the focused claim).

    Claims the root does not reach start levels of their own, in map order, as `show` lists
    them apart.
    """
    edges = tree_edges(argmap)
    levels: dict[str, int] = {}
    starts = [focus] if focus is not None else [c.id for c in root_claims(argmap)]
    starts += [c.id for c in argmap.claims]
    for start in starts:
        if start in levels:
            continue
        levels[start] = 1
        frontier = [start]
        while frontier:
            following = []
            for cid in frontier:
                for edge in edges[cid]:
                    if edge.child not in levels:
                        levels[edge.child] = levels[cid] + 1
                        following.append(edge.child)
            frontier = following
    return levels


def resolve_labels(ctx: ExportContext) -> Labels:
    """The labels asked for, else short ones for a large map and full ones for a small one."""
    if ctx.labels is not None:
        return Labels(ctx.labels)
    return Labels.SHORT if len(ctx.map.claims) > LARGE_MAP else Labels.FULL


def resolve_evidence(ctx: ExportContext) -> bool:
    """Whether evidence is drawn: as asked, else only for a map of up to ``LARGE_MAP`` claims."""
    if ctx.evidence is not None:
        return ctx.evidence
    return len(ctx.map.claims) <= LARGE_MAP


def diagram(ctx: ExportContext, width: int = WRAP) -> Diagram:
    """The claims (and evidence) the options keep, as nodes; relations and backings as links."""
    argmap, lang = ctx.map, ctx.lang
    labels = resolve_labels(ctx)
    with_evidence = resolve_evidence(ctx)
    levels = claim_levels(argmap, ctx.focus)
    kept = {c.id for c in argmap.claims if ctx.depth is None or levels[c.id] <= ctx.depth}
    nodes: list[Node] = []
    links: list[Link] = []
    for claim in argmap.claims:
        if claim.id not in kept:
            continue
        section = claim.locator.section
        kind = claim_kind(claim.kind, lang)
        text = claim.text_in(lang)
        if labels is Labels.ID:
            lines = [claim.id]
        elif labels is Labels.SHORT:
            lines = [one_line(f"{claim.id} · {kind}"), *wrap(first_clause(text), SHORT_WRAP)]
        else:
            lines = [one_line(f"{claim.id} · {kind} · {claim.locator}"), *wrap(text, width)]
        nodes.append(Node(claim.id, claim.kind.value, lines, section))
        for ev in claim.evidence if with_evidence else []:
            description = ev.description.get(lang) or next(iter(ev.description.values()))
            if labels is Labels.ID:
                lines = [ev.id]
            elif labels is Labels.SHORT:
                lines = [one_line(f"{ev.id} · {evidence_kind(ev.kind, lang)}")]
                lines += wrap(source_line(ev.citations), SHORT_WRAP) if ev.citations else []
            else:
                lines = [
                    one_line(f"{ev.id} · {evidence_kind(ev.kind, lang)}"),
                    *wrap(description, width),
                ]
                lines += wrap(source_line(ev.citations), width) if ev.citations else []
            nodes.append(Node(ev.id, EVIDENCE, lines, section))
            links.append(Link(ev.id, claim.id, None))
        for rel in claim.relations:
            if rel.target in kept:
                links.append(Link(claim.id, rel.target, rel.type))
    clusters: list[Cluster] = []
    if ctx.clusters:
        titles = {s.id: s.title for s in argmap.article.sections}
        used = list(dict.fromkeys(n.section for n in nodes))
        order = [s.id for s in argmap.article.sections if s.id in used]
        order += [s for s in used if s not in titles]
        clusters = [Cluster(s, f"§{s} {titles[s]}" if s in titles else f"§{s}") for s in order]
    return Diagram(nodes, links, clusters)


def wrap(text: str, width: int) -> list[str]:
    """``text`` on one line per ``width`` columns (whitespace collapsed, control characters
    written as codes: ``dot`` rejects them and Mermaid would pass them on)."""
    return textwrap.wrap(one_line(" ".join(text.split())), width=width) or [""]
