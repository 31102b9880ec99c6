"""The outline as a Rich tree, for the terminal (its labels built in ``argmap.render.layout``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from rich.tree import Tree

from argmap.render.layout import KIND_STYLES as KIND_STYLES
from argmap.render.layout import Node, outline_tree, plain_lines
from argmap.render.layout import evidence_branch as _evidence_node

if TYPE_CHECKING:
    from rich.console import Console

    from argmap.map.data import ClaimLike
    from argmap.render.outline import EvidenceView, Outline


def styled(label: list[tuple[str, str]]) -> Text:
    """A label's pieces as one Rich Text."""
    text = Text()
    for piece, style in label:
        text.append(piece, style=style or None)
    return text


def rich_tree(node: Node) -> Tree:
    """``node`` and everything beneath it as a Rich tree (on a stack: a map may nest deep)."""
    top = Tree(styled(node.label))
    pending = [(top, node)]
    while pending:
        here, current = pending.pop()
        for child in current.children:
            pending.append((here.add(styled(child.label)), child))
    return top


def evidence_branch(parent: Tree, ev: EvidenceView, lang: str) -> None:
    """Add an evidence item and its citations under ``parent``."""
    holder = Node([])
    _evidence_node(holder, ev, lang)
    (branch,) = holder.children
    here = parent.add(styled(branch.label))
    for cite in branch.children:
        here.add(styled(cite.label))


def render_tree(outline: Outline[ClaimLike], lang: str) -> Tree:
    """The whole outline as one Rich tree under the article's title."""
    return rich_tree(outline_tree(outline, lang))


def printed(node: Node, console: Console) -> str:
    """What ``console.print`` writes for the Rich tree of ``node``: laid out without Rich's
    segments when the console prints no styles (see ``argmap.render.layout``), else by Rich."""
    if console.color_system is None:
        options = console.options
        lines = plain_lines(node, options.max_width, options.ascii_only)
        if lines is not None:
            return "".join(f"{line}\n" for line in lines)
    with console.capture() as captured:
        console.print(rich_tree(node))
    return captured.get()
