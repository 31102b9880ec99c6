"""Two more places where pandoc reads an "@" as no citation: a numbered example's label
("(@good)" marks an example; "@good" anywhere in the document refers to it) and a code span that
runs over two lines of a paragraph (pandoc's MANUAL: "`[@foo, p.\\n33]`"). Each case's keys are
those pandoc 2.17 and 3.9 cite; the last test asks pypandoc's pandoc again."""

from __future__ import annotations

from pathlib import Path

import pytest
from pandoc_cites import argmap_keys, pandoc_keys

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


@pytest.mark.parametrize(("text", "keys"), CASES.values(), ids=CASES.keys())
def test_read_as_pandoc_reads_them(tmp_path: Path, text: str, keys: list[str]) -> None:
    assert argmap_keys(tmp_path, text) == keys


def test_the_cases_are_what_pandoc_reads() -> None:
    for text, keys in CASES.values():
        assert pandoc_keys(text) == keys, text
