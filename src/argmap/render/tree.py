"""The outline as a Rich tree, for the terminal."""

from __future__ import annotations

from rich.text import Text
from rich.tree import Tree

from argmap.map.vocab import words
from argmap.render.outline import ClaimNode, EvidenceView, Outline, relation_label

KIND_STYLES = {
    "diagnosis": "bold magenta",
    "thesis": "bold magenta",
    "context": "cyan",
    "premise": "blue",
    "finding": "green",
    "recommendation": "bold yellow",
    "objection": "red",
}


def claim_label(node: ClaimNode, lang: str) -> Text:
    """The heading of a claim node: relation, id, kind, locator, then its text."""
    label = Text()
    if node.relation is not None:
        label.append(f"{relation_label(node.relation, lang)} ", style="dim italic")
    label.append(node.claim.id, style="bold")
    label.append(f" {node.claim.kind}", style=KIND_STYLES.get(node.claim.kind, ""))
    label.append(f"  {node.claim.locator}", style="dim")
    if node.seen_before:
        label.append(f"  ({words(lang)['see']} {node.claim.id})", style="dim")
        return label
    if node.continuation:
        label.append(f"  ({words(lang)['continued']})", style="dim")
        return label
    if node.continues:
        label.append(f"  (↓ {words(lang)['continues']})", style="dim")
    if node.claim.reported_from:
        label.append(f"  ⟨{', '.join(node.claim.reported_from)}⟩", style="dim")
    label.append("\n")
    label.append(node.text)
    return label


def evidence_branch(parent: Tree, ev: EvidenceView, lang: str) -> None:
    """Add an evidence item and its citations under ``parent``."""
    head = Text()
    head.append(f"◇ {ev.id} ", style="bold")
    head.append(ev.kind, style="italic")
    head.append(f" — {ev.description}")
    branch = parent.add(head)
    for cite in ev.citations:
        line = Text()
        if cite.found is False:
            line.append("✗ ", style="bold red")
            line.append(cite.key, style="red")
            line.append(f"  {words(lang)['missing']}", style="red")
        else:
            line.append("✓ " if cite.found else "• ", style="green")
            line.append(cite.label or cite.key)
            if cite.label:
                line.append(f"  [{cite.key}]", style="dim")
        if cite.locator:
            line.append(f", {cite.locator}")
        branch.add(line)


def add_claim(parent: Tree, node: ClaimNode, lang: str) -> None:
    """Add ``node`` and everything beneath it under ``parent``."""
    fill(parent.add(claim_label(node, lang)), node, lang)


def fill(branch: Tree, node: ClaimNode, lang: str) -> None:
    """Add the evidence and children of ``node`` to its branch, and theirs beneath them: depth
    first on a stack of our own, as a chain thousands of claims deep must not exhaust Python's."""
    pending: list[tuple[Tree, ClaimNode]] = [(branch, node)]
    while pending:
        here, current = pending.pop()
        for ev in current.evidence:
            evidence_branch(here, ev, lang)
        # Each child's branch is made now, in order; what goes beneath it, when it is popped.
        kids = [(here.add(claim_label(child, lang)), child) for child in current.children]
        if current.hidden:
            here.add(Text(f"… {current.hidden} {words(lang)['more']}", style="dim"))
        pending.extend(reversed(kids))


def render_tree(outline: Outline, lang: str) -> Tree:
    """The whole outline as one Rich tree under the article's title."""
    top = Tree(Text(outline.title, style="bold underline"))
    for root in outline.roots:
        add_claim(top, root, lang)
    if outline.unlinked:
        rest = top.add(Text(words(lang)["unlinked"], style="bold dim"))
        for node in outline.unlinked:
            add_claim(rest, node, lang)
    for node in outline.continuations:
        add_claim(top, node, lang)
    return top
