"""Argdown export: claims as statements, evidence as arguments, relations as support and attack.

Each claim is a statement ``[ID]: text #kind {data}``; each item of evidence an argument
``<ID>: description (sources)``. A claim's reasons and evidence are listed beneath it (``+``
supports, ``-`` attacks); what a claim leads to is an outgoing support (``+>``), since Argdown
has no separate "leads to". The locator, attribution and sources travel in each element's data.
"""

from __future__ import annotations

import json
import re

from argmap.base.sanitize import json_safe, one_line
from argmap.exporters import ExportContext
from argmap.exporters.diagram import source_line
from argmap.map.models import RelationType

_SPECIAL = re.compile(r"([\\\[\]<>{}#*_/@])")


def escape(text: str) -> str:
    """``text`` on one line, Argdown's markup characters backslash-escaped, control characters
    written as codes."""
    return _SPECIAL.sub(r"\\\1", one_line(" ".join(text.split())))


def data(values: dict[str, object]) -> str:
    """An Argdown data block: a YAML flow mapping, written as JSON (which YAML reads)."""
    return json_safe(json.dumps(values, ensure_ascii=False))


def export(ctx: ExportContext) -> str:
    """The map as an Argdown document."""
    argmap, lang = ctx.map, ctx.lang
    ids = {c.id for c in argmap.claims}
    incoming: dict[str, list[str]] = {c.id: [] for c in argmap.claims}
    for claim in argmap.claims:
        for rel in claim.relations:
            if rel.target in ids and rel.type is not RelationType.LEADS_TO:
                sign = "+" if rel.type is RelationType.SUPPORTS else "-"
                incoming[rel.target].append(f"  {sign} [{claim.id}]")
    out = [
        "===",
        f"title: {json.dumps(one_line(argmap.article.title), ensure_ascii=False)}",
        f"lang: {lang}",
        "===",
        "",
        f"# {escape(argmap.article.title)}",
        "",
    ]
    for claim in argmap.claims:
        meta: dict[str, object] = {
            "kind": claim.kind.value,
            "section": claim.locator.section,
            "paragraph": claim.locator.paragraph,
        }
        if claim.reported_from:
            meta["reported_from"] = claim.reported_from
        out.append(f"[{claim.id}]: {escape(claim.text_in(lang))} #{claim.kind.value} {data(meta)}")
        out.extend(incoming[claim.id])
        out.extend(f"  + <{ev.id}>" for ev in claim.evidence)
        out.extend(
            f"  +> [{rel.target}]"
            for rel in claim.relations
            if rel.type is RelationType.LEADS_TO and rel.target in ids
        )
        out.append("")
    for claim in argmap.claims:
        for ev in claim.evidence:
            text = escape(ev.description.get(lang) or next(iter(ev.description.values())))
            if ev.citations:
                text += f" ({escape(source_line(ev.citations))})"
            meta = {
                "kind": ev.kind.value,
                "sources": [
                    {"key": c.key, "locator": c.locator, "stance": c.stance.value}
                    for c in ev.citations
                ],
            }
            out.append(f"<{ev.id}>: {text} #evidence {data(meta)}")
            out.append("")
    return "\n".join(out)
