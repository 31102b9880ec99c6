"""A field given twice (``Title``, then ``title``) said as the document's tool reads it:
BibTeX prints the first and warns, biber and pandoc print the last, silently (checked on
tests/data/tools/crossref, see its README)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

CROSSREF = Path(__file__).parents[1] / "data" / "tools" / "crossref"
runner = CliRunner()


def repeated(document: str) -> str:
    """The message of the BIB205 finding of ``document``."""
    result = runner.invoke(
        app, ["check-citations", document, "--no-cache", "--output-format", "json"]
    )
    [problem] = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "BIB205"]
    return str(problem["message"])


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "crossref"
    shutil.copytree(CROSSREF, root)
    monkeypatch.chdir(root)
    return root


def test_bibtex_document_is_told_bibtex_prints_the_first() -> None:
    message = repeated("bibtex.tex")
    assert "BibTeX, which builds the document, prints the first ('First Title')" in message
    assert "I'm ignoring dup's extra \"title\" field" in message  # BibTeX's own words


@pytest.mark.parametrize("document", ["biber.tex", "pandoc.md"])
def test_other_documents_keep_the_message_of_every_tool(document: str) -> None:
    assert "biber and pandoc use the last ('Second Title')" in repeated(document)
