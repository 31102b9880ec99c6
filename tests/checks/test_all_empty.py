"""plain.bst's "all relevant fields are empty in KEY" (its empty.misc.check), read from the
.bst: an entry printed as a @misc (its own type, or the style's default for a type it does not
define) with no author, title, howpublished, month, year or note; plain.bst, abbrv.bst and
alpha.bst warn only when it has a key, unsrt.bst whether or not; apalike.bst has no such check.
The cases are tests/data/tools/allempty (see its README), with what BibTeX 0.99d said."""

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

ALLEMPTY = Path(__file__).parents[1] / "data" / "tools" / "allempty"
runner = CliRunner()
# BibTeX 0.99d's "all relevant fields are empty in KEY", \nocite{*}, by style
BIBTEX = {
    "plain": {"keyonly", "oddkey", "undefnote"},
    "unsrt": {"keyonly", "bare", "oddkey", "undefnote"},
    "apalike": set(),
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "allempty"
    shutil.copytree(ALLEMPTY, root)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize(("style", "keys"), BIBTEX.items(), ids=list(BIBTEX))
def test_argmap_says_what_bibtex_says(folder: Path, style: str, keys: set[str]) -> None:
    require_style(f"{style}.bst")
    (folder / "doc.tex").write_text(
        f"\\documentclass{{article}}\n\\begin{{document}}\n\\nocite{{*}}\n"
        f"\\bibliographystyle{{{style}}}\n\\bibliography{{refs}}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["check-citations", "doc.tex", "--no-cache", "--output-format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    said = [
        p for p in json.loads(result.stdout)["problems"] if "all relevant fields" in p["message"]
    ]
    assert {p["key"] for p in said} == keys
    assert all(p["code"] == "BIB101" and p["severity"] == "warning" for p in said)


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
@pytest.mark.parametrize(("style", "keys"), BIBTEX.items(), ids=list(BIBTEX))
def test_bibtex_itself_says_so(folder: Path, style: str, keys: set[str]) -> None:
    require_style(f"{style}.bst")
    (folder / "doc.aux").write_text(f"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n")
    out = subprocess.run(["bibtex", "doc"], cwd=folder, capture_output=True, text=True).stdout
    assert set(re.findall(r"all relevant fields are empty in (\w+)", out)) == keys
