"""Names with more commas than BibTeX allows, counted as BibTeX counts them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.bib.namelists import CrowdedName, crowded_names, field_line
from argmap.bib.names import commas_outside_braces, name_list


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
        pytest.param(
            "J. Zlatev, T. P. Racine, C. Sinha, and E. Itkonen",
            [CrowdedName(1, "J. Zlatev, T. P. Racine, C. Sinha,", 3, 1)],
            id="trailing-comma",
        ),
        pytest.param("A, B, C,, ", [CrowdedName(1, "A, B, C,,", 4, 2)], id="trailing-commas"),
    ],
)
def test_crowded_names(value: str, expected: list[CrowdedName]) -> None:
    assert crowded_names(value) == expected


def _exact(value: str) -> list[CrowdedName]:
    """BibTeX's split and count alone, without the fast path."""
    return [
        CrowdedName(
            i,
            " ".join(name.split()),
            commas_outside_braces(name),
            name[len(name.rstrip(", \t\n")) :].count(","),
        )
        for i, name in enumerate(name_list(value), start=1)
        if commas_outside_braces(name) > 2
    ]


# Pieces of generated name lists: braces (nested, unbalanced, around commas and "and"s), commas,
# "and" in every spelling, and "X" (what the fast path puts for a brace group).
NAME_LIST_PIECES = [*"ab, {}\n\tX", " and ", " AND ", "And", ",", ",,", "{,}", "{ and }"]
NAME_LIST_PIECES += ["\xa0and\xa0", " and and "]


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.sampled_from(NAME_LIST_PIECES),
        max_size=40,
    )
)
def test_the_fast_path_agrees_with_the_exact_split(pieces: list[str]) -> None:
    value = "".join(pieces)
    assert crowded_names(value) == _exact(value)


# Name lists whose reading BibTeX 0.99d decides: as field values of a .bib (which BibTeX trims,
# its blanks collapsed) and, for unbalanced braces, which no .bib value can hold, as strings
# of a style file.
BIB_CASES = [
    "A, B, C and and D, E, F, G",  # an empty name keeps its place
    "X and and and Y, Z, W, V",  # one blank serves two separators
    " and A, B, C, D",  # an "and" at the start of the value is part of a name
    "A, B, C, D and ",  # and at its end
    "{Roe, J.} and {Doe}, J., K, L and M, N, O, P",
    "A, B, C, D and{} E, F, G, H",  # "and" before a brace is no separator
    "A, B{ and }C, D, E",
    "A, B, C, D~and~E, F",  # nor with ties
    "A, B, C,\tD\tand\tE, F, G, H",  # tabs are blanks
    "A, B, C, D\nand\n  E, F, G, H",  # and line ends
    "A, B, C, D\rand\rE, F, G, H",
    "A, B, C, D\xa0and\xa0E, F, G, H",  # a no-break space is not
    # commas at a name's end BibTeX drops before it counts (AmandineMa/thesis's
    # "J. Zlatev, T. P. Racine, C. Sinha, and E. Itkonen"): names 1 and 2 are no error to it,
    # name 3 (three commas besides the last) is
    "J. Zlatev, T. P. Racine, C. Sinha, and A, B, C,, and A, B, C, D, E,",
    "A, B, C, D\x0cand\x0cE, F, G, H",  # nor a form feed
    "Roe, Jane AND Doe, John, Bauer, Kim, Lee",
    "Liu, Zhenfeng, Hu, Sarah K, Caron, David",
]
STYLE_CASES = [
    "A}, B, C, D and E, F}, G and H, I",  # a "}" with no "{" open is ignored
    "A, B{, C and D, E, F, G}}, H and Q, R, S, T",
    "}and A, B, C, D",
    "{A, B and C, D, E, F",  # a "{" never closed holds the rest
]


def _bibtex_reading(folder: Path) -> dict[str, tuple[int, set[int]]]:
    """For each case: how many names BibTeX counts (num.names$) and which it says have too
    many commas (format.name$ on each)."""
    show = (
        "{ \"N=\" s num.names$ 'n := n int.to.str$ * write$ newline$ #1 'i :="
        ' { i n > not } { s i "{ff}{vv}{ll}{jj}" format.name$ pop$ i #1 + \'i := } while$ }'
    )
    style = [
        "ENTRY { author } { } { }",
        "STRINGS { s }",
        "INTEGERS { n i }",
        "FUNCTION {not} { { #0 } { #1 } if$ }",
        f"FUNCTION {{show}} {show}",
        "FUNCTION {default.type} { author 's := show }",
        "FUNCTION {strings} {",
        *(f'  "{case}" \'s := show' for case in STYLE_CASES),
        "}",
        "READ",
        "ITERATE {call.type$}",
        "EXECUTE {strings}",
    ]
    (folder / "names.bst").write_text("\n".join(style) + "\n", encoding="utf-8")
    bib = "".join(f"@misc{{case{i}, author = {{{case}}}}}\n" for i, case in enumerate(BIB_CASES))
    (folder / "names.bib").write_bytes(bib.encode("utf-8"))
    (folder / "names.aux").write_text(
        "\\citation{*}\n\\bibdata{names}\n\\bibstyle{names}\n", encoding="utf-8"
    )
    done = subprocess.run(
        ["bibtex", "-terse", "names"], cwd=folder, capture_output=True, check=False
    )
    log = (folder / "names.blg").read_bytes().decode("utf-8")
    counts = [int(line[2:]) for line in (folder / "names.bbl").read_text().split()]
    cases = BIB_CASES + STYLE_CASES
    assert len(counts) == len(cases), (done.stdout, log)
    found: dict[str, tuple[int, set[int]]] = {}
    for case, count in zip(cases, counts, strict=True):
        shown = case if case in STYLE_CASES else _bibtex_value(case)
        crowded = re.findall(r"Too many commas in name (\d+) of \"" + re.escape(shown) + '"', log)
        found[case] = (count, {int(n) for n in crowded})
    return found


def _bibtex_value(case: str) -> str:
    """A field value as BibTeX keeps it: runs of its blanks one space, trimmed."""
    return re.sub(r"[ \t\n\r]+", " ", case).strip(" ")


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_names_and_crowded_positions_are_bibtexs(tmp_path: Path) -> None:
    bibtex = _bibtex_reading(tmp_path)
    ours = {
        case: (
            len(name_list(case)),
            {c.position for c in crowded_names(case) if c.commas - c.trailing > 2},
        )
        for case in BIB_CASES + STYLE_CASES
    }
    assert ours == bibtex
    assert any(crowded for _, crowded in bibtex.values())  # the log was really read


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


def test_people_are_bibtexs_names_without_the_empty_ones() -> None:
    from argmap.bib.names import split_people

    assert split_people("X and and and Y,\n  Z") == ["X", "Y, Z"]
    assert split_people(" and Roe, Jane") == ["and Roe, Jane"]
    assert len(split_people("Roe, J.\xa0and\xa0Doe, J.")) == 1  # no separator for BibTeX
    assert split_people("{Barnes and Noble} and Roe}, J. and Doe") == [
        "{Barnes and Noble}",
        "Roe}, J.",
        "Doe",
    ]
