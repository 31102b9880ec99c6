"""AIF export: the Argument Interchange Format as AIFdb JSON (``nodes``, ``edges``, ``locutions``).

Claims and items of evidence are I-nodes (information). Every support, and every leads-to, goes
through its own RA-node (rule application: premise I-node → RA → conclusion I-node); every
attack through a CA-node (conflict). So no edge joins two I-nodes, as AIF requires. The map has
no dialogue, hence no L-nodes and an empty ``locutions`` list.
"""

from __future__ import annotations

import json

from argmap.base.sanitize import json_safe
from argmap.exporters import ExportContext
from argmap.exporters.diagram import source_line
from argmap.map.models import RelationType

SCHEMES = {
    RelationType.SUPPORTS: ("RA", "Default Inference"),
    RelationType.LEADS_TO: ("RA", "Practical Inference"),
    RelationType.ATTACKS: ("CA", "Default Conflict"),
}


def export(ctx: ExportContext) -> str:
    """The map as one AIFdb JSON object."""
    argmap, lang = ctx.map, ctx.lang
    nodes: list[dict[str, str]] = []
    edges: list[dict[str, str]] = []
    node_ids: dict[str, str] = {}

    def add_node(kind: str, text: str) -> str:
        node_id = str(len(nodes) + 1)
        nodes.append({"nodeID": node_id, "text": text, "type": kind})
        return node_id

    def link(source: str, target: str) -> None:
        edges.append({"edgeID": str(len(edges) + 1), "fromID": source, "toID": target})

    def scheme(kind: str, text: str, premise: str, conclusion: str) -> None:
        middle = add_node(kind, text)
        link(premise, middle)
        link(middle, conclusion)

    for claim in argmap.claims:
        node_ids[claim.id] = add_node("I", f"{claim.id}: {' '.join(claim.text_in(lang).split())}")
    ids = set(node_ids)
    for claim in argmap.claims:
        for ev in claim.evidence:
            text = " ".join(
                (ev.description.get(lang) or next(iter(ev.description.values()))).split()
            )
            if ev.citations:
                text += f" ({source_line(ev.citations)})"
            evidence = add_node("I", f"{ev.id}: {text}")
            scheme("RA", "Default Inference", evidence, node_ids[claim.id])
        for rel in claim.relations:
            if rel.target in ids:
                kind, name = SCHEMES[rel.type]
                scheme(kind, name, node_ids[claim.id], node_ids[rel.target])
    document = {"nodes": nodes, "edges": edges, "locutions": []}
    return json_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"
