"""A crossref to an entry with a crossref of its own, in a document built with BibTeX: BibTeX
0.99d fills in each entry's empty fields from its parent's in the order of its list of
citations, so a child handled after its parent gets what the parent took from its own parent
(the grandparent), and one handled before it does not; it warns "you've nested cross
references" unless it has dropped the parent's crossref by then. The cases are
tests/data/tools/nested (see its README), each with what BibTeX 0.99d said of it with
plain.bst; held to BibTeX itself when it is installed."""

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

NESTED = Path(__file__).parents[1] / "data" / "tools" / "nested"
runner = CliRunner()

# a.bib: child, then parent (crossref grand), then grand; b.bib the other way round
TYPE = "type parent"  # entry type for "parent" isn't style-file defined
NESTED_CHILD = "nested child"  # you've nested cross references--entry "child" refers to ...
SORT = "sort parent"  # to sort, need author or key in parent
NEED = "crossref child"  # need editor, key, or booktitle for child to crossref parent
EMPTY = {f"empty {f} in child" for f in ("booktitle", "publisher", "year")}
# (\nocite's keys, \bibliography, what BibTeX 0.99d with plain.bst said)
CASES = [
    ("child", "a", {TYPE, NESTED_CHILD, *EMPTY}),
    ("parent,child", "a", {TYPE, SORT}),  # the child gets grand's year and editor
    ("child,parent", "a", {TYPE, NESTED_CHILD, SORT, NEED}),
    ("grand,child", "a", {TYPE, NESTED_CHILD, *EMPTY}),
    ("*", "a", {TYPE, NESTED_CHILD, SORT, NEED}),
    ("*", "b", {TYPE, NESTED_CHILD, SORT}),
    ("parent,child", "b", {TYPE, "bad parent", SORT, NEED}),
    ("child,*", "b", {TYPE, NESTED_CHILD, SORT, NEED}),
]
IDS = [f"{cites}-{files}" for cites, files, _ in CASES]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    require_style("plain.bst")
    root = tmp_path / "nested"
    shutil.copytree(NESTED, root)
    monkeypatch.chdir(root)
    return root


def said_by_argmap(folder: Path, cites: str, files: str) -> set[str]:
    """argmap's findings of a document with ``\\nocite{cites}``, in BibTeX's terms."""
    (folder / "doc.tex").write_text(
        f"\\documentclass{{article}}\n\\begin{{document}}\n\\nocite{{{cites}}}\n"
        f"\\bibliographystyle{{plain}}\n\\bibliography{{{files}}}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["check-citations", "doc.tex", "--no-cache", "--output-format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    out: set[str] = set()
    for p in json.loads(result.stdout)["problems"]:
        message, key = p["message"], p["key"]
        if p["code"] == "BIB104":
            out.add(f"type {key}")
        elif p["code"] == "BIB105":
            out.add(f"nested {key}" if "nested cross references" in message else f"bad {key}")
        elif "to sort, need" in message:
            out.add(f"sort {key}")
        elif "printed as part of its crossref" in message:
            out.add(f"crossref {key}")
        else:
            fields = re.search(r"lacks required field\(s\): (.*) \(as BibTeX", message)
            assert fields is not None, message
            out |= {f"empty {f} in {key}" for f in fields[1].split(", ")}
    return out


@pytest.mark.parametrize(("cites", "files", "bibtex"), CASES, ids=IDS)
def test_argmap_says_what_bibtex_says(
    folder: Path, cites: str, files: str, bibtex: set[str]
) -> None:
    assert said_by_argmap(folder, cites, files) == bibtex


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
@pytest.mark.parametrize(("cites", "files", "bibtex"), CASES, ids=IDS)
def test_bibtex_itself_says_so(folder: Path, cites: str, files: str, bibtex: set[str]) -> None:
    (folder / "doc.aux").write_text(
        "".join(f"\\citation{{{k}}}\n" for k in cites.split(","))
        + f"\\bibstyle{{plain}}\n\\bibdata{{{files}}}\n"
    )
    out = subprocess.run(["bibtex", "doc"], cwd=folder, capture_output=True, text=True).stdout
    got = {f"bad {k}" for k in re.findall(r'A bad cross reference---entry "(\w+)"', out)}
    got |= {f"type {k}" for k in re.findall(r'entry type for "(\w+)" isn\'t', out)}
    got |= {f"nested {k}" for k in re.findall(r'nested cross references--entry "(\w+)"', out)}
    got |= {f"sort {k}" for k in re.findall(r"to sort, need author or key in (\w+)", out)}
    got |= {f"crossref {k}" for k in re.findall(r"booktitle for (\w+) to crossref", out)}
    got |= set(re.findall(r"^Warning--(empty \w+ in \w+)$", out, re.M))
    assert got == bibtex
