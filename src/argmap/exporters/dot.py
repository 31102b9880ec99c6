"""Graphviz export: a DOT digraph for `dot -Tsvg`. Supports are solid arrows, attacks red dashed
lines ending in a bar, leads-to arrows bold; evidence sits in grey note boxes."""

from __future__ import annotations

from argmap.base.sanitize import one_line
from argmap.exporters import ExportContext
from argmap.exporters.diagram import EVIDENCE, diagram
from argmap.map.models import RelationType
from argmap.map.vocab import relation

FILLS = {
    "diagnosis": "#f3e5f5",
    "thesis": "#f3e5f5",
    "context": "#e0f7fa",
    "premise": "#e3f2fd",
    "finding": "#e8f5e9",
    "recommendation": "#fff8e1",
    "objection": "#ffebee",
}

EDGE_STYLES = {
    RelationType.SUPPORTS: 'color="#1565c0"',
    RelationType.ATTACKS: 'color="#c62828", style=dashed, arrowhead=tee',
    RelationType.LEADS_TO: 'color="#ff8f00", style=bold',
}


def quote(text: str) -> str:
    """``text`` as a DOT double-quoted string (on one line: control characters as codes)."""
    return '"' + _escaped(text) + '"'


def _escaped(text: str) -> str:
    return one_line(text).replace("\\", "\\\\").replace('"', '\\"')


def export(ctx: ExportContext) -> str:
    """The map as a Graphviz digraph laid out bottom to top: reasons below what they support."""
    nodes, links = diagram(ctx.map, ctx.lang)
    out = [
        "digraph argmap {",
        f"    graph [label={quote(ctx.map.article.title)}, labelloc=t, rankdir=BT, "
        'fontname="Helvetica"];',
        '    node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '    edge [fontname="Helvetica", fontsize=9];',
    ]
    for node in nodes:
        # "\l" ends a left-justified line in a DOT label.
        text = '"' + "".join(_escaped(line) + "\\l" for line in node.lines) + '"'
        if node.kind == EVIDENCE:
            attrs = 'shape=note, style=filled, fillcolor="#fafafa", color="#9e9e9e"'
        else:
            attrs = f'fillcolor="{FILLS[node.kind]}"'
        out.append(f"    {quote(node.id)} [label={text}, {attrs}];")
    for link in links:
        if link.relation is None:
            style = 'style=dotted, color="#9e9e9e", arrowhead=none'
        else:
            style = (
                f"label={quote(relation(link.relation, ctx.lang))}, {EDGE_STYLES[link.relation]}"
            )
        out.append(f"    {quote(link.source)} -> {quote(link.target)} [{style}];")
    out.append("}")
    return "\n".join(out) + "\n"
