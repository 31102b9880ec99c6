"""Surnames folded for comparison: letters that Unicode does not decompose fold like LaTeX's."""

from __future__ import annotations

import pytest

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
