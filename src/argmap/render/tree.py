"""The outline as a Rich tree, for the terminal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import TYPE_CHECKING

from rich.text import Text
from rich.tree import Tree

if TYPE_CHECKING:
    from rich.console import Console

from argmap.map.vocab import claim_kind, evidence_kind, words
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
    kind_style = KIND_STYLES.get(node.claim.kind, "")
    label.append(f" {claim_kind(node.claim.kind, lang)}", style=kind_style)
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
    head.append(evidence_kind(ev.kind, lang), style="italic")
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
    title = Text()
    title.append(outline.title, style="bold underline")
    if outline.evidence:
        title.append("\n")
        title.append(words(lang)["legend"], style="dim")
    top = Tree(title)
    for root in outline.roots:
        add_claim(top, root, lang)
    if outline.unlinked:
        rest = top.add(Text(words(lang)["unlinked"], style="bold dim"))
        for node in outline.unlinked:
            add_claim(rest, node, lang)
    for node in outline.continuations:
        add_claim(top, node, lang)
    return top


def printed(tree: Tree, console: Console) -> str:
    """What ``console.print(tree)`` writes.

    Without styles (the console has no colour system: output piped or redirected), the tree is
    laid out here as Rich's ``Tree`` lays it out — the same guides, each label wrapped as Rich's
    ``Text.wrap`` wraps it (with Rich's own ``divide_line`` and cell widths) to the width its
    guides leave — without Rich's segments and styled Text objects, which took ~30 ms of
    `show`'s ~200. Anything this does not cover (a terminal's styles, a line
    Rich would crop, a label that is not Text) is printed by Rich itself. Tests hold the two
    equal.
    """
    if console.color_system is None:
        lines = _plain_lines(tree, console)
        if lines is not None:
            return "".join(f"{line}\n" for line in lines)
    with console.capture() as captured:
        console.print(tree)
    return captured.get()


def _plain_lines(tree: Tree, console: Console) -> list[str] | None:
    """The lines of ``tree`` without styles, following ``Tree.__rich_console__``; None when it
    holds anything that layout does not cover."""
    from rich.cells import cell_len

    options = console.options
    width = options.max_width
    guides = Tree.ASCII_GUIDES if options.ascii_only else Tree.TREE_GUIDES[0]
    space, cont, fork, end = range(4)
    out: list[str] = []
    levels = [cont]
    stack: list[Iterator[tuple[bool, Tree]]] = [_last_flagged([tree])]
    while stack:
        try:
            last, node = next(stack[-1])
        except StopIteration:
            stack.pop()
            levels.pop()
            if levels:
                levels[-1] = fork
            continue
        label = node.label
        if not isinstance(label, Text) or not node.expanded or tree.hide_root:
            return None
        if last:
            levels[-1] = end
        prefix = levels[1:]
        room = width - 4 * len(prefix)
        if room <= 0:
            return None
        wrapped = _wrapped(label, room)
        if wrapped is None:
            return None
        for first, line in enumerate(wrapped):
            text = "".join(guides[level] for level in prefix) + line
            if cell_len(text) > width:
                return None  # Rich would crop it
            out.append(text)
            if first == 0 and prefix:
                prefix[-1] = space if last else cont
        if node.children:
            levels[-1] = space if last else cont
            levels.append(end if len(node.children) == 1 else fork)
            stack.append(_last_flagged(node.children))
    return out


_TRAILING_SPACE = re.compile(r"\s+$")


def _wrapped(label: Text, width: int) -> list[str] | None:
    """The lines of ``label`` as Rich's ``Text.wrap`` gives them at ``width`` (with the
    defaults a printed Tree gives it: justify "default", overflow "fold"), on the plain string;
    None for what this does not cover (tabs, a label's own justify, overflow or no_wrap)."""
    from rich._wrap import divide_line
    from rich.cells import cell_len, set_cell_size

    plain = label.plain
    if "\t" in plain or label.justify or label.overflow or label.no_wrap is not None:
        return None
    out: list[str] = []
    for line in plain.split("\n"):
        offsets = divide_line(line, width, fold=True)
        for start, end in pairwise([0, *offsets, len(line)]):
            piece = line[start:end]
            if len(piece) > width:  # Text.rstrip_end: trailing space past the width goes
                space = _TRAILING_SPACE.search(piece)
                if space is not None:
                    piece = piece[: len(piece) - min(len(space.group()), len(piece) - width)]
            if cell_len(piece) > width:  # Text.truncate, overflow "fold"
                piece = set_cell_size(piece, width)
            out.append(piece)
    return out


def _last_flagged(trees: list[Tree]) -> Iterator[tuple[bool, Tree]]:
    """Each of ``trees`` with whether it is the last."""
    for index, each in enumerate(trees):
        yield index == len(trees) - 1, each
