"""Surnames folded for comparison: letters that Unicode does not decompose fold like LaTeX's."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from argmap.bib.names import fold


@pytest.mark.parametrize(
    ("printed", "latex"),
    [
        pytest.param("Aksın", r"Aks{\i}n", id="dotless-i"),
        pytest.param("Großmann", r"Gro{\ss}mann", id="eszett"),
        pytest.param("Ødegård", r"{\O}deg{\aa}rd", id="slashed-o"),
        pytest.param("Łukasiewicz", r"{\L}ukasiewicz", id="l-stroke"),
    ],
)
def test_printed_and_latex_forms_fold_alike(printed: str, latex: str) -> None:
    assert fold(printed) == fold(latex)


def _fold_the_general_way(text: str) -> str:
    """fold without its ASCII shortcut: every character decomposed and its marks dropped."""
    import re
    import unicodedata

    from argmap.bib import names

    if "\\" in text or "{" in text:
        text = names._COMMAND.sub(names._latex_letter, text).replace("{", "").replace("}", "")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    if not stripped.isascii():
        stripped = stripped.translate(names._UNDECOMPOSED)
    return " ".join(re.sub(r"[^\w\s'-]", " ", stripped).split())


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*"abcXYZ ,.-'{}\\\"`^~=&0\t\n", "\\'e", "{\\o}", "é", "ß", "ı", "\u0301", "ﬁ"]
        ),
        max_size=30,
    ).map("".join)
)
def test_fold_takes_a_shortcut_for_ascii_that_changes_nothing(text: str) -> None:
    from argmap.bib.names import fold

    assert fold(text) == _fold_the_general_way(text)


@settings(max_examples=500, deadline=None)
@given(
    raw=st.lists(
        st.sampled_from(
            [
                "Smith",
                ", John",
                " and ",
                " AND ",
                " And ",
                "and",
                "  ",
                " ",
                "\n",
                "\t",
                "\xa0",
                "{",
                "}",
                "Müller",
                "anderson",
                " andrew",
                "x",
            ]
        ),
        max_size=12,
    ).map("".join)
)
@example(raw=" AND and ")  # an upper-case "and" before a lower-case one
@example(raw="Roe aNd Doe and Sandra Andrews")  # one "and" of mixed case among lower-case ones
@example(raw="Roe and Doe")
def test_the_and_split_by_str_split_is_the_pattern_s(raw: str) -> None:
    """``_split_and`` takes ``str.split`` only where it cuts as BibTeX's "and" pattern does."""
    from argmap.bib.names import AND, _split_and

    assert _split_and(raw) == AND.split(raw)


def _quick_surnames_by_counting_every_brace(raw: str) -> tuple[str, ...]:
    """quick_surnames as it read before a name's braces were counted only when it has some
    before its comma: the reference the quicker reading is held equal to."""
    from argmap.bib.names import _split_and, person_surname, split_people

    if not raw:
        return ()
    braces = "{" in raw
    out = []
    for name in _split_and(raw):
        if not name or name.isspace():
            continue
        if braces and name.count("{") != name.count("}"):
            return tuple(fold(person_surname(name)) for name in split_people(raw))
        comma = name.find(",")
        if comma >= 0 and (not braces or name.count("{", 0, comma) == name.count("}", 0, comma)):
            out.append(fold(name[:comma].strip()))
        else:
            out.append(fold(person_surname(" ".join(name.split()))))
    return tuple(out)


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Roe", "de", "{", "}", ",", " ", "  ", " and ", " AND ", "\\'e", "Jr"]),
        max_size=14,
    ).map("".join)
)
@example("{Barnes and Noble}, Inc and Roe, A")
@example("Ko{\\v{c}}ar, W and {Roe, Ltd}, B")
@example("Roe, {A and B} and }{, C")
@example("Roe}, A and {Doe}, B")  # a name with a "}" alone, in a list with a "{"
@example("{Roe, Ltd}, A and Doe, {B, C}")  # a comma within braces, before and after the first
@example("Ko{\\v{c}}ar, W and Doe")  # braces before the comma; a name without one
def test_quick_surnames_count_braces_as_before(raw: str) -> None:
    from argmap.bib.names import quick_surnames

    assert quick_surnames(raw) == _quick_surnames_by_counting_every_brace(raw)
