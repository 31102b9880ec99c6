"""The argument as an outline: the tree `show` draws, built once and rendered by each format."""

from __future__ import annotations

from dataclasses import dataclass, field

from argmap.bib.model import Bibliography
from argmap.map.graph import Edge, path_from_root, reachable, root_claims, tree_edges
from argmap.map.models import ArgumentMap, Claim, Evidence, EvidenceKind, RelationType
from argmap.map.vocab import relation as relation_word


@dataclass(frozen=True)
class CitationView:
    """A citation as shown: its key, pages, and whether (and as what) the bibliography has it."""

    key: str
    locator: str | None
    printed: str
    label: str | None
    found: bool | None  # None: no bibliography was consulted


@dataclass(frozen=True)
class EvidenceView:
    """An item of evidence as shown, in the chosen language."""

    id: str
    kind: EvidenceKind
    description: str
    citations: list[CitationView]


@dataclass
class ClaimNode:
    """A claim placed in the tree: its relation to its parent, its evidence and its children."""

    claim: Claim
    text: str
    relation: RelationType | None
    evidence: list[EvidenceView] = field(default_factory=list)
    children: list[ClaimNode] = field(default_factory=list)
    seen_before: bool = False  # drawn elsewhere already: shown as a reference
    hidden: int = 0  # children cut by --depth
    on_path: bool = False  # an ancestor shown only for the path to a focused claim


@dataclass
class Outline:
    """The roots of the drawn tree, and the claims the root does not reach."""

    title: str
    roots: list[ClaimNode]
    unlinked: list[ClaimNode]
    evidence: bool = True  # evidence and citations are drawn

    def claim_ids(self) -> set[str]:
        """Every claim the outline draws (path steps and references included)."""
        ids: set[str] = set()
        stack = [*self.roots, *self.unlinked]
        while stack:
            node = stack.pop()
            ids.add(node.claim.id)
            stack.extend(node.children)
        return ids


def citation_view(
    key: str, locator: str | None, printed: str, bib: Bibliography | None
) -> CitationView:
    """How one citation is shown, labelled from its bibliography entry when there is one."""
    if bib is None:
        return CitationView(key, locator, printed, None, None)
    entry = bib.get(key)
    return CitationView(key, locator, printed, entry.label() if entry else None, entry is not None)


def evidence_view(ev: Evidence, lang: str, bib: Bibliography | None) -> EvidenceView:
    """An item of evidence in ``lang``, its citations looked up in ``bib``."""
    text = ev.description.get(lang) or next(iter(ev.description.values()))
    cites = [citation_view(c.key, c.locator, c.printed, bib) for c in ev.citations]
    return EvidenceView(ev.id, ev.kind, text, cites)


def build_outline(
    argmap: ArgumentMap,
    *,
    lang: str,
    bib: Bibliography | None = None,
    focus: str | None = None,
    depth: int | None = None,
    evidence: bool = True,
) -> Outline:
    """Walk the map from its root; a claim reached twice is drawn once and then referred to."""
    edges = tree_edges(argmap)
    claims = {c.id: c for c in argmap.claims}
    drawn: set[str] = set()

    def node(cid: str, relation: RelationType | None, level: int) -> ClaimNode:
        claim = claims[cid]
        n = ClaimNode(claim=claim, text=claim.text_in(lang), relation=relation)
        if cid in drawn:
            n.seen_before = True
            return n
        drawn.add(cid)
        if evidence:
            n.evidence = [evidence_view(ev, lang, bib) for ev in claim.evidence]
        kids = edges[cid]
        if depth is not None and level >= depth:
            n.hidden = len(kids)
            return n
        n.children = [node(e.child, e.relation, level + 1) for e in kids]
        return n

    roots: list[ClaimNode] = []
    if focus is not None:
        chain = path_from_root(argmap, focus) or [focus]
        parent: ClaimNode | None = None
        for i, cid in enumerate(chain[:-1]):
            relation = _relation(edges, chain[i - 1], cid) if i else None
            step = ClaimNode(claims[cid], claims[cid].text_in(lang), relation, on_path=True)
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
        return Outline(argmap.article.title, roots, [], evidence)

    root_list = root_claims(argmap)
    roots = [node(r.id, None, 1) for r in root_list]
    linked = set().union(*(reachable(edges, r.id) for r in root_list)) if root_list else set()
    unlinked = [
        node(c.id, None, 1) for c in argmap.claims if c.id not in linked and c.id not in drawn
    ]
    return Outline(argmap.article.title, roots, unlinked, evidence)


def _relation(edges: dict[str, list[Edge]], parent: str, child: str) -> RelationType | None:
    """The relation of the tree edge from ``parent`` to ``child``."""
    for edge in edges[parent]:
        if edge.child == child:
            return edge.relation
    return None


def relation_label(relation: RelationType, lang: str) -> str:
    """The word for a relation in the output language (English when there is none)."""
    return relation_word(relation, lang)
