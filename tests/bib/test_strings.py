"""A repeated @string: silent when its value is the same; a warning naming both values when it
differs, and the last definition used, as BibTeX 0.99d, biber 2.18 and pandoc do."""

from __future__ import annotations

from pathlib import Path

from argmap.base.severity import Severity
from argmap.bib.sources import read_bibliographies, read_one
from argmap.bib.strings import resolve_strings

ENTRY = "@article{a1, author = {A. Smith}, title = {T}, journal = CSR, year = 2000}\n"


def test_an_identical_redefinition_is_no_problem(tmp_path: Path) -> None:
    # DE-RSE/positions and KitchinHUB/kitchingroup-55 repeat their abbreviation blocks so
    bib = tmp_path / "refs.bib"
    bib.write_text('@string{CSR="Chem. Soc. Rev."}\n@string{csr = {Chem. Soc. Rev.}}\n' + ENTRY)
    read = read_one(bib, use_cache=False)
    assert read.problems == []
    assert read.entries["a1"].get("journal") == "Chem. Soc. Rev."


def test_a_redefinition_with_another_value_is_a_warning_and_the_last_is_used(
    tmp_path: Path,
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        '@String{CSR = "Chemical Society Reviews" }\n@String{CSR = "Chem. Soc. Rev." }\n' + ENTRY
    )
    read = read_one(bib, use_cache=False)
    [problem] = read.problems
    assert (problem.kind, problem.severity, problem.line) == (
        "duplicate-string",
        Severity.WARNING,
        2,
    )
    assert "'csr' is defined again with another value" in problem.message
    assert '"Chemical Society Reviews" at line 1' in problem.message
    assert "duplicate key" not in problem.message
    # BibTeX's .bbl prints "Chem. Soc. Rev.", the last definition
    assert read.entries["a1"].get("journal") == "Chem. Soc. Rev."


def test_a_string_redefined_in_a_later_file_is_used_for_that_file(tmp_path: Path) -> None:
    first = tmp_path / "a.bib"
    first.write_text(
        "@string{cup = {Cambridge University Press}}\n"
        "@book{a, author = {R, A}, title = {T}, year = 1, publisher = cup}\n"
    )
    other = tmp_path / "b.bib"
    other.write_text(
        "@string{cup = {CUP}}\n@book{b, author = {R, A}, title = {T}, year = 1, publisher = cup}\n"
    )
    found = read_bibliographies([first, other], use_cache=False)
    assert [(p.kind, p.severity, p.source, p.line) for p in found.problems] == [
        ("duplicate-string", Severity.WARNING, str(other), 1)
    ]
    assert "read before this one" in found.problems[0].message
    # bibtex with \bibdata{a,b}: each entry takes the definition in force where it is read
    assert found.entries["a"].get("publisher") == "Cambridge University Press"
    assert found.entries["b"].get("publisher") == "CUP"


def test_a_string_referring_to_a_redefined_one_takes_the_last_value() -> None:
    resolved, problems = resolve_strings(
        [("j", '"Old"', 1), ("j", '"New"', 2), ("full", 'j # " Journal"', 3)]
    )
    assert resolved["full"] == "New Journal"
    assert [p[0] for p in problems] == ["duplicate-string"]


def test_many_redefinitions_in_a_file_are_one_warning(tmp_path: Path) -> None:
    # DE-RSE/positions references.bib: full journal names, then their abbreviations ("the 2nd
    # overwrites the 1st"), 61 pairs
    pairs = "".join(
        f'@String{{J{i} = "Journal {i}" }}\n@String{{J{i} = "J. {i}" }}\n' for i in range(8)
    )
    bib = tmp_path / "refs.bib"
    bib.write_text(pairs + "@article{a, author = {A, B}, title = {T}, journal = J3, year = 1}\n")
    read = read_one(bib, use_cache=False)
    [problem] = read.problems
    assert (problem.kind, problem.line) == ("duplicate-string", 2)
    assert problem.message.startswith("8 @strings are defined again with another value: 'j0'")
    assert "'j1' (line 4)" in problem.message and "and 2 more" in problem.message
    assert read.entries["a"].get("journal") == "J. 3"
