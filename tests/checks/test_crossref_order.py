"""A crossref parent placed before its child, in a document built with BibTeX: BibTeX 0.99d
reads the files of ``\\bibliography{a,b}`` in order and keeps only the entries on its list of
citations when it reaches them, so a parent not cited and placed before every cited entry that
crossrefs it is not found ("A bad cross reference") and the child inherits nothing; biber and
pandoc read the whole file first. The cases are tests/data/tools/order (see its README), each
with what BibTeX 0.99d said of it with plain.bst; held to BibTeX itself when it is installed."""

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

ORDER = Path(__file__).parents[1] / "data" / "tools" / "order"
runner = CliRunner()

# (citations, \bibliography, what BibTeX 0.99d with plain.bst said: "bad KEY" for "A bad cross
# reference---entry "KEY" refers to entry "parent", which doesn't exist", "empty FIELD in KEY")
CASES = [
    (
        "\\cite{child}",
        "a,b",
        {
            "bad child",
            "empty booktitle in child",
            "empty publisher in child",
        },
    ),
    ("\\cite{child}", "b,a", {"empty booktitle in child"}),
    ("\\cite{child,parent}", "a,b", set()),
    ("\\cite{child}\\nocite{*}", "a,b", set()),
    ("\\cite{child,early}", "c,a,b", set()),
    (
        "\\cite{child}",
        "c,a,b",
        {
            "bad child",
            "empty booktitle in child",
            "empty publisher in child",
        },
    ),
    (
        "\\cite{child,early}",
        "a,b,c",
        {
            "bad child",
            "bad early",
            *(f"empty {f} in {k}" for f in ("booktitle", "publisher") for k in ("child", "early")),
        },
    ),
]
IDS = [
    "parent-first",
    "parent-last",
    "parent-cited",
    "nocite-all",
    "earlier-child",
    "uncited-earlier",
    "two-children",
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    require_style("plain.bst")
    root = tmp_path / "order"
    shutil.copytree(ORDER, root)
    monkeypatch.chdir(root)
    return root


def _document(folder: Path, cites: str, files: str) -> None:
    (folder / "doc.tex").write_text(
        f"\\documentclass{{article}}\n\\begin{{document}}\n{cites}\n\\bibliographystyle{{plain}}\n"
        f"\\bibliography{{{files}}}\n\\end{{document}}\n",
        encoding="utf-8",
    )


def said_by_argmap(folder: Path) -> set[str]:
    """argmap's findings of doc.tex, in BibTeX's terms."""
    result = runner.invoke(
        app, ["check-citations", "doc.tex", "--no-cache", "--output-format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    out: set[str] = set()
    for p in json.loads(result.stdout)["problems"]:
        if p["code"] == "BIB105":
            assert p["severity"] == "error"
            assert "A bad cross reference" in p["message"]
            out.add(f"bad {p['key']}")
        elif p["code"] == "BIB101":
            fields = re.search(r"lacks required field\(s\): (.*) \(as BibTeX", p["message"])
            assert fields is not None, p["message"]
            out |= {f"empty {f} in {p['key']}" for f in fields[1].split(", ")}
        else:
            raise AssertionError(p)
    return out


@pytest.mark.parametrize(("cites", "files", "bibtex"), CASES, ids=IDS)
def test_argmap_says_what_bibtex_says(
    folder: Path, cites: str, files: str, bibtex: set[str]
) -> None:
    _document(folder, cites, files)
    assert said_by_argmap(folder) == bibtex


def test_the_finding_names_the_parent_and_the_fix(folder: Path) -> None:
    _document(folder, "\\cite{child}", "a,b")
    result = runner.invoke(
        app, ["check-citations", "doc.tex", "--no-cache", "--output-format", "json"]
    )
    [found] = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "BIB105"]
    assert (found["source"], found["line"]) == ("b.bib", 1)
    assert "placed before it (a.bib:1, a file read before)" in found["message"]
    assert "move 'parent' after the entries that crossref it" in found["suggestion"]


@pytest.mark.parametrize("document", ["biber", "pandoc"])
def test_biber_and_pandoc_find_it(folder: Path, document: str) -> None:
    if document == "biber":
        (folder / "doc.tex").write_text(
            "\\usepackage{biblatex}\n\\addbibresource{a.bib}\n\\addbibresource{b.bib}\n"
            "\\cite{child}\n",
            encoding="utf-8",
        )
        name = "doc.tex"
    else:
        (folder / "doc.md").write_text(
            "---\nbibliography: [a.bib, b.bib]\n---\n[@child]\n", encoding="utf-8"
        )
        name = "doc.md"
    result = runner.invoke(app, ["check-citations", name, "--no-cache", "--output-format", "json"])
    codes = [p["code"] for p in json.loads(result.stdout)["problems"]]
    assert "BIB105" not in codes


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
@pytest.mark.parametrize(("cites", "files", "bibtex"), CASES, ids=IDS)
def test_bibtex_itself_says_so(folder: Path, cites: str, files: str, bibtex: set[str]) -> None:
    keys = re.findall(r"\{([^}]*)\}", cites)
    (folder / "doc.aux").write_text(
        "".join(f"\\citation{{{k}}}\n" for k in keys)
        + f"\\bibstyle{{plain}}\n\\bibdata{{{files}}}\n"
    )
    done = subprocess.run(["bibtex", "doc"], cwd=folder, capture_output=True, text=True)
    got = {f"bad {k}" for k in re.findall(r'A bad cross reference---entry "(\w+)"', done.stdout)}
    got |= set(re.findall(r"^Warning--(empty \w+ in \w+)$", done.stdout, re.M))
    assert got == bibtex
