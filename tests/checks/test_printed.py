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


def test_in_press_printed_for_a_dated_entry_in_press_is_silent(tmp_path: Path) -> None:
    """'(Jones, in press)' for an entry of a year and pubstate forthcoming is what the matcher
    resolves a manuscript's citation of that form to: no "gives year in press" warning (round
    27's undated citations gave it); the same printed form for a plain dated entry still
    warns."""
    bib_file = tmp_path / "p.bib"
    bib_file.write_text(
        "@misc{jones, author = {Jones, Ann}, title = {C}, year = {2020},"
        " pubstate = {forthcoming}}\n"
        "@misc{kay, author = {Kay, Ann}, title = {D}, year = {2020}}\n"
    )
    bib = load_bibliography(bib_file, use_cache=False)
    assert printed_disagreement("Jones, in press", bib, "jones") is None
    assert printed_disagreement("(Jones, en prensa)", bib, "jones") is None
    found = printed_disagreement("Kay, in press", bib, "kay")
    assert found is not None and found[0] is Severity.WARNING
