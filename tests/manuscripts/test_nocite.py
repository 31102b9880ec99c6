"""pandoc's ``nocite`` read as pandoc reads it: its keys in each form a writer gives them, ``@*``,
the last metadata block's field (``argmap.manuscripts.nocite``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.manuscripts.nocite import markdown_nocite


@pytest.mark.parametrize(
    ("front", "keys", "every"),
    [
        ("nocite: |\n  @listed, @absent\n", [("listed", 3), ("absent", 3)], False),
        ("nocite: '@a @b.'\n", [("a", 2), ("b", 2)], False),
        ('nocite:\n- "@a"\n- "@{b:c}"\n', [("a", 3), ("b:c", 4)], False),
        ('nocite: "@*"\n', [], True),
        ("nocite: mail@example.org\n", [], False),
    ],
    ids=["block", "quoted-string", "list", "every", "no-key"],
)
def test_nocite_forms(front: str, keys: list[tuple[str, int]], every: bool) -> None:
    found = markdown_nocite(Path("p.md"), f"---\n{front}title: t\n---\n\nText.\n")
    assert found is not None
    assert list(found.keys) == keys
    assert found.every is every
    assert found.line == 2


def test_a_later_blocks_nocite_replaces_the_front_matters() -> None:
    text = "---\nnocite: '@a'\n---\n\nText.\n\n---\nnocite: '@b'\n---\n"
    found = markdown_nocite(Path("p.md"), text)
    assert found is not None and list(found.keys) == [("b", 8)]
    assert markdown_nocite(Path("p.md"), "---\ntitle: t\n---\n") is None
