"""A map citation's printed form judged as a manuscript's citation of the same form is."""

from __future__ import annotations

from pathlib import Path

from argmap.base.problems import Severity
from argmap.bib.reader import load_bibliography
from argmap.checks.citations import printed_disagreement

ZOTERO = Path(__file__).parents[1] / "data" / "biblatex" / "zotero.bib"


def test_first_surname_of_a_compound_warns_naming_the_full_form() -> None:
    bib = load_bibliography(ZOTERO, use_cache=False)
    found = printed_disagreement("De la Garza y Bouzas (2000)", bib, "delagarza2000")
    assert found is not None
    severity, message = found
    assert severity is Severity.WARNING
    assert "De la Garza Toledo & Bouzas 2000" in message


def test_the_full_form_is_silent() -> None:
    bib = load_bibliography(ZOTERO, use_cache=False)
    printed = "De la Garza Toledo y Bouzas (2000)"
    assert printed_disagreement(printed, bib, "delagarza2000") is None


def test_a_particle_left_out_is_silent(tmp_path: Path) -> None:
    bib_file = tmp_path / "vb.bib"
    bib_file.write_text('@book{b, author = {von B{\\"u}low, Marisa}, title = {S}, year = {1997}}\n')
    bib = load_bibliography(bib_file, use_cache=False)
    assert printed_disagreement("Bülow (1997)", bib, "b") is None
    assert printed_disagreement("von Bülow (1997)", bib, "b") is None
