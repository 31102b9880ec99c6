"""The argument as an outline: the tree `show` draws, built once and rendered by each format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, NamedTuple

from argmap.base.sanitize import escape_controls
from argmap.bib.model import Bibliography
from argmap.map.data import ClaimLike, EvidenceLike, MapLike
from argmap.map.graph import Edge, path_from_root, reachable, root_claims, tree_edges
from argmap.map.kinds import EvidenceKind, RelationType
from argmap.map.vocab import relation as relation_word

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    from argmap.map.models import Claim

    # The claims an outline holds: the models' (the default: exports, browse) or the plain
    # objects `argmap show` reads (argmap.map.data).
    C = TypeVar("C", bound=ClaimLike, default=Claim)
else:
    from typing import TypeVar

    C = TypeVar("C")


# The views are NamedTuples and the nodes slotted classes, not dataclasses: `argmap show` then
# imports no ``dataclasses`` (with the ``inspect`` it brings, ~10 ms of a warm run) and makes no
# dataclass at import. Constructors, equality and repr are a dataclass's.
class CitationView(NamedTuple):
    """A citation as shown: its key, pages, and whether (and as what) the bibliography has it."""

    key: str
    locator: str | None
    printed: str
    label: str | None
    found: bool | None  # None: no bibliography was consulted


class EvidenceView(NamedTuple):
    """An item of evidence as shown, in the chosen language."""

    id: str
    kind: EvidenceKind
    description: str
    citations: list[CitationView]


_NODE_FIELDS = (
    "claim",
    "text",
    "relation",
    "evidence",
    "children",
    "seen_before",
    "hidden",
    "on_path",
    "continues",
    "continuation",
)


def _same(one: object, other: object, names: tuple[str, ...]) -> bool:
    """Whether ``one`` and ``other`` hold equal values of ``names`` (a dataclass's equality)."""
    return all(getattr(one, name) == getattr(other, name) for name in names)


def _shown(item: object, names: tuple[str, ...]) -> str:
    """``item`` shown as a dataclass's repr shows it."""
    shown = ", ".join(f"{name}={getattr(item, name)!r}" for name in names)
    return f"{type(item).__qualname__}({shown})"


class ClaimNode(Generic[C]):
    """A claim placed in the tree: its relation to its parent, its evidence and its children."""

    __slots__ = _NODE_FIELDS

    def __init__(
        self,
        claim: C,
        text: str,
        relation: RelationType | None,
        evidence: list[EvidenceView] | None = None,
        children: list[ClaimNode[C]] | None = None,
        seen_before: bool = False,  # drawn elsewhere already: shown as a reference
        hidden: int = 0,  # children cut by --depth
        on_path: bool = False,  # an ancestor shown only for the path to a focused claim
        continues: bool = False,  # nested too deep: its children are drawn in a continuation
        continuation: bool = False,  # a claim drawn again, as the head of a continuation
    ) -> None:
        self.claim = claim
        self.text = text
        self.relation = relation
        self.evidence: list[EvidenceView] = [] if evidence is None else evidence
        self.children: list[ClaimNode[C]] = [] if children is None else children
        self.seen_before = seen_before
        self.hidden = hidden
        self.on_path = on_path
        self.continues = continues
        self.continuation = continuation

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and _same(self, other, _NODE_FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq is

    def __repr__(self) -> str:
        return _shown(self, _NODE_FIELDS)


# Levels of claims drawn nested; a deeper part continues as a tree of its own after the main one,
# so that indentation (and the output) stays linear in the size of the map.
MAX_NESTING = 12


_OUTLINE_FIELDS = ("title", "roots", "unlinked", "continuations", "evidence")


class Outline(Generic[C]):
    """The roots of the drawn tree, and the claims the root does not reach."""

    __slots__ = _OUTLINE_FIELDS

    def __init__(
        self,
        title: str,
        roots: list[ClaimNode[C]],
        unlinked: list[ClaimNode[C]],
        continuations: list[ClaimNode[C]] | None = None,
        evidence: bool = True,  # evidence and citations are drawn
    ) -> None:
        self.title = title
        self.roots = roots
        self.unlinked = unlinked
        self.continuations: list[ClaimNode[C]] = [] if continuations is None else continuations
        self.evidence = evidence

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and _same(self, other, _OUTLINE_FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq is

    def __repr__(self) -> str:
        return _shown(self, _OUTLINE_FIELDS)

    def claim_ids(self) -> set[str]:
        """Every claim the outline draws (path steps, references and continuations included)."""
        ids: set[str] = set()
        stack = [*self.roots, *self.unlinked, *self.continuations]
        while stack:
            node = stack.pop()
            ids.add(node.claim.id)
            stack.extend(node.children)
        return ids


def citation_view(
    key: str, locator: str | None, printed: str, bib: Bibliography | None
) -> CitationView:
    """How one citation is shown, labelled from its bibliography entry when there is one."""
    locator = None if locator is None else escape_controls(locator)
    if bib is None:
        return CitationView(key, locator, printed, None, None)
    entry = bib.get(key)
    # The label comes from the .bib: its control characters are shown as codes, never sent.
    label = escape_controls(entry.label()) if entry else None
    return CitationView(key, locator, printed, label, entry is not None)


def evidence_view(ev: EvidenceLike, lang: str, bib: Bibliography | None) -> EvidenceView:
    """An item of evidence in ``lang``, its citations looked up in ``bib``."""
    text = escape_controls(ev.description.get(lang) or next(iter(ev.description.values())))
    cites = [citation_view(c.key, c.locator, c.printed, bib) for c in ev.citations]
    return EvidenceView(ev.id, ev.kind, text, cites)


def build_outline(
    argmap: MapLike[C],
    *,
    lang: str,
    bib: Bibliography | None = None,
    focus: str | None = None,
    depth: int | None = None,
    evidence: bool = True,
) -> Outline[C]:
    """Walk the map from its root; a claim reached twice is drawn once and then referred to."""
    edges = tree_edges(argmap)
    claims = {c.id: c for c in argmap.claims}
    drawn: set[str] = set()

    def visit(
        cid: str, relation: RelationType | None, level: int
    ) -> tuple[ClaimNode[C], list[Edge]]:
        """The node of one claim, and the edges to the children still to be placed."""
        claim = claims[cid]
        n = ClaimNode(claim=claim, text=escape_controls(claim.text_in(lang)), relation=relation)
        if cid in drawn:
            n.seen_before = True
            return n, []
        drawn.add(cid)
        if evidence:
            n.evidence = [evidence_view(ev, lang, bib) for ev in claim.evidence]
        kids = edges[cid]
        if depth is not None and level >= depth:
            n.hidden = len(kids)
            return n, []
        return n, kids

    def node(cid: str, relation: RelationType | None, level: int) -> ClaimNode[C]:
        """The subtree of ``cid``, depth first as a recursion would place it, but on a stack of
        our own: a chain thousands of claims deep must not exhaust Python's."""
        top, kids = visit(cid, relation, level)
        pending = [(top, e, level + 1) for e in reversed(kids)]
        while pending:
            parent, edge, at = pending.pop()
            child, kids = visit(edge.child, edge.relation, at)
            parent.children.append(child)
            pending.extend((child, e, at + 1) for e in reversed(kids))
        return top

    roots: list[ClaimNode[C]] = []
    if focus is not None:
        chain = path_from_root(argmap, focus) or [focus]
        parent: ClaimNode[C] | None = None
        for i, cid in enumerate(chain[:-1]):
            relation = _relation(edges, chain[i - 1], cid) if i else None
            text = escape_controls(claims[cid].text_in(lang))
            step = ClaimNode(claims[cid], text, relation, on_path=True)
            drawn.add(cid)
            if parent is None:
                roots.append(step)
            else:
                parent.children.append(step)
            parent = step
        relation = _relation(edges, chain[-2], focus) if len(chain) > 1 else None
        target = node(focus, relation, len(chain))
        if parent is None:
            roots.append(target)
        else:
            parent.children.append(target)
        title = escape_controls(argmap.article.title)
        return Outline(title, roots, [], _cut_deep(roots), evidence=evidence)

    root_list = root_claims(argmap)
    roots = [node(r.id, None, 1) for r in root_list]
    linked = set().union(*(reachable(edges, r.id) for r in root_list)) if root_list else set()
    unlinked = [
        node(c.id, None, 1) for c in argmap.claims if c.id not in linked and c.id not in drawn
    ]
    title = escape_controls(argmap.article.title)
    return Outline(title, roots, unlinked, _cut_deep([*roots, *unlinked]), evidence=evidence)


def _cut_deep(roots: list[ClaimNode[C]]) -> list[ClaimNode[C]]:
    """Cut every branch at ``MAX_NESTING`` levels: the children of a claim at that level move to
    a continuation headed by that claim again (cut in turn). Returns the continuations."""
    continuations: list[ClaimNode[C]] = []
    pending = [(node, 1) for node in reversed(roots)]
    while pending:
        node, level = pending.pop()
        if level >= MAX_NESTING and node.children:
            head = ClaimNode(node.claim, node.text, None, children=node.children, continuation=True)
            node.children = []
            node.continues = True
            continuations.append(head)
            pending.append((head, 1))
            continue
        pending.extend((child, level + 1) for child in reversed(node.children))
    return continuations


def _relation(edges: dict[str, list[Edge]], parent: str, child: str) -> RelationType | None:
    """The relation of the tree edge from ``parent`` to ``child``."""
    for edge in edges[parent]:
        if edge.child == child:
            return edge.relation
    return None


def relation_label(relation: RelationType, lang: str) -> str:
    """The word for a relation in the output language (English when there is none)."""
    return relation_word(relation, lang)
