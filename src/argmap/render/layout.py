"""The outline as a tree of styled labels (``Node``), which ``argmap.render.tree`` turns into a
Rich tree for a terminal, and its layout without styles, for output that is piped or redirected.

Rich prints a tree without styles when its output is not a terminal; importing Rich's console,
text and tree modules and passing every label through its segments costs ~45 ms, a quarter of
`argmap show`. So when Rich would print no styles (``plain_target``), the tree is laid out here
as ``rich.tree.Tree`` lays it out — the same guides, each label wrapped as ``Text.wrap`` wraps
it, with Rich's own ``divide_line`` and cell widths (``rich.cells`` and ``rich._wrap``, which
import nothing else of Rich). Tests hold the two equal, on the maps of the test data at many
widths and on generated trees of every sort of text.

May import: ``argmap.render.outline`` and what it may; Rich only as said.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping
from itertools import pairwise
from typing import IO

from argmap.map.data import ClaimLike
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

# Rich's Tree.TREE_GUIDES[0] and Tree.ASCII_GUIDES: space, continue, fork, end
GUIDES = ("    ", "│   ", "├── ", "└── ")
ASCII_GUIDES = ("    ", "|   ", "+-- ", "`-- ")
SPACE, CONTINUE, FORK, END = range(4)


class Node:
    """A label of styled pieces (text, Rich style or "" for none) and the nodes beneath it."""

    # a slotted class, not a dataclass, so that `argmap show` imports no ``dataclasses``
    __slots__ = ("children", "label")

    def __init__(self, label: list[tuple[str, str]], children: list[Node] | None = None) -> None:
        self.label = label
        self.children: list[Node] = [] if children is None else children

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and self.label == other.label
            and self.children == other.children
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq is

    def __repr__(self) -> str:
        return f"Node(label={self.label!r}, children={self.children!r})"

    def add(self, label: list[tuple[str, str]]) -> Node:
        """A new child labelled ``label``."""
        child = Node(label)
        self.children.append(child)
        return child

    @property
    def plain(self) -> str:
        """The label's text without styles."""
        return "".join(text for text, _ in self.label)


def claim_label(node: ClaimNode[ClaimLike], lang: str) -> list[tuple[str, str]]:
    """The heading of a claim node: relation, id, kind, locator, then its text."""
    label: list[tuple[str, str]] = []
    if node.relation is not None:
        label.append((f"{relation_label(node.relation, lang)} ", "dim italic"))
    label.append((node.claim.id, "bold"))
    kind_style = KIND_STYLES.get(node.claim.kind, "")
    label.append((f" {claim_kind(node.claim.kind, lang)}", kind_style))
    label.append((f"  {node.claim.locator}", "dim"))
    if node.seen_before:
        label.append((f"  ({words(lang)['see']} {node.claim.id})", "dim"))
        return label
    if node.continuation:
        label.append((f"  ({words(lang)['continued']})", "dim"))
        return label
    if node.continues:
        label.append((f"  (↓ {words(lang)['continues']})", "dim"))
    if node.claim.reported_from:
        label.append((f"  ⟨{', '.join(node.claim.reported_from)}⟩", "dim"))
    label.append(("\n", ""))
    label.append((node.text, ""))
    return label


def evidence_branch(parent: Node, ev: EvidenceView, lang: str) -> None:
    """Add an evidence item and its citations under ``parent``."""
    branch = parent.add(
        [
            (f"◇ {ev.id} ", "bold"),
            (evidence_kind(ev.kind, lang), "italic"),
            (f" — {ev.description}", ""),
        ]
    )
    for cite in ev.citations:
        line: list[tuple[str, str]] = []
        if cite.found is False:
            line.append(("✗ ", "bold red"))
            line.append((cite.key, "red"))
            line.append((f"  {words(lang)['missing']}", "red"))
        else:
            line.append(("✓ " if cite.found else "• ", "green"))
            line.append((cite.label or cite.key, ""))
            if cite.label:
                line.append((f"  [{cite.key}]", "dim"))
        if cite.locator:
            line.append((f", {cite.locator}", ""))
        branch.add(line)


