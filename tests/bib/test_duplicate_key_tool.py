"""A key defined twice (BIB204) read as the document's tool reads it: BibTeX 0.99d and biber
2.18 print the first entry, pandoc 2.17 and 3.9 the last, of one file or across the files named
(tests/data/tools/duplicate, see its README); the message says which, and a document built
with pandoc alone is matched with the last copy (``argmap.bib.repeats.use_last_copies``)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

DUPLICATE = Path(__file__).parents[1] / "data" / "tools" / "duplicate"
runner = CliRunner()


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "duplicate"
    shutil.copytree(DUPLICATE, root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return root


def report(document: str) -> dict[str, Any]:
    result = runner.invoke(app, ["check-citations", document, "--output-format", "json"])
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def duplicate(found: dict[str, Any]) -> str:
    [problem] = [p for p in found["problems"] if p["code"] == "BIB204"]
    return str(problem["message"])


@pytest.mark.parametrize(
    ("document", "said"),
    [
        ("pandoc.md", "pandoc's citeproc prints this one, the last, silently"),
        ("two.md", "pandoc's citeproc prints this one, the last, silently"),
        ("bibtex.tex", 'BibTeX prints the first ("Repeated entry")'),
        ("biber.tex", 'biber prints the first ("Duplicate entry key")'),
    ],
)
def test_the_message_says_which_copy_the_tool_prints(document: str, said: str) -> None:
    assert said in duplicate(report(document))


@pytest.mark.parametrize(
    ("document", "printed", "other"),
    [("pandoc.md", "2009", "2001"), ("two.md", "2009", "2001"), ("bibtex.tex", "2001", "2009")],
)
def test_citations_are_matched_with_the_copy_printed(
    folder: Path, document: str, printed: str, other: str
) -> None:
    text = (folder / document).read_text()
    citing = f"As Smith ({printed}) says, unlike Smith ({other})."
    text = text.replace("Text ", citing + " ").replace("\\cite{k1}", citing + " \\cite{k1}")
    (folder / document).write_text(text)
    for _ in range(2):  # cold, then from the cache
        found = report(document)
        statuses = {c["text"]: c["status"] for c in found["citations"] if "Smith" in c["text"]}
        assert statuses == {f"Smith ({printed})": "ok", f"Smith ({other})": "year-mismatch"}


def test_a_document_built_two_ways_is_told_both(folder: Path) -> None:
    (folder / "_quarto.yml").write_text(
        "project:\n  type: default\nformat:\n  html: default\n  pdf:\n    cite-method: natbib\n"
    )
    (folder / "paper.qmd").write_text("---\nbibliography: refs.bib\n---\n\nText [@k1].\n")
    message = duplicate(report("paper.qmd"))
    assert 'BibTeX prints the first ("Repeated entry")' in message
    assert "pandoc's citeproc prints this one, the last" in message


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("document", ["pandoc", "two", "j"])
def test_pandoc_prints_the_last(folder: Path, document: str) -> None:
    done = subprocess.run(
        ["pandoc", "-C", f"{document}.md", "-t", "plain"], capture_output=True, text=True
    )
    assert done.stdout == (folder / f"{document}.out").read_text()


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_prints_the_first(folder: Path) -> None:
    (folder / "bibtex.aux").write_text("\\citation{k1}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    done = subprocess.run(["bibtex", "bibtex"], cwd=folder, capture_output=True, text=True)
    assert "Repeated entry---line 2 of file refs.bib" in done.stdout
    assert "First Copy" in (folder / "bibtex.bbl").read_text()
