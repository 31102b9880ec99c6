"""Text outside the entries of a .bib file, as biber warns of it ("N characters of junk seen at
toplevel") and BibTeX and pandoc ignore it (tests/data/tools/junk, built with biber 2.18,
BibTeX 0.99d and pandoc 2.17 and 3.9: see its README)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.bib.junk import toplevel_junk
from argmap.cli.app import app

JUNK = Path(__file__).parents[1] / "data" / "tools" / "junk"
runner = CliRunner()
# biber 2.18's warnings: (line, characters of junk) by file
BIBER = {
    "refs.bib": [(3, 24), (12, 46), (18, 1)],
    "comments.bib": [(19, 45)],
    "percent.bib": [(7, 3), (15, 3)],
}


@pytest.mark.parametrize("name", sorted(BIBER))
def test_junk_is_where_biber_warns(name: str) -> None:
    found = toplevel_junk((JUNK / name).read_text(encoding="utf-8"))
    assert [(line, count) for line, count, _ in found] == BIBER[name]


def test_a_block_not_read_whole_is_never_junk() -> None:
    # a block opened with a round bracket: the text after it is not judged
    text = "@misc(a, title = {T})\nnot judged\n@misc{b, title = {U}}\n}\n@misc{c, title = {V}}\n"
    assert toplevel_junk(text) == [(5, 1, 4)]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "junk"
    shutil.copytree(JUNK, root)
    monkeypatch.chdir(root)
    return root


def findings(document: str) -> list[tuple[str, int, str]]:
    """The code, line and message of each problem check-citations reports for ``document``."""
    result = runner.invoke(
        app, ["check-citations", document, "--no-cache", "--output-format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    return [(p["code"], p["line"], p["message"]) for p in json.loads(result.stdout)["problems"]]


def test_a_biber_document_gets_bibers_warnings(folder: Path) -> None:
    found = findings("biber.tex")
    assert [(code, line) for code, line, _ in found] == [
        ("BIB225", 3),
        ("BIB225", 12),
        ("BIB225", 18),
    ]
    assert '"46 characters of junk seen at toplevel"' in found[1][2]
    assert "from line 8" in found[1][2]


@pytest.mark.parametrize("document", ["bibtex.tex", "pandoc.md"])
def test_bibtex_and_pandoc_ignore_it(folder: Path, document: str) -> None:
    if document == "bibtex.tex" and not shutil.which("kpsewhich"):
        pytest.skip("TeX Live is not installed (kpsewhich finds no plain.bst)")
    assert findings(document) == []


def test_no_junk_after_where_biber_stops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # biber 2.18: "syntax error: found "="" at line 3, "7 characters of junk" at line 3 (the
    # text before that entry), and nothing of the text after it: it reads no further
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.bib").write_text(
        "@misc{one, title = {One}}\njunk one\n@misc{a=b, title = {Two}}\njunk two\n"
        "@misc{three, title = {Three}}\n",
        encoding="utf-8",
    )
    (tmp_path / "d.tex").write_text(
        "\\usepackage{biblatex}\n\\addbibresource{r.bib}\n\\nocite{*}\n", encoding="utf-8"
    )
    found = findings("d.tex")
    assert [(code, line) for code, line, _ in found if code == "BIB225"] == [("BIB225", 3)]
    assert '"7 characters of junk seen at toplevel"' in found[-1][2]
