"""Graphviz export: a DOT digraph for `dot -Tsvg`, left to right. Supports are blue arrows,
attacks red dashed lines ending in a bar, leads-to arrows bold orange; a legend under the title
says so. Evidence sits in grey note boxes; each section of the article is a dashed box.

Arrows carry no words: an edge label makes Graphviz put a rank of label nodes between every two
ranks of boxes (the shipped map was a third wider), and external labels fell on the boxes of
short edges. The legend names each style, which stays apart in grey print too."""

from __future__ import annotations

from argmap.base.sanitize import one_line
from argmap.exporters import ExportContext
from argmap.exporters.diagram import EVIDENCE, Node, diagram
from argmap.map.models import RelationType

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


LEGEND = {
    "es": "flecha azul: apoya · roja discontinua terminada en barra: objeta · "
    "naranja gruesa: conduce a",
    "en": "blue arrow: supports · red dashed ending in a bar: attacks · thick orange: leads to",
}


def quote(text: str) -> str:
    """``text`` as a DOT double-quoted string (on one line: control characters as codes)."""
    return '"' + _escaped(text) + '"'


def _escaped(text: str) -> str:
    return one_line(text).replace("\\", "\\\\").replace('"', '\\"')


def node_line(node: Node) -> str:
    """One node statement: its label left-justified, its box coloured by kind."""
    # "\l" ends a left-justified line in a DOT label.
    text = '"' + "".join(_escaped(line) + "\\l" for line in node.lines) + '"'
    if node.kind == EVIDENCE:
        attrs = 'shape=note, style=filled, fillcolor="#fafafa", color="#9e9e9e"'
    else:
        attrs = f'fillcolor="{FILLS[node.kind]}"'
    return f"{quote(node.id)} [label={text}, {attrs}];"


def export(ctx: ExportContext) -> str:
    """The map as a Graphviz digraph laid out left to right: reasons left of what they support,
    recommendations at the right, each section of the article in a box of its own.

    (Left to right, a tree is as wide as it is deep; bottom to top, the diagnosis's many
    reasons made the shipped map 4,344 px wide.)"""
    drawn = diagram(ctx)
    # "\n" (DOT's centred line break) between the quoted title and the quoted legend
    title = (
        quote(ctx.map.article.title)[:-1] + "\\n" + quote(LEGEND.get(ctx.lang, LEGEND["en"]))[1:]
    )
    out = [
        "digraph argmap {",
        f'    graph [label={title}, labelloc=t, rankdir=LR, ranksep=0.3, fontname="Helvetica"];',
        '    node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '    edge [fontname="Helvetica", fontsize=9];',
    ]
    if drawn.clusters:
        for number, cluster in enumerate(drawn.clusters, 1):
            out.append(f"    subgraph cluster_{number} {{")
            out.append(
                f"        graph [label={quote(cluster.title)}, labeljust=l, style=dashed, "
                'color="#bdbdbd", fontsize=11];'
            )
            out += [f"        {node_line(n)}" for n in drawn.nodes if n.section == cluster.id]
            out.append("    }")
    else:
        out += [f"    {node_line(n)}" for n in drawn.nodes]
    for link in drawn.links:
        if link.relation is None:
            style = 'style=dotted, color="#9e9e9e", arrowhead=none'
        else:
            style = EDGE_STYLES[link.relation]
        out.append(f"    {quote(link.source)} -> {quote(link.target)} [{style}];")
    out.append("}")
    return "\n".join(out) + "\n"
