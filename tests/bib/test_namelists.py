"""Names with more commas than BibTeX allows, counted as BibTeX counts them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.bib.namelists import CrowdedName, crowded_names, field_line


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            "Peter Slaughter, Matthew B. Jones, Christopher Jones, Lauren Palmer (NCEAS)",
            [
                CrowdedName(
                    1,
                    "Peter Slaughter, Matthew B. Jones, Christopher Jones, Lauren Palmer (NCEAS)",
                    3,
                )
            ],
            id="drwatson-recordr",
        ),
        pytest.param(
            "Liu, Zhenfeng, Hu, Sarah K, Caron, David",
            [CrowdedName(1, "Liu, Zhenfeng, Hu, Sarah K, Caron, David", 5)],
            id="eukulele-eukzoo",
        ),
        pytest.param(
            "Roe, Jane and Doe, John, Bauer, Kim, Lee",
            [CrowdedName(2, "Doe, John, Bauer, Kim, Lee", 4)],
            id="second-name",
        ),
        pytest.param("Roe, Jane and Doe, John and Kim, Lee", [], id="and-separated"),
        pytest.param("von Last, Jr, First and Roe, J.", [], id="two-commas-allowed"),
        pytest.param("{Barnes, Noble, and Sons, Inc.} and Roe, Jane", [], id="braced-corporate"),
        pytest.param(
            "{\\'E}mile, Zola, A, B", [CrowdedName(1, "{\\'E}mile, Zola, A, B", 3)], id="accent"
        ),
        pytest.param("Roe, Jane AND Doe, John AnD Kim, Lee", [], id="and-any-case"),
        pytest.param(
            "Roe, J.,\n  Doe, J.,\n  Kim, L.",
            [CrowdedName(1, "Roe, J., Doe, J., Kim, L.", 5)],
            id="newlines",
        ),
        pytest.param(
            "Sandand, A, B, C", [CrowdedName(1, "Sandand, A, B, C", 3)], id="and-inside-word"
        ),
    ],
)
def test_crowded_names(value: str, expected: list[CrowdedName]) -> None:
    assert crowded_names(value) == expected


def _exact(value: str) -> list[CrowdedName]:
    """The brace-aware split and count alone, without the fast path."""
    from argmap.bib.namelists import _commas_outside_braces, _split_names

    return [
        CrowdedName(i, " ".join(name.split()), _commas_outside_braces(name))
        for i, name in enumerate(_split_names(value), start=1)
        if _commas_outside_braces(name) > 2
    ]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from([*"ab, {}\n\t", " and ", " AND ", "And", ","]), max_size=40))
def test_the_fast_path_agrees_with_the_exact_split(pieces: list[str]) -> None:
    value = "".join(pieces)
    assert crowded_names(value) == _exact(value)


FIELDS = (
    "% a comment line\n"  # 1
    "@article{far,\n"  # 2
    '  title = "A {"}quoted{"} title, with, commas",\n'  # 3
    "  journal = jn # { and } # {more},\n"  # 4
    "  note = {a \\} b, c},\n"  # 5: an escaped brace, as bibtexparser reads it
    "\n"  # 6
    "  Author\n"  # 7
    "    = {Roe, Jane, Doe, John}}\n"  # 8: the line of the "="
    "@book(paren, editor = {Liu, A, Hu, B},\n"  # 9
    "  author = {Q})\n"  # 10
)


@pytest.mark.parametrize(
    ("entry_line", "field", "expected"),
    [
        pytest.param(2, "author", 8, id="far-below-the-entry"),
        pytest.param(2, "AUTHOR", 8, id="any-case"),
        pytest.param(2, "title", 3, id="first-field"),
        pytest.param(2, "editor", None, id="absent"),
        pytest.param(9, "editor", 9, id="parenthesised-entry"),
        pytest.param(9, "author", 10, id="after-a-field-on-the-entry-line"),
        pytest.param(3, "author", None, id="not-an-entry-line"),
        pytest.param(99, "author", None, id="past-the-end"),
    ],
)
def test_field_line(tmp_path: Path, entry_line: int, field: str, expected: int | None) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(FIELDS, encoding="utf-8")
    assert field_line(path, entry_line, field) == expected


def test_field_line_counts_lines_as_the_reader_does(tmp_path: Path) -> None:
    # a byte order mark and Windows line ends: lines are those of the decoded text
    path = tmp_path / "refs.bib"
    path.write_bytes(b"\xef\xbb\xbf" + FIELDS.replace("\n", "\r\n").encode())
    assert field_line(path, 2, "author") == 8


def test_field_line_of_a_file_gone_is_unknown(tmp_path: Path) -> None:
    assert field_line(tmp_path / "gone.bib", 2, "author") is None
