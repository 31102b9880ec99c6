"""Real documents that name their bibliography (``tests/data/named``, sources in its README),
checked as a writer checks them: ``argmap check-citations DOC`` from the repository's root, no
``--bib``, outside any argmap project."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

DATA = Path(__file__).parents[1] / "data" / "named"
runner = CliRunner()


def check(
    root: Path, monkeypatch: pytest.MonkeyPatch, *docs: str
) -> tuple[int, dict[str, Any], str]:
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["check-citations", "--format", "json", *docs])
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_quarto_book_chapters_take_the_projects_bibliography(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = shutil.copytree(DATA / "quarto-book", tmp_path / "book")
    code, data, stderr = check(root, monkeypatch, "chapter_one.qmd", "chapter_two.qmd")
    assert code == 0, stderr
    cited = sorted((c["source"], c["cited_key"], c["status"]) for c in data["citations"])
    assert cited == [
        ("chapter_one.qmd", "Atzeni", "ok"),
        ("chapter_one.qmd", "MetropolisHastings", "ok"),
        ("chapter_one.qmd", "fouquet2006seven", "ok"),
        ("chapter_one.qmd", "langmuir1928oscillations", "ok"),
        ("chapter_two.qmd", "_cholera_2024", "ok"),
    ]
    assert stderr.splitlines() == [
        f"argmap: note: {name}: bibliography references.bib, named in _quarto.yml (line 19)"
        for name in ("chapter_one.qmd", "chapter_two.qmd")
    ]


def test_joss_paper_from_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = shutil.copytree(DATA / "joss-paper", tmp_path / "repo")
    code, data, stderr = check(root, monkeypatch, "paper/paper.md")
    assert code == 0, stderr
    assert data["summary"]["by_status"]["ok"] == 9
    assert stderr == (
        "argmap: note: paper/paper.md: bibliography paper/paper.bib, named in its front matter "
        "(line 26)\n"
    )


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="no pandoc on PATH (CI installs it)")
def test_pandoc_resolves_the_same_keys_in_the_joss_paper(tmp_path: Path) -> None:
    root = shutil.copytree(DATA / "joss-paper", tmp_path / "repo")
    done = subprocess.run(
        ["pandoc", "--citeproc", "-t", "plain", "paper.md", "-o", "/dev/null"],
        cwd=root / "paper",
        capture_output=True,
        text=True,
        check=True,
    )
    assert re.findall(r"citation (\S+) not found", done.stderr) == []
