"""Markdown indented code blocks: the lines pandoc reads as code carry no citation; paragraph
continuations, list items, definitions and block quotes read as pandoc reads them. Each case's
keys are the citations pandoc 2.17 and 3.9 find (``pandoc -f markdown -t json``); the last test
asks the pandoc pypandoc_binary ships again."""

from __future__ import annotations

from pathlib import Path

import pytest
from pandoc_cites import argmap_keys, pandoc_keys

# text -> the keys pandoc cites in it, in order
CASES: dict[str, tuple[str, list[str]]] = {
    "after-blank": ("Para.\n\n    code [@x1] (Smith, 2000)\n\nText @k2\n", ["k2"]),
    "tab": ("Para.\n\n\tcode [@x1]\n\nText @k2\n", ["k2"]),
    "first-line": ("    code [@x1]\n\nText @k2\n", ["k2"]),
    "continuation": ("Para @k1\n    continued @k2\n", ["k1", "k2"]),
    "after-heading": ("# Head\n    code @x1\n\nText @k2\n", ["k2"]),
    "setext-heading-not-code": ("    Head @k1\n---\n\n    code @x2\n", ["k1"]),
    "code-then-text": ("Para.\n\n    code @x1\nText @k2\n", ["k2"]),
    "code-blank-code": ("Para.\n\n    code @x1\n\n    code @x2\n\nText @k3\n", ["k3"]),
    "three-spaces": ("Para.\n\n   text @k1\n", ["k1"]),
    "list-continuation": ("- item @k1\n\n    more @k2\n", ["k1", "k2"]),
    "list-code-6": ("- item @k1\n\n      code @x2\n", ["k1"]),
    "list-code-8": ("1.  item @k1\n\n        code @x2\n", ["k1"]),
    "ordered-continuation": ("1. item @k1\n\n    more @k2\n", ["k1", "k2"]),
    "after-the-list": ("- item @k1\n\nPara @k3\n\n    code @x2\n", ["k1", "k3"]),
    "lazy": ("- item @k1\nlazy @k2\n\n    more @k3\n", ["k1", "k2", "k3"]),
    "two-blank-lines-in-a-list": ("- item @k1\n\n\n    more @k2\n", ["k1", "k2"]),
    "nested-list": ("- a\n\n    - b @k1\n\n        more @k2\n", ["k1", "k2"]),
    "item-opens-with-code": ("-     code @x1\n", []),
    "definition": ("Term\n\n:   def @k1\n\n    more @k2\n", ["k1", "k2"]),
    "example-list": ("(@) item @k1\n\n    more @k2\n", ["k1", "k2"]),
    "block-quote-code": ("> quote @k1\n>\n>     code @x2\n", ["k1"]),
    "block-quote-lazy": ("> quote @k1\n    lazy @k2\n", ["k1", "k2"]),
    "after-fence": ("```\nx\n```\n    code @x1\n", []),
    "after-html-line": ("<div>\n    @x1\n</div>\n", []),
    "in-a-div": ("::: note\n    code @x1\n:::\n", []),
    "after-comment": ("<!-- c -->\n    code @x1\n", []),
    "after-a-rule": ("Para\n\n---\n\n    code @x1\n", []),
    # footnotes: the note's lines are indented four columns and are its text, not code;
    # geocompx/geocompr 12-spatial-cv.Rmd:400 ("[^13]:", a blank line, then the note indented)
    # lost its two citations to the indented-code reading (stop 24, regression R1)
    "footnote-empty-first-line": (
        "Text @k1.[^1]\n\n[^1]:\n\n    Note @k2.\n    More @k3.\n\nAfter @k4\n",
        ["k1", "k2", "k3", "k4"],
    ),
    "footnote-continued-paragraph": (
        "Text.[^1]\n\n[^1]: Note @k1.\n\n    More @k2.\n",
        ["k1", "k2"],
    ),
    "footnote-code-8": ("Text.[^1]\n\n[^1]: Note @k1.\n\n        code @x2\n", ["k1"]),
    "footnote-then-code": (
        "Text.[^1]\n\n[^1]: Note @k1.\n\nPara @k2\n\n    code @x3\n",
        ["k1", "k2"],
    ),
    "footnote-indented-marker": ("Text.[^n]\n\n  [^n]: Note @k1.\n\n    more @k2\n", ["k1", "k2"]),
    "footnote-list-inside": (
        "Text.[^1]\n\n[^1]: Note @k1.\n\n    - item @k2\n\n          code @x3\n",
        ["k1", "k2"],
    ),
    # binderh/CoxBoost README.md (knitr output): a BibTeX entry shown as indented code, which
    # argmap read as a citation of 'article'
    "readme-bibtex": (
        "If you use `CoxBoost`, please cite:\n\n    @article{Binder2008,\n"
        "      author = {Harald Binder and Martin Schumacher},\n    }\n",
        [],
    ),
}


@pytest.mark.parametrize(("text", "keys"), CASES.values(), ids=CASES.keys())
def test_indented_code_is_read_as_pandoc_reads_it(
    tmp_path: Path, text: str, keys: list[str]
) -> None:
    assert argmap_keys(tmp_path, text) == keys


def test_the_cases_are_what_pandoc_reads() -> None:
    for text, keys in CASES.values():
        assert pandoc_keys(text) == keys, text
