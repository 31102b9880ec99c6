"""Crossrefs in a document built with BibTeX, as BibTeX 0.99d reads them: fields inherited
under their own names only (a @proceedings' title is no booktitle, a @periodical's no
journal), a crossref kept only when its parent is cited or is the crossref of at least two
cited entries (min_crossrefs; else the entry is printed whole, with what it inherited), and
the "need ... to crossref" warnings of the document's .bst. Held to BibTeX's own warnings
when it is installed."""

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
BIB = """@inproceedings{c1, author = {Alpha, Ann}, title = {Paper one}, crossref = {p1}}
@inproceedings{c2, author = {Beta, Bob}, title = {Paper two}, crossref = {p1}}
@proceedings{p1, title = {Proceedings of Things}, year = {2000}}
@incollection{i1, author = {Gamma, G}, title = {Chapter}, crossref = {b1}}
@book{b1, title = {Collected Stuff}, publisher = {Pub}, year = {2001}}
@article{a1, author = {Delta, D}, title = {Art}, crossref = {j1}}
@periodical{j1, title = {Journal of X}, year = {2002}, editor = {Eve, E}}
@inbook{ib1, author = {Zed, Z}, title = {Part}, chapter = {3}, crossref = {b1}}
@inproceedings{c3, author = {Omega, O}, title = {Lonely}, crossref = {p2}, pages = {1--2}}
@proceedings{p2, title = {Other Proc}, booktitle = {Other Proc}, year = {2003}}
"""
KEYS = ("c1", "c2", "i1", "a1", "ib1", "c3")
# BibTeX 0.99d's warnings with plain.bst, as argmap says them (by the entry they name): p1 and
# b1 are printed (each the crossref of two cited entries) and cannot be sorted
EXPECTED = {
    "to sort, need editor, organization, or key in p1",
    "to sort, need author, editor, or key in b1",
    "need editor, key, or booktitle for c1 to crossref p1",
    "need editor, key, or booktitle for c2 to crossref p1",
    "need editor, key, or booktitle for i1 to crossref b1",
    "empty volume in ib1's crossref of b1",
    "need editor, key, or series for ib1 to crossref b1",
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    require_style("plain.bst")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    cite = "\\nocite{" + ",".join(KEYS) + "}\n"
    (tmp_path / "bibtex.tex").write_text(
        cite + "\\bibliographystyle{plain}\n\\bibliography{refs}\n", encoding="utf-8"
    )
    (tmp_path / "biber.tex").write_text(
        "\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n" + cite, encoding="utf-8"
    )
    return tmp_path


def problems(document: str) -> list[dict[str, str]]:
    """The findings of ``document``."""
    result = runner.invoke(
        app, ["check-citations", document, "--no-cache", "--output-format", "json"]
    )
    return list(json.loads(result.stdout)["problems"])


def said(found: list[dict[str, str]]) -> set[str]:
    """BibTeX's words quoted by argmap's crossref findings."""
    return {
        m.group(1)
        for p in found
        if p["code"] == "BIB101" and (m := re.search(r'warns "([^"]+)"', p["message"]))
    }


def test_bibtex_document_gets_bibtex_crossref_warnings(folder: Path) -> None:
    found = problems("bibtex.tex")
    assert said(found) == EXPECTED
    plain = {
        str(p["key"]): p["message"]
        for p in found
        if p["code"] == "BIB101" and "warns" not in p["message"]
    }
    # a1's crossref is dropped (j1 is crossref'd once and not cited): printed whole, it has
    # no journal (a @periodical's title is no journal to BibTeX); b1, printed for i1 and ib1,
    # has no author or editor; c3 inherits p2's booktitle under its own name
    assert set(plain) == {"a1", "b1"}
    assert "lacks required field(s): journal" in plain["a1"]
    types = {str(p["key"]) for p in found if p["code"] == "BIB104"}
    assert types == {"j1"}  # BibTeX reads the parent and warns of its type


def test_biber_document_inherits_by_biber_mapping(folder: Path) -> None:
    found = problems("biber.tex")
    assert said(found) == set()
    # biber maps p1's title onto c1's booktitle, j1's title onto a1's journaltitle (a @book's
    # title onto no @incollection's booktitle: i1 lacks one for biber too)
    assert {p["key"] for p in found if p["code"] == "BIB101"} & set(KEYS) == {"i1"}


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_warns_as_argmap_says(folder: Path) -> None:
    (folder / "bibtex.aux").write_text(
        "".join(f"\\citation{{{k}}}\n" for k in KEYS) + "\\bibstyle{plain}\n\\bibdata{refs}\n"
    )
    done = subprocess.run(["bibtex", "bibtex"], cwd=folder, capture_output=True, text=True)
    warned = set(re.findall(r"^Warning--((?:need |empty volume |to sort, ).*)$", done.stdout, re.M))
    assert warned == EXPECTED
    empty = set(re.findall(r"^Warning--empty (?!volume).* in (\S+)$", done.stdout, re.M))
    assert empty == {"a1", "b1"}
    assert 'entry type for "j1" isn\'t style-file defined' in done.stdout


def test_apalike_sorts_proceedings_by_editor_or_key(folder: Path) -> None:
    # apalike.bst: "to sort, need editor or key in p1" (checked with BibTeX 0.99d)
    if not subprocess.run(["kpsewhich", "apalike.bst"], capture_output=True).stdout.strip():
        pytest.skip("TeX Live's apalike.bst is not installed")
    text = (folder / "bibtex.tex").read_text().replace("{plain}", "{apalike}")
    (folder / "apalike.tex").write_text(text, encoding="utf-8")
    sorts = {s for s in said(problems("apalike.tex")) if s.startswith("to sort")}
    assert sorts == {
        "to sort, need editor or key in p1",
        "to sort, need author, editor, or key in b1",
    }


def test_a_set_inherits_nothing_under_bibtex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # BibTeX knows no @set: biblatex-examples.bib's stdmodel is "to sort, need author or key in
    # stdmodel" to it (plain.bst), where biber gives the set its first member's author
    require_style("plain.bst")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(
        "@set{stdmodel, entryset = {glashow}}\n"
        "@article{glashow, author = {Glashow, Sheldon}, title = {Partial Symmetries},"
        " journal = {Nucl. Phys.}, year = {1961}}\n",
        encoding="utf-8",
    )
    (tmp_path / "d.tex").write_text(
        "\\nocite{stdmodel}\n\\bibliographystyle{plain}\n\\bibliography{refs}\n", encoding="utf-8"
    )
    assert "to sort, need author or key in stdmodel" in said(problems("d.tex"))


NESTED = """@inproceedings{c1, author = {Alpha, Ann}, title = {Paper one}, crossref = {p1}}
@proceedings{p1, title = {Proceedings of Things}, booktitle = {Proc Things}, crossref = {s1}}
@proceedings{s1, title = {Series}, year = {2000}, editor = {Ed, E}, publisher = {Pub}}
"""


def test_a_nested_crossref_is_not_followed_by_bibtex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # BibTeX 0.99d (plain.bst): "you've nested cross references--entry "c1" refers to entry
    # "p1", which also refers to something", then "empty year in c1" (s1's year not inherited)
    require_style("plain.bst")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(NESTED, encoding="utf-8")
    (tmp_path / "d.tex").write_text(
        "\\nocite{c1}\n\\bibliographystyle{plain}\n\\bibliography{refs}\n", encoding="utf-8"
    )
    found = problems("d.tex")
    [nested] = [p for p in found if p["code"] == "BIB105"]
    assert 'you\'ve nested cross references--entry "c1" refers to entry "p1"' in nested["message"]
    assert [p["key"] for p in found if p["code"] == "BIB101"] == ["c1"]
    if shutil.which("bibtex"):
        (tmp_path / "d.aux").write_text("\\citation{c1}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
        done = subprocess.run(["bibtex", "d"], cwd=tmp_path, capture_output=True, text=True)
        assert 'you\'ve nested cross references--entry "c1"' in done.stdout
        assert "Warning--empty year in c1" in done.stdout
