"""The outline as plain indented text: no colour, no box drawing, stable for diffs and pipes."""

from __future__ import annotations

import textwrap

from argmap.map.data import ClaimLike
from argmap.map.vocab import claim_kind, evidence_kind, words
from argmap.render.outline import ClaimNode, Outline, relation_label


def render_text(outline: Outline[ClaimLike], lang: str, width: int = 100) -> str:
    """The outline as indented plain text wrapped at ``width`` columns."""
    out: list[str] = [outline.title, ""]

    def wrap(text: str, indent: str, hang: str = "") -> None:
        """``text`` wrapped at ``indent``, its lines after the first ``hang`` further in."""
        out.extend(
            textwrap.wrap(
                text,
                width=max(width, len(indent) + 20),  # the width includes the indent
                initial_indent=indent,
                subsequent_indent=indent + hang,
            )
            or [indent]
        )

    def claim(top: ClaimNode[ClaimLike], top_level: int) -> None:
        # Depth first on a stack of our own (a deep chain must not exhaust Python's): a node,
        # or the "... N more" line that follows its children.
        pending: list[tuple[ClaimNode[ClaimLike], int, bool]] = [(top, top_level, False)]
        while pending:
            node, level, after_children = pending.pop()
            pad = "  " * level
            if after_children:
                out.append(f"{pad}  ... {node.hidden} {words(lang)['more']}")
                continue
            rel = f"{relation_label(node.relation, lang)}: " if node.relation else ""
            kind = claim_kind(node.claim.kind, lang)
            head = f"{pad}{rel}[{node.claim.id}] {kind} ({node.claim.locator})"
            if node.seen_before:
                out.append(f"{head} -> {words(lang)['see']} {node.claim.id}")
                continue
            if node.continuation:
                out.append(f"{head} ({words(lang)['continued']})")
                pending.extend((child, level + 1, False) for child in reversed(node.children))
                continue
            if node.continues:
                head += f" ({words(lang)['continues']})"
            if node.claim.reported_from:
                head += f" <{', '.join(node.claim.reported_from)}>"
            out.append(head)
            wrap(node.text, pad + "    ")
            for ev in node.evidence:
                kind = evidence_kind(ev.kind, lang)
                # a long description goes on under its own text, not under the "- "
                wrap(f"- {ev.id} ({kind}): {ev.description}", pad + "    ", "  ")
                for cite in ev.citations:
                    if cite.found is False:
                        mark = f"MISSING {cite.key}"
                    else:
                        mark = f"{cite.label} [{cite.key}]" if cite.label else cite.key
                    loc = f", {cite.locator}" if cite.locator else ""
                    out.append(f"{pad}        * {mark}{loc}")
            if node.hidden:
                pending.append((node, level, True))
            pending.extend((child, level + 1, False) for child in reversed(node.children))

    for root in outline.roots:
        claim(root, 0)
    if outline.unlinked:
        out.append("")
        out.append(words(lang)["unlinked"])
        for node in outline.unlinked:
            claim(node, 1)
    for node in outline.continuations:
        out.append("")
        claim(node, 0)
    return "\n".join(out) + "\n"