def add_claim(parent: Node, node: ClaimNode[ClaimLike], lang: str) -> None:
    """Add ``node`` and everything beneath it under ``parent``."""
    fill(parent.add(claim_label(node, lang)), node, lang)


def fill(branch: Node, node: ClaimNode[ClaimLike], lang: str) -> None:
    """Add the evidence and children of ``node`` to its branch, and theirs beneath them: depth
    first on a stack of our own, as a chain thousands of claims deep must not exhaust Python's."""
    pending: list[tuple[Node, ClaimNode[ClaimLike]]] = [(branch, node)]
    while pending:
        here, current = pending.pop()
        for ev in current.evidence:
            evidence_branch(here, ev, lang)
        # Each child's branch is made now, in order; what goes beneath it, when it is popped.
        kids = [(here.add(claim_label(child, lang)), child) for child in current.children]
        if current.hidden:
            here.add([(f"… {current.hidden} {words(lang)['more']}", "dim")])
        pending.extend(reversed(kids))


def outline_tree(outline: Outline[ClaimLike], lang: str) -> Node:
    """The whole outline as one tree under the article's title."""
    title = [(outline.title, "bold underline")]
    if outline.evidence:
        title += [("\n", ""), (words(lang)["legend"], "dim")]
    top = Node(title)
    for root in outline.roots:
        add_claim(top, root, lang)
    if outline.unlinked:
        rest = top.add([(words(lang)["unlinked"], "bold dim")])
        for node in outline.unlinked:
            add_claim(rest, node, lang)
    for node in outline.continuations:
        add_claim(top, node, lang)
    return top


def plain_target(
    columns: int | None, stdout: IO[str] | None = None, environ: Mapping[str, str] | None = None
) -> tuple[int, bool] | None:
    """The width and whether only ASCII may be written, when Rich would print to ``stdout``
    (at ``columns``, else the size it detects) without styles: not a terminal, and nothing that
    makes Rich take it for one. None whenever that is not certain (then Rich prints)."""
    out = sys.stdout if stdout is None else stdout
    env = os.environ if environ is None else environ
    if sys.platform == "win32" or "FORCE_COLOR" in env or "TTY_COMPATIBLE" in env:
        return None
    if "idlelib" in sys.modules or "IPython" in sys.modules:
        return None
    try:
        if out.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    width = columns if columns is not None else _detected_width(env)
    encoding = (getattr(out, "encoding", "utf-8") or "utf-8").lower()
    return width, not encoding.startswith("utf")


def _detected_width(environ: Mapping[str, str]) -> int:
    """The width Rich's Console detects when none is given (``Console.size``): a terminal's on
    stdin, stdout or stderr, else 80; $COLUMNS when it is a number."""
    width = 0
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        width = int(columns)
    return width or 80


def plain_lines(tree: Node, width: int, ascii_only: bool = False) -> list[str] | None:
    """The lines of ``tree`` without styles, as ``rich.tree.Tree`` lays them out at ``width``;
    None when Rich would crop a line (guides wider than the line) or a label holds a tab."""
    from rich.cells import cell_len

    guides = ASCII_GUIDES if ascii_only else GUIDES
    out: list[str] = []
    levels = [CONTINUE]
    stack: list[Iterator[tuple[bool, Node]]] = [_last_flagged([tree])]
    while stack:
        try:
            last, node = next(stack[-1])
        except StopIteration:
            stack.pop()
            levels.pop()
            if levels:
                levels[-1] = FORK
            continue
        if last:
            levels[-1] = END
        prefix = levels[1:]
        room = width - 4 * len(prefix)
        if room <= 0:
            return None
        wrapped = wrap(node.plain, room)
        if wrapped is None:
            return None
        for first, (line, cells) in enumerate(wrapped):
            text = "".join(guides[level] for level in prefix) + line
            # (each guide takes four cells; a line of other than one-cell characters is
            # measured with its guides, as a joiner may join it to them)
            if (cell_len(text) if cells is None else 4 * len(prefix) + cells) > width:
                return None  # Rich would crop it
            out.append(text)
            if first == 0 and prefix:
                prefix[-1] = SPACE if last else CONTINUE
        if node.children:
            levels[-1] = SPACE if last else CONTINUE
            levels.append(END if len(node.children) == 1 else FORK)
            stack.append(_last_flagged(node.children))
    return out


