"""Two more places where pandoc reads an "@" as no citation: a numbered example's label
("(@good)" marks an example; "@good" anywhere in the document refers to it) and a code span that
runs over two lines of a paragraph (pandoc's MANUAL: "`[@foo, p.\\n33]`"). Each case's keys are
those pandoc 2.17 and 3.9 cite; the last test asks pypandoc's pandoc again."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pypandoc
import pytest

from argmap.citations.scanner import scan_span
from argmap.manuscripts.read import open_manuscript
from argmap.manuscripts.spans import Span

CASES: dict[str, tuple[str, list[str]]] = {
    # pandoc's test/markdown-reader-more.txt and MANUAL.txt use example labels so
    "example-labels": (
        "See (@good) before.\n\n(@good) An example.\n\n"
        "As (@good) shows, and (@other) is a citation, @good. too, @goodness not.\n",
        ["other", "goodness"],
    ),
    "code-span-over-two-lines": (
        "Normal citations in footnotes (such as `[@foo, p.\n33]`) and @k1.\n",
        ["k1"],
    ),
    "double-ticks-over-two-lines": ("A ``x @x1\nz`` and @k2.\n", ["k2"]),
    "no-closer-on-the-next-line": ("A `x @k1\n\nb` @k2.\n", ["k1", "k2"]),
}


def argmap_keys(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "paper.md"
    path.write_text(text, encoding="utf-8")
    keys = []
    for piece in open_manuscript(path):
        assert isinstance(piece, Span)
        keys += [found.key or found.text for found in scan_span(piece)]
    return keys


@pytest.mark.parametrize(("text", "keys"), CASES.values(), ids=CASES.keys())
def test_read_as_pandoc_reads_them(tmp_path: Path, text: str, keys: list[str]) -> None:
    assert argmap_keys(tmp_path, text) == keys


def _cited(node: Any, out: list[str]) -> list[str]:
    if isinstance(node, dict):
        if node.get("t") == "Cite":
            out += [c["citationId"] for c in node["c"][0]]
        for value in node.values():
            _cited(value, out)
    elif isinstance(node, list):
        for value in node:
            _cited(value, out)
    return out


def test_the_cases_are_what_pandoc_reads() -> None:
    pandoc = pypandoc.get_pandoc_path()
    for text, keys in CASES.values():
        ast = subprocess.run(
            [pandoc, "-f", "markdown", "-t", "json"],
            input=text,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert _cited(json.loads(ast), []) == keys, text
