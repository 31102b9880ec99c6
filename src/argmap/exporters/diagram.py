"""What the diagram exports (Mermaid, Graphviz) share: the map as labelled nodes and typed edges.

Claims and evidence are nodes; each relation is an edge in its own direction (a premise points at
the claim it supports; a diagnosis points at the recommendation it leads to); evidence points at
the claim it backs. Order follows the map, so output is stable for diffs.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from argmap.base.sanitize import one_line
from argmap.map.models import ArgumentMap, Citation, RelationType
from argmap.map.vocab import claim_kind, evidence_kind

WRAP = 40
EVIDENCE = "evidence"


@dataclass(frozen=True)
class Node:
    """A box of the diagram: its id, kind (a claim kind or ``evidence``) and lines of label."""

    id: str
    kind: str
    lines: list[str]


@dataclass(frozen=True)
class Link:
    """An arrow: from ``source`` to ``target``, a relation type or None for evidence."""

    source: str
    target: str
    relation: RelationType | None


def source_line(citations: list[Citation]) -> str:
    """The citations of an item of evidence as ``key, p. 3; key2``."""
    return "; ".join(f"{c.key}, {c.locator}" if c.locator else c.key for c in citations)


def diagram(argmap: ArgumentMap, lang: str, width: int = WRAP) -> tuple[list[Node], list[Link]]:
    """Every claim and item of evidence as a node, every relation and backing as a link."""
    nodes: list[Node] = []
    links: list[Link] = []
    ids = {c.id for c in argmap.claims}
    for claim in argmap.claims:
        head = one_line(f"{claim.id} · {claim_kind(claim.kind, lang)} · {claim.locator}")
        nodes.append(Node(claim.id, claim.kind.value, [head, *wrap(claim.text_in(lang), width)]))
        for ev in claim.evidence:
            text = ev.description.get(lang) or next(iter(ev.description.values()))
            lines = [one_line(f"{ev.id} · {evidence_kind(ev.kind, lang)}"), *wrap(text, width)]
            if ev.citations:
                lines += wrap(source_line(ev.citations), width)
            nodes.append(Node(ev.id, EVIDENCE, lines))
            links.append(Link(ev.id, claim.id, None))
        for rel in claim.relations:
            if rel.target in ids:
                links.append(Link(claim.id, rel.target, rel.type))
    return nodes, links


def wrap(text: str, width: int) -> list[str]:
    """``text`` on one line per ``width`` columns (whitespace collapsed, control characters
    written as codes: ``dot`` rejects them and Mermaid would pass them on)."""
    return textwrap.wrap(one_line(" ".join(text.split())), width=width) or [""]
