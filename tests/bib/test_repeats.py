"""A field given twice read as the document's tool reads it: BibTeX 0.99d prints the first
value ("I'm ignoring KEY's extra "year" field"), biber 2.18 and pandoc (2.17, 3.9) the last
(each checked on this entry), and citations are matched with that value, from a cold read or
from the cache, whichever document filled it first."""

from __future__ import annotations

import json
import marshal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.bib.parallel import parse_first_values, parse_part
from argmap.cli.app import app

runner = CliRunner()
BIB = """@string{j = "Journal {"}J{"}"}
@article{rep,
  Author = {Ann Alpha},
  Year = {2001},
  title = {First Title},
  journal = j,
  author = {Zed Zulu},
  year = {2009},
  Title = {Second Title},
}
@article{plain, author = {Bea Beta}, title = {B}, journal = {J}, year = {2005}}
"""
TEXT = "Alpha (2001) and Zulu (2009) and Beta (2005).\n"


def test_first_values_are_read_when_asked_for() -> None:
    block = BIB.split("\n", 1)[1]
    strings = {"j": 'Journal {"}J{"}'}
    last_core, _, problems = parse_part(block, 1, strings)
    first_core, rest, _ = parse_first_values(block, 1, strings)
    assert [c[0] for c in first_core] == ["rep", "plain"]
    assert last_core[0][4] == {"author": "Zed Zulu", "year": "2009"}
    assert first_core[0][4] == {"author": "Ann Alpha", "year": "2001"}
    assert first_core[0][3] == ("alpha",)  # surnames of the first author field
    order, others = marshal.loads(rest)[0]
    assert others["title"] == "First Title" and others["journal"] == 'Journal {"}J{"}'
    assert order == ("author", "year", "title", "journal")
    assert {p[0] for p in problems} == {"duplicate-field"}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "bibtex.tex").write_text(
        TEXT + "\\bibliographystyle{plain}\n\\bibliography{refs}\n", encoding="utf-8"
    )
    (tmp_path / "biber.tex").write_text(
        "\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n" + TEXT, encoding="utf-8"
    )
    (tmp_path / "pandoc.md").write_text(
        "---\nbibliography: refs.bib\n---\n" + TEXT, encoding="utf-8"
    )
    return tmp_path


def statuses(document: str, *options: str) -> dict[str, str]:
    """Each citation of ``document`` as printed, with its status."""
    result = runner.invoke(app, ["check-citations", document, "--output-format", "json", *options])
    assert result.exit_code in (0, 1), result.output
    return {c["text"]: c["status"] for c in json.loads(result.stdout)["citations"]}


BIBTEX = {"Alpha (2001)": "ok", "Zulu (2009)": "missing", "Beta (2005)": "ok"}
LAST = {"Alpha (2001)": "missing", "Zulu (2009)": "ok", "Beta (2005)": "ok"}


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        pytest.param(
            ("bibtex.tex", "pandoc.md", "biber.tex"), (BIBTEX, LAST, LAST), id="bibtex-first"
        ),
        pytest.param(
            ("pandoc.md", "biber.tex", "bibtex.tex"), (LAST, LAST, BIBTEX), id="bibtex-last"
        ),
    ],
)
def test_each_tool_s_value_whichever_filled_the_cache(
    folder: Path, order: tuple[str, ...], expected: tuple[dict[str, str], ...]
) -> None:
    for document, wanted in zip(order, expected, strict=True):
        assert statuses(document) == wanted, document
        assert statuses(document, "--no-cache") == wanted, document  # cold, the same
    assert statuses(order[0]) == expected[0]  # warm again, after the others


def test_the_repeat_says_what_argmap_matches_with(folder: Path) -> None:
    result = runner.invoke(
        app, ["check-citations", "bibtex.tex", "--no-cache", "--output-format", "json"]
    )
    said = [p["message"] for p in json.loads(result.stdout)["problems"] if p["code"] == "BIB205"]
    assert any("argmap matches citations with the first too" in m for m in said)
