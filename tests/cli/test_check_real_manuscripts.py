"""check-citations on real manuscripts kept as fixtures (sources in tests/data/manuscripts/real):
every true citation found at its line, cross-references and code never read as citations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

REAL = Path(__file__).parents[1] / "data" / "manuscripts" / "real"
runner = CliRunner()


@pytest.fixture(autouse=True)
def outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def check(bib: Path, manuscript: Path) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(
        app,
        ["check-citations", "--format", "json", "--bib", str(bib), "--manuscript", str(manuscript)],
    )
    return result.exit_code, json.loads(result.stdout)


def test_spanish_bookdown_chapter() -> None:
    code, data = check(
        REAL / "bookdown-es" / "book.bib", REAL / "bookdown-es" / "03-extensiones.Rmd"
    )
    assert code == 0
    assert [(c["line"], c["key"], c["status"]) for c in data["citations"]] == [
        (142, "xie2016bookdown", "ok"),
        (142, "xie2016bookdown", "ok"),
        (152, "R-base", "ok"),
    ]
    assert data["problems"] == []


def test_quarto_chapter_with_zotero_biblatex() -> None:
    qmd = REAL / "quarto-heiss" / "excerpt.qmd"
    code, data = check(REAL / "quarto-heiss" / "references.bib", qmd)
    # the Zotero Better BibLaTeX file (date, journaltitle, location) raises no error
    assert code == 0
    assert [p for p in data["problems"] if p["severity"] == "error"] == []
    # 52 @ forms in the excerpt: 50 citations and 2 @fig- cross-references, which are not
    assert data["summary"]["citations"] == 50
    assert {c["status"] for c in data["citations"]} == {"ok"}
    assert all(not c["text"].startswith("@fig-") for c in data["citations"])
    in_text = [p for p in data["problems"] if p["source"].endswith("excerpt.qmd")]
    assert in_text == []


def test_a_cv_chapter_lists_no_citations() -> None:
    # its degree, conference and award lines name institutions and years: six false CIT203
    # ("no entry for Nevada, Las Vegas (2022)", "... Western Political Science Association
    # (2023)") before round 29
    code, data = check(REAL / "quarto-cv" / "references.bib", REAL / "quarto-cv" / "cv.qmd")
    assert (code, data["citations"], data["problems"]) == (0, [], [])
