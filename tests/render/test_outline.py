"""The outline `show` draws: its classes behave as the dataclasses they replaced."""

from __future__ import annotations

import pytest

from argmap.map.kinds import EvidenceKind


def test_nodes_compare_and_show_as_the_dataclasses_they_were() -> None:
    """The outline's classes (plain, so `show` imports no dataclasses) keep a dataclass's
    constructor defaults, equality by value, repr and (for the mutable ones) no hash."""
    from argmap.render.layout import Node
    from argmap.render.outline import CitationView, ClaimNode, EvidenceView, Outline

    cite = CitationView("k", None, "K 2001", "K 2001", True)
    assert repr(cite) == (
        "CitationView(key='k', locator=None, printed='K 2001', label='K 2001', found=True)"
    )
    view = EvidenceView("E1", EvidenceKind.STATISTICS, "d", [cite])
    one, two = ClaimNode("c", "t", None, [view]), ClaimNode("c", "t", None, [view])
    assert one == two and one.children == [] and one.children is not two.children
    two.hidden = 2
    assert one != two
    assert repr(one).startswith("ClaimNode(claim='c', text='t', relation=None, evidence=[")
    assert repr(one).endswith("on_path=False, continues=False, continuation=False)")
    outline = Outline("T", [one], [])
    assert outline == Outline("T", [ClaimNode("c", "t", None, [view])], [], [], True)
    assert outline != Outline("T", [one], [], evidence=False)
    assert repr(outline) == (
        f"Outline(title='T', roots=[{one!r}], unlinked=[], continuations=[], evidence=True)"
    )
    node = Node([("a", "")])
    assert node == Node([("a", "")], []) and node.add([("b", "")]) == Node([("b", "")])
    assert repr(Node([("a", "")])) == "Node(label=[('a', '')], children=[])"
    for mutable in (one, outline, node):
        with pytest.raises(TypeError):
            hash(mutable)
