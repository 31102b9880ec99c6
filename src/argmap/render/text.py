"""The outline as plain indented text: no colour, no box drawing, stable for diffs and pipes."""

from __future__ import annotations

import textwrap

from argmap.map.vocab import claim_kind, evidence_kind, words
from argmap.render.outline import ClaimNode, Outline, relation_label


def render_text(outline: Outline, lang: str, width: int = 100) -> str:
    """The outline as indented plain text wrapped at ``width`` columns."""
    out: list[str] = [outline.title, ""]

    def wrap(text: str, indent: str) -> None:
        out.extend(
            textwrap.wrap(
                text,
                width=max(width - len(indent), 20),
                initial_indent=indent,
                subsequent_indent=indent,
            )
            or [indent]
        )

    def claim(node: ClaimNode, level: int) -> None:
        pad = "  " * level
        rel = f"{relation_label(node.relation, lang)}: " if node.relation else ""
        kind = claim_kind(node.claim.kind, lang)
        head = f"{pad}{rel}[{node.claim.id}] {kind} ({node.claim.locator})"
        if node.seen_before:
            out.append(f"{head} -> {words(lang)['see']} {node.claim.id}")
            return
        if node.claim.reported_from:
            head += f" <{', '.join(node.claim.reported_from)}>"
        out.append(head)
        wrap(node.text, pad + "    ")
        for ev in node.evidence:
            wrap(f"- {ev.id} ({evidence_kind(ev.kind, lang)}): {ev.description}", pad + "    ")
            for cite in ev.citations:
                if cite.found is False:
                    mark = f"MISSING {cite.key}"
                else:
                    mark = f"{cite.label} [{cite.key}]" if cite.label else cite.key
                loc = f", {cite.locator}" if cite.locator else ""
                out.append(f"{pad}        * {mark}{loc}")
        for child in node.children:
            claim(child, level + 1)
        if node.hidden:
            out.append(f"{pad}  ... {node.hidden} {words(lang)['more']}")

    for root in outline.roots:
        claim(root, 0)
    if outline.unlinked:
        out.append("")
        out.append(words(lang)["unlinked"])
        for node in outline.unlinked:
            claim(node, 1)
    return "\n".join(out) + "\n"
