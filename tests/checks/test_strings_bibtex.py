"""Undefined @strings (BIB206) in a document built with BibTeX, as BibTeX 0.99d says them: only
in the entries it reads (those cited: "string name ... is undefined" for them alone, where
biber warns of every entry), and not for a name the .bst defines as a MACRO (plain.bst's
months and journals, abnTeX2's); abnTeX2's citation package names its own .bst."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tex_styles import require_style
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.project.styles import latex_style

runner = CliRunner()
BIB = """@misc{cited, author = {Ann Cited}, title = {C}, year = {2000}, journal = cacm}
@misc{uncited, author = {Bob Uncited}, title = {U}, year = {2001}, month = yyy}
@misc{also, author = {Cy Also}, title = {A}, year = {2002}, month = zzz}
"""


def undefined(folder: Path, preamble: str) -> set[str]:
    """The keys of the BIB206 findings of a document citing 'cited' and 'also'."""
    (folder / "refs.bib").write_text(BIB, encoding="utf-8")
    (folder / "d.tex").write_text(preamble + "\\cite{cited,also}\n", encoding="utf-8")
    result = runner.invoke(
        app, ["check-citations", "d.tex", "--no-cache", "--output-format", "json"]
    )
    return {str(p["key"]) for p in json.loads(result.stdout)["problems"] if p["code"] == "BIB206"}


def test_bibtex_says_nothing_of_uncited_entries_nor_of_its_macros(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_style("plain.bst")
    monkeypatch.chdir(tmp_path)
    # plain.bst has MACRO {cacm}; 'uncited' is not read; 'also' is BibTeX's "string name
    # "zzz" is undefined"
    assert undefined(tmp_path, "\\bibliographystyle{plain}\n\\bibliography{refs}\n") == {"also"}


def test_with_nocite_star_bibtex_reads_every_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_style("plain.bst")
    monkeypatch.chdir(tmp_path)
    # \\nocite{*}: BibTeX reads (and prints) every entry, so it warns "string name "yyy" is
    # undefined" for 'uncited' too
    preamble = "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\nocite{*}\n"
    assert undefined(tmp_path, preamble) == {"uncited", "also"}


def test_biber_warns_of_every_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # biber 2.18: 'undefined macro "yyy"' for the uncited entry too
    found = undefined(tmp_path, "\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n")
    assert found == {"cited", "uncited", "also"}


@pytest.mark.parametrize(
    ("options", "style"),
    [("[alf]", "abntex2-alf"), ("[num,abnt-etal-cite=0]", "abntex2-num"), ("", "abntex2-num")],
)
def test_abntex2cite_names_its_ownrequire_style(options: str, style: str) -> None:
    assert latex_style([f"\\usepackage{options}{{abntex2cite}}"], "bibtex") == style
    lines = ["\\usepackage[alf]{abntex2cite}", "\\bibliographystyle{plain}"]
    assert latex_style(lines, "bibtex") == "plain"  # its \\bibliographystyle is obeyed


def test_abntex2_types_and_months_are_the_styles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_style("abntex2-alf.bst")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(
        "@monography{m, author = {Ana Silva}, title = {T}, school = {U}, year = {2010}, "
        "month = dec}\n@journalpart{j, title = {J}, year = {2011}}\n",
        encoding="utf-8",
    )
    (tmp_path / "d.tex").write_text(
        "\\usepackage[alf]{abntex2cite}\n\\cite{m,j}\n\\bibliography{refs}\n", encoding="utf-8"
    )
    result = runner.invoke(
        app, ["check-citations", "d.tex", "--no-cache", "--output-format", "json"]
    )
    codes = {p["code"] for p in json.loads(result.stdout)["problems"]}
    assert "BIB104" not in codes  # abntex2-alf.bst has FUNCTION {monography}, {journalpart}


def test_bibtex_reads_only_the_fields_its_style_declares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # plain.bst's ENTRY has no acknowledgement: BibTeX 0.99d says nothing of the undefined
    # @string in it (Beebe's files write "acknowledgement = ack-nhfb"), biber warns
    require_style("plain.bst")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(
        "@misc{ack, author = {Ann Ack}, title = {A}, year = {2000}, acknowledgement = ack-nhfb,"
        " note = nope}\n",
        encoding="utf-8",
    )
    (tmp_path / "d.tex").write_text(
        "\\cite{ack}\n\\bibliographystyle{plain}\n\\bibliography{refs}\n", encoding="utf-8"
    )
    result = runner.invoke(
        app, ["check-citations", "d.tex", "--no-cache", "--output-format", "json"]
    )
    said = [p["message"] for p in json.loads(result.stdout)["problems"] if p["code"] == "BIB206"]
    assert said == [
        "field 'note' of 'ack' uses undefined @string 'nope': BibTeX warns (\"string name "
        '"nope" is undefined") and leaves it out: \'ack\' prints without its note'
    ]
