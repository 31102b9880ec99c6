"""Mermaid export: a flowchart that renders wherever Markdown renders Mermaid (GitHub, GitLab,
Obsidian, mermaid-cli). Supports are plain arrows, attacks end in a cross, leads-to arrows are
thick; evidence hangs in rounded boxes."""

from __future__ import annotations

import json
import re

from argmap.base.sanitize import one_line
from argmap.exporters import ExportContext
from argmap.exporters.diagram import EVIDENCE, diagram
from argmap.map.models import RelationType
from argmap.map.vocab import relation

ARROWS = {
    RelationType.SUPPORTS: "-->",
    RelationType.ATTACKS: "--x",
    RelationType.LEADS_TO: "==>",
}

CLASSES = {
    "diagnosis": "fill:#f3e5f5,stroke:#6a1b9a,stroke-width:2px",
    "thesis": "fill:#f3e5f5,stroke:#6a1b9a,stroke-width:2px",
    "context": "fill:#e0f7fa,stroke:#00838f",
    "premise": "fill:#e3f2fd,stroke:#1565c0",
    "finding": "fill:#e8f5e9,stroke:#2e7d32",
    "recommendation": "fill:#fff8e1,stroke:#ff8f00,stroke-width:2px",
    "objection": "fill:#ffebee,stroke:#c62828",
    EVIDENCE: "fill:#fafafa,stroke:#9e9e9e,stroke-dasharray:3 3",
}

_ENTITIES = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "#": "#35;"}
_ENTITY_RE = re.compile(r'["<>&#]')


def label(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes, brackets and ``#`` as entity codes."""
    return _ENTITY_RE.sub(lambda m: _ENTITIES[m.group(0)], text)


def node_id(name: str) -> str:
    """A Mermaid node id for a map id: prefixed (so ``end`` is safe), dots and dashes as ``_``."""
    return "n_" + re.sub(r"[^A-Za-z0-9_]", lambda m: f"_{ord(m.group(0)):x}_", name)


def export(ctx: ExportContext) -> str:
    """The map as a Mermaid flowchart, the root at the top of what it leads to."""
    nodes, links = diagram(ctx.map, ctx.lang)
    out = [
        "---",
        f"title: {json.dumps(one_line(ctx.map.article.title), ensure_ascii=False)}",
        "---",
        "flowchart BT",
    ]
    for node in nodes:
        text = "<br/>".join(label(line) for line in node.lines)
        open_, close = ("([", "])") if node.kind == EVIDENCE else ('["', '"]')
        if node.kind == EVIDENCE:
            text = f'"{text}"'
        out.append(f"    {node_id(node.id)}{open_}{text}{close}:::{node.kind}")
    for link in links:
        src, dst = node_id(link.source), node_id(link.target)
        if link.relation is None:
            out.append(f"    {src} -.-> {dst}")
        else:
            out.append(
                f"    {src} {ARROWS[link.relation]}|{relation(link.relation, ctx.lang)}| {dst}"
            )
    used = {node.kind for node in nodes}
    for kind, style in CLASSES.items():
        if kind in used:
            out.append(f"    classDef {kind} {style}")
    return "\n".join(out) + "\n"
