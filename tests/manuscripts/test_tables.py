"""pandoc tables in Markdown: simple, multiline and headless tables are cut at their columns as
pandoc cuts them (a key running over a column's start is two words), and dashed lines that make
no table (no footer, no row) leave the text whole. Each case's keys are those pandoc 2.17 and 3.9
cite (``pandoc -f markdown -t json``); the last test asks pypandoc's pandoc again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandoc_cites import pandoc_keys

from argmap.citations.scanner import scan_span
from argmap.manuscripts.read import open_manuscript
from argmap.manuscripts.spans import Notice, Span
from argmap.manuscripts.tables import _may_hold_table

CASES: dict[str, tuple[str, list[str]]] = {
    "multiline": (
        "Text.\n\n-------------------------------------\nRegion     Source\n"
        "---------- --------------------------\nBurdwood   In situ [@k1]\n\n"
        "Fishe @Gaitan2016; @Martinez2022\n           more text @k3\n"
        "-------------------------------------\n\nAfter @k9.\n",
        ["k1", "Gait", "Martinez2022", "k3", "k9"],
    ),
    "headless": (
        "Text.\n\n---------- --------------------------\nBurdwood   In situ [@k4]\n"
        "Fishe @Gaitan2016; @Martinez2022\n---------- --------------------------\n\nAfter @k9.\n",
        ["k4", "Gait", "Martinez2022", "k9"],
    ),
    "headless-multiline": (
        "Text.\n\n----------- ----------------------\nBurdwood    In situ [@k5]\n"
        "            second\n\nFishe @Gaitan2016 x\n----------- ----------------------\n\n"
        "After @k9.\n",
        ["k5", "Gaita", "k9"],
    ),
    "footer-then-text": (
        "Para.\n\n  ------- --------\n  c @Martinez2022\n  ------- --------\n"
        "  d @Martinez2022\n\nAfter.\n",
        ["Marti", "Martinez2022"],
    ),
    "headless-without-footer-is-text": (
        "Text.\n\n---------- --------\nFishe @Gaitan2016\n\nAfter @k9.\n",
        ["Gaitan2016", "k9"],
    ),
    "simple-header-is-cut": (
        "Para.\n\n  @Martinez2022 in\n  ------- --------\n  a @Martinez2022\n\nAfter.\n",
        ["Martine", "Marti"],
    ),
    "simple-without-row-is-text": (
        "Para.\n\n  @Martinez2022 in\n  ------- --------\n\nAfter.\n",
        ["Martinez2022"],
    ),
}


def found(tmp_path: Path, text: str) -> tuple[list[str], list[Notice]]:
    path = tmp_path / "paper.md"
    path.write_text(text, encoding="utf-8")
    keys: list[str] = []
    notices: list[Notice] = []
    for piece in open_manuscript(path):
        if isinstance(piece, Notice):
            notices.append(piece)
        else:
            assert isinstance(piece, Span)
            keys += [f.key or f.text for f in scan_span(piece)]
    return keys, notices


@pytest.mark.parametrize(("text", "keys"), CASES.values(), ids=CASES.keys())
def test_tables_are_cut_as_pandoc_cuts_them(tmp_path: Path, text: str, keys: list[str]) -> None:
    assert found(tmp_path, text)[0] == keys


def test_a_multiline_table_cut_is_warned_with_its_line(tmp_path: Path) -> None:
    _, notices = found(tmp_path, CASES["multiline"][0])
    assert [(n.kind, n.line) for n in notices] == [("table-cut", 8)]
    assert "cuts '@Gaitan2016;' after '@Gait'" in notices[0].message


def test_the_cases_are_what_pandoc_reads() -> None:
    for text, keys in CASES.values():
        assert pandoc_keys(text) == keys, text


# What the quick test stands for: a line that starts with spaces, two dashes or more, spaces
# and two dashes (the pattern it replaced, which tried every position of the text).
_DASHED_LINE_START = re.compile(r"^ *-{2,} +-{2,}", re.MULTILINE)


@given(st.text(alphabet=" -\nx\t\r", max_size=60))
@settings(max_examples=400, deadline=None)
def test_the_quick_table_test_finds_what_the_line_start_pattern_finds(text: str) -> None:
    assert _may_hold_table(text) == bool(_DASHED_LINE_START.search(text))


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("a -- -- b\n  ---- --\n", True),
        ("a -- -- b -- --\nc -- --\n", False),
        ("\t-- --\n", False),
        ("-- --", True),
        ("--- x ---- ----\n", False),
    ],
    ids=["second-line", "never-at-start", "tab", "no-newline", "dashes-after-a-word"],
)
def test_the_quick_table_test_looks_at_line_starts(text: str, holds: bool) -> None:
    assert _may_hold_table(text) is holds
