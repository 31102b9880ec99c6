"""The unknown-key hint names the bibliography to add the key to, by file name and kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()
ITEM = {"id": "a2000", "type": "book", "title": "T", "issued": {"date-parts": [[2000]]}}


def hint(folder: Path, *args: str) -> str:
    """The suggestion of the one unknown-key finding of a run."""
    result = runner.invoke(app, ["check-citations", "--no-cache", "--output-format", "json", *args])
    assert result.exit_code == 1, result.output
    [problem] = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "CIT204"]
    return str(problem["suggestion"])


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a bibliography in each format, and a manuscript citing an absent key."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.json").write_text(json.dumps([ITEM]), encoding="utf-8")
    (tmp_path / "refs.yaml").write_text(
        "references:\n- id: a2000\n  type: book\n  title: T\n", encoding="utf-8"
    )
    (tmp_path / "refs.bib").write_text("@book{a2000, title={T}, year={2000}}\n", encoding="utf-8")
    # a CSL-JSON file saved as .bib is read as CSL-JSON, and named so
    (tmp_path / "export.bib").write_text(json.dumps([ITEM]), encoding="utf-8")
    (tmp_path / "paper.md").write_text("[@zzzz9999]\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (["refs.bib"], "add it to refs.bib"),
        (["refs.json"], "add it to refs.json (CSL-JSON)"),
        (["refs.yaml"], "add it to refs.yaml (CSL-YAML)"),
        (["export.bib"], "add it to export.bib (CSL-JSON)"),
        (["refs.bib", "refs.json"], "add it to one of refs.bib, refs.json (CSL-JSON)"),
    ],
)
def test_the_hint_names_the_file_and_its_kind(
    folder: Path, files: list[str], expected: str
) -> None:
    given = [arg for name in files for arg in ("--bib", name)]
    assert hint(folder, "paper.md", *given) == expected


def test_inline_references_are_named_as_such(folder: Path) -> None:
    (folder / "inline.md").write_text(
        "---\nreferences:\n- id: b2001\n  type: book\n  title: X\n---\n[@zzzz9999]\n",
        encoding="utf-8",
    )
    assert hint(folder, "inline.md") == "add it to the references: of inline.md"
