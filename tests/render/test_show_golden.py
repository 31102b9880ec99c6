"""`show` renderings at a fixed width, compared with golden files."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from argmap.bib.reader import load_bibliography
from argmap.map.loader import load_map
from argmap.render.outline import build_outline
from argmap.render.text import render_text
from argmap.render.tree import render_tree


@pytest.mark.parametrize("lang", ["es", "en"])
def test_tree(mini: Path, golden: Callable[[str, str], None], lang: str) -> None:
    outline = build_outline(
        load_map(mini / "arguments").map, lang=lang, bib=load_bibliography(mini / "refs.bib")
    )
    buffer = io.StringIO()
    Console(file=buffer, width=100, no_color=True, force_terminal=False).print(
        render_tree(outline, lang)
    )
    golden(f"show/mini.tree.{lang}.txt", buffer.getvalue())


@pytest.mark.parametrize("lang", ["es", "en"])
def test_text(mini: Path, golden: Callable[[str, str], None], lang: str) -> None:
    outline = build_outline(
        load_map(mini / "arguments").map, lang=lang, bib=load_bibliography(mini / "refs.bib")
    )
    golden(f"show/mini.text.{lang}.txt", render_text(outline, lang, width=100))


def test_claim_reached_twice_is_drawn_once(mini: Path) -> None:
    outline = build_outline(load_map(mini / "arguments").map, lang="en")
    text = render_text(outline, "en")
    assert text.count("Where there was a revolving fund") == 1
    assert "-> see F1" in text


def test_text_wraps_a_long_evidence_line_under_its_own_text(mini: Path) -> None:
    # a description's second line began under the "- " of its first, as if a new item
    outline = build_outline(
        load_map(mini / "arguments").map, lang="en", bib=load_bibliography(mini / "refs.bib")
    )
    lines = render_text(outline, "en", width=30).splitlines()
    first = next(i for i, line in enumerate(lines) if line.lstrip().startswith("- E2"))
    item = lines[first].index("- E2")
    follow = lines[first + 1]
    assert not follow.lstrip().startswith(("*", "-")), lines[first : first + 3]
    assert len(follow) - len(follow.lstrip()) == item + 2, lines[first : first + 3]