_TRAILING_SPACE = re.compile(r"\s+$")
# The end of the last word (its last non-space character) that a stretch of text holds whole.
_LAST_WORD_END = re.compile(r".*\S(?=\s)", re.DOTALL)
_NON_SPACE = re.compile(r"\S")
# Characters known to take exactly one cell, as Rich measures them; filled as they come.
_ONE_CELL: set[str] = set()


def wrap(plain: str, width: int) -> list[tuple[str, int | None]] | None:
    """The lines of a label as Rich's ``Text.wrap`` gives them at ``width`` (justify "default",
    overflow "fold", as a printed Tree asks), on the plain string, each with its width in cells
    when all its characters take one cell (else None); None for a tab (expanded by Rich at its
    own stops)."""
    from rich.cells import cell_len, set_cell_size

    if "\t" in plain:
        return None
    out: list[tuple[str, int | None]] = []
    for line in plain.split("\n"):
        one_cell = _one_cell(line)
        offsets = _divide(line, width, one_cell)
        for start, end in pairwise([0, *offsets, len(line)]):
            piece = line[start:end]
            if len(piece) > width:  # Text.rstrip_end: trailing space past the width goes
                space = _TRAILING_SPACE.search(piece)
                if space is not None:
                    piece = piece[: len(piece) - min(len(space.group()), len(piece) - width)]
            if (len(piece) if one_cell else cell_len(piece)) > width:  # Text.truncate, "fold"
                piece = set_cell_size(piece, width)
            out.append((piece, len(piece) if one_cell else None))
    return out


def _divide(line: str, width: int, one_cell: bool) -> list[int]:
    """Where Rich's ``divide_line`` breaks ``line`` at ``width`` (fold on): worked out a line at
    a time, not a word at a time, when every character takes one cell (``one_cell``: a length
    in cells is then a length in characters); Rich's way took most of the time of the layout."""
    from rich._wrap import divide_line

    if not one_cell:
        return divide_line(line, width, fold=True)
    # Rich places words (a run of spaces, then of non-spaces, then of spaces) one by one: a word
    # stays on the line while its non-space part ends within the width, counted from the start
    # of the line (spaces after it may run past), else it starts the next line. So a line ends
    # after the last word whose non-space part ends within the width, and the next starts at the
    # following word.
    breaks: list[int] = []
    start, end = 0, len(line)
    while end - start > width:
        fitting = _LAST_WORD_END.match(line, start, start + width + 1)
        if fitting is None:  # a word longer than the width: Rich folds it, as it alone knows
            return divide_line(line, width, fold=True)
        following = _NON_SPACE.search(line, fitting.end())
        if following is None:  # only spaces after it: they belong to that word
            break
        start = following.start()
        breaks.append(start)
    return breaks


def _one_cell(text: str) -> bool:
    """Whether every character of ``text`` takes one cell in Rich's measure."""
    if _ONE_CELL.issuperset(text):  # (most lines: one pass in C)
        return True
    from rich.cells import cell_len

    for char in set(text).difference(_ONE_CELL):
        if cell_len(char) != 1:
            return False
        _ONE_CELL.add(char)
    return True


def _last_flagged(nodes: list[Node]) -> Iterator[tuple[bool, Node]]:
    """Each of ``nodes`` with whether it is the last."""
    for index, each in enumerate(nodes):
        yield index == len(nodes) - 1, each
