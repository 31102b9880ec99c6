"""``\\nocite{*}`` in a document built with BibTeX: BibTeX formats every entry of the
bibliography, so its style warns of an entry no citation names as of a cited one
(tests/data/tools/nocite, built with BibTeX 0.99d and plain.bst: see its README)."""

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

NOCITE = Path(__file__).parents[1] / "data" / "tools" / "nocite"
runner = CliRunner()
# BibTeX 0.99d's warnings for bibtex.tex, with plain.bst
BIBTEX = {
    "to sort, need author or key in plain",
    "to sort, need author or key in noauthor",
    "empty author in noauthor",
    "empty publisher in cited",
    "empty publisher in uncited",
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    require_style("plain.bst")
    root = tmp_path / "nocite"
    shutil.copytree(NOCITE, root)
    monkeypatch.chdir(root)
    return root


def test_every_entry_is_judged_as_bibtex_formats_it(folder: Path) -> None:
    result = runner.invoke(
        app, ["check-citations", "bibtex.tex", "--no-cache", "--output-format", "json"]
    )
    said: set[str] = set()
    for p in json.loads(result.stdout)["problems"]:
        assert p["code"] == "BIB101", p
        quoted = re.search(r'warns "([^"]+)"', p["message"])
        if quoted:
            said.add(quoted[1])
        else:
            fields = re.search(r"lacks required field\(s\): (.*) \(as BibTeX", p["message"])
            assert fields is not None, p["message"]
            said |= {f"empty {f} in {p['key']}" for f in fields[1].split(", ")}
    assert said == BIBTEX


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_itself_says_so(folder: Path) -> None:
    (folder / "bibtex.aux").write_text(
        "\\citation{cited}\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n"
    )
    done = subprocess.run(["bibtex", "bibtex"], cwd=folder, capture_output=True, text=True)
    assert set(re.findall(r"^Warning--(.*)$", done.stdout, re.M)) == BIBTEX


def test_no_entry_is_unused(folder: Path) -> None:
    # \nocite{*} prints every entry: none is "never cited", even with --unused
    result = runner.invoke(
        app, ["check-citations", "bibtex.tex", "--no-cache", "--unused", "--output-format", "json"]
    )
    codes = {p["code"] for p in json.loads(result.stdout)["problems"]}
    assert codes == {"BIB101"}
