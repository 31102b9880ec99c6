"""An entry key with an equals sign (``@misc{a=b,``), read as each tool reads it
(tests/data/tools/keys, built with BibTeX 0.99d, biber 2.18 and pandoc 2.17 and 3.9: see its
README): BibTeX and pandoc read the entry, biber stops at it and reads no entry of the file."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.bib.reader import bibliography_from_text
from argmap.cli.app import app

KEYS = Path(__file__).parents[1] / "data" / "tools" / "keys"
runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "keys"
    shutil.copytree(KEYS, root)
    monkeypatch.chdir(root)
    return root


def findings(document: str) -> list[tuple[str, str, object]]:
    """The code, severity and key of each problem check-citations reports for ``document``."""
    result = runner.invoke(
        app, ["check-citations", document, "--no-cache", "--output-format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    out = json.loads(result.stdout)
    assert all(c["status"] == "ok" for c in out["citations"])
    return sorted((p["code"], p["severity"], p.get("key")) for p in out["problems"])


def test_the_entry_is_read_with_its_key(folder: Path) -> None:
    bib = bibliography_from_text((folder / "refs.bib").read_text(), folder / "refs.bib")
    entry = bib.get("a=b")
    assert entry is not None and entry.get("title") == "Key With Equals"
    assert not [p for p in bib.problems if p.kind == "parse-failed"]
    [warning] = [p for p in bib.problems if p.kind == "key-apostrophe"]
    assert "has an equals sign: biber cannot read the file" in warning.message


def test_bibtex_reads_it(folder: Path) -> None:
    # BibTeX 0.99d with plain.bst: "to sort, need author or key in a=b", and nothing else
    if not subprocess.run(["kpsewhich", "plain.bst"], capture_output=True).stdout.strip():
        pytest.skip("TeX Live's plain.bst is not installed (kpsewhich finds none)")
    assert findings("bibtex.tex") == [("BIB101", "warning", "a=b"), ("BIB210", "warning", "a=b")]


def test_biber_stops_at_it(folder: Path) -> None:
    assert [code for code, _, _ in findings("biber.tex")] == ["BIB210", "BIB222"]


def test_pandoc_reads_it(folder: Path) -> None:
    assert findings("pandoc.md") == [("BIB210", "warning", "a=b")]


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_itself_reads_it(folder: Path) -> None:
    (folder / "bibtex.aux").write_text(
        "\\citation{a=b}\n\\citation{plain}\n\\bibstyle{plain}\n\\bibdata{refs}\n"
    )
    done = subprocess.run(["bibtex", "bibtex"], cwd=folder, capture_output=True, text=True)
    assert "Warning--to sort, need author or key in a=b" in done.stdout
    assert "\\bibitem{a=b}" in (folder / "bibtex.bbl").read_text()


def test_abntex2_options_are_read_as_bibtex_reads_them(folder: Path) -> None:
    # abnt-options.bib, the first entries of abnTeX2's abntex2-options.bib; BibTeX 0.99d with
    # plain.bst and \nocite{*}: "entry type for "KEY" isn't style-file defined" for the first
    # three, "Repeated entry---line 11" for the fourth (its key differs only in case), which it
    # skips; biber would stop at each key (BIB210)
    if not subprocess.run(["kpsewhich", "plain.bst"], capture_output=True).stdout.strip():
        pytest.skip("TeX Live's plain.bst is not installed (kpsewhich finds none)")
    result = runner.invoke(
        app, ["check-citations", "abnt.tex", "--no-cache", "--output-format", "json"]
    )
    found = [(p["code"], p["line"]) for p in json.loads(result.stdout)["problems"]]
    # and "all relevant fields are empty in ..." for the three (BIB101): each has a key only
    assert sorted(c for c in found if c[0] != "BIB210") == [
        ("BIB101", 2),
        ("BIB101", 5),
        ("BIB101", 8),
        ("BIB104", 2),
        ("BIB104", 5),
        ("BIB104", 8),
        ("BIB223", 11),
    ]
