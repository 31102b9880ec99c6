"""Required fields (BIB101) of a document built with BibTeX, as BibTeX reads the entry: biblatex's
``date`` and ``journaltitle`` are not its ``year`` and ``journal``; an article or a part of a
collection with a crossref asks for its author and title alone; a type the .bst does not define
is printed as its default type and asks for nothing (BIB104 says so). Held to BibTeX 0.99d's
"empty ... in KEY" warnings with plain.bst when BibTeX is installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tex_styles import require_style
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()
BIB = """@article{dated, author = {Ann Dated}, title = {T}, journaltitle = {J}, date = {2019}}
@article{part, author = {Pat Part}, title = {P}, crossref = {whole}}
@article{whole, key = {W}, journal = {Whole Journal}, year = {1990}}
@periodical{period, title = {A Periodical}, year = {2001}}
@book{fine, author = {Fay Fine}, title = {F}, year = {2002}, publisher = {Pub}}
"""
KEYS = ("dated", "part", "period", "fine")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    cite = "\\cite{" + ",".join(KEYS) + "}\n"
    (tmp_path / "bibtex.tex").write_text(
        cite + "\\bibliographystyle{plain}\n\\bibliography{refs}\n", encoding="utf-8"
    )
    (tmp_path / "biber.tex").write_text(
        "\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n" + cite, encoding="utf-8"
    )
    return tmp_path


def missing(document: str, sort: bool = False) -> dict[str, str]:
    """The BIB101 findings of a document, by key: those of required fields (BibTeX's "empty
    ... in KEY"), or with ``sort`` those of the fields it sorts by ("to sort, need ...")."""
    result = runner.invoke(
        app, ["check-citations", document, "--no-cache", "--output-format", "json"]
    )
    problems = json.loads(result.stdout)["problems"]
    return {
        str(p["key"]): str(p["message"])
        for p in problems
        if p["code"] == "BIB101" and ('warns "to sort' in p["message"]) == sort
    }


def test_as_bibtex_reads_the_entries(folder: Path) -> None:
    require_style("plain.bst")
    found = missing("bibtex.tex")
    assert set(found) == {"dated"}
    # plain.bst sorts every entry it prints, @periodical too (by author or key)
    assert set(missing("bibtex.tex", sort=True)) == {"period"}
    assert "lacks required field(s): journal, year (as BibTeX" in found["dated"]


def test_as_biber_reads_them(folder: Path) -> None:
    # biblatex's date and journaltitle are the year and journal, the crossref'd article
    # inherits its parent's journal and year, and biblatex's @periodical wants an editor
    assert set(missing("biber.tex")) == {"period"}


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_warns_of_the_same_entries(folder: Path) -> None:
    require_style("plain.bst")
    (folder / "bibtex.aux").write_text(
        "".join(f"\\citation{{{k}}}\n" for k in KEYS) + "\\bibstyle{plain}\n\\bibdata{refs}\n"
    )
    done = subprocess.run(["bibtex", "bibtex"], cwd=folder, capture_output=True, text=True)
    warned = set(re.findall(r"^Warning--empty .* in (\S+)$", done.stdout, re.M))
    assert warned == set(missing("bibtex.tex"))
    unsorted = set(re.findall(r"^Warning--to sort, need .* in (\S+)$", done.stdout, re.M))
    assert unsorted == set(missing("bibtex.tex", sort=True))
    assert 'entry type for "period" isn\'t style-file defined' in done.stdout


STYLE_BIB = """@book{nopub, author = {Ann Nopub}, title = {N}, year = {2000}}
@book{noauthor, title = {Manual of Things}, publisher = {Pub}, year = {2001}}
@mastersthesis{undefschool, author = {Sue Undef}, title = {T}, school = inst-nowhere,
  year = {2002}}
"""


def _style_findings(folder: Path, preamble: str) -> dict[str, str]:
    (folder / "refs.bib").write_text(STYLE_BIB, encoding="utf-8")
    (folder / "s.tex").write_text(
        preamble + "\\cite{nopub,noauthor,undefschool}\n\\bibliography{refs}\n", encoding="utf-8"
    )
    return missing("s.tex")


def test_the_fields_the_bst_itself_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # plain.bst (BibTeX 0.99d): "empty publisher in nopub", "empty author and editor in
    # noauthor", "empty school in undefschool" (an undefined @string is an empty field to it)
    require_style("plain.bst")
    monkeypatch.chdir(tmp_path)
    found = _style_findings(tmp_path, "\\bibliographystyle{plain}\n")
    assert set(found) == {"nopub", "noauthor", "undefschool"}
    assert "lacks required field(s): publisher (as BibTeX" in found["nopub"]
    assert "lacks required field(s): author or editor (as BibTeX" in found["noauthor"]
    assert "lacks required field(s): school (as BibTeX" in found["undefschool"]


def test_abntex2_asks_a_book_for_its_title_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # abntex2-alf.bst's FUNCTION {book} checks the title only (ABNT lists a work without
    # author by its title): BibTeX warns of none of these books
    require_style("abntex2-alf.bst")
    monkeypatch.chdir(tmp_path)
    found = _style_findings(tmp_path, "\\usepackage[alf]{abntex2cite}\n")
    assert "nopub" not in found and "noauthor" not in found


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_plain_bst_warns_of_those_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_style("plain.bst")
    monkeypatch.chdir(tmp_path)
    found = _style_findings(tmp_path, "\\bibliographystyle{plain}\n")
    (tmp_path / "s.aux").write_text(
        "\\citation{nopub}\n\\citation{noauthor}\n\\citation{undefschool}\n"
        "\\bibstyle{plain}\n\\bibdata{refs}\n"
    )
    done = subprocess.run(["bibtex", "s"], cwd=tmp_path, capture_output=True, text=True)
    warned = set(re.findall(r"^Warning--empty .* in (\S+)$", done.stdout, re.M))
    assert warned == set(found)


def test_a_type_the_bst_lacks_is_asked_what_its_default_type_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # apalike.bst prints @package as its default.type, misc, whose function checks the year:
    # "empty year in pkg" (BibTeX 0.99d); plain.bst's misc checks nothing
    require_style("apalike.bst")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(
        "@package{pkg, author = {Pat Pkg}, title = {A Package}}\n", encoding="utf-8"
    )
    for style, expected in (("apalike", {"pkg"}), ("plain", set())):
        (tmp_path / f"{style}.tex").write_text(
            f"\\cite{{pkg}}\n\\bibliographystyle{{{style}}}\n\\bibliography{{refs}}\n",
            encoding="utf-8",
        )
        found = missing(f"{style}.tex")
        assert set(found) == expected, style
    assert "lacks required field(s): year" in missing("apalike.tex")["pkg"]
