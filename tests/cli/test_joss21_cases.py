"""`argmap check-citations paper.md --bib paper.bib` on the cases cut from 111 real JOSS papers
(issue 21): each finding, and the exit code, as a writer sees them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

CASES = Path(__file__).parents[1] / "fixtures" / "real" / "joss21"


@pytest.mark.parametrize(
    ("case", "citations", "problems", "exit_code"),
    [
        pytest.param("parenthetical-year", [("@flash", "ok")], [], 0, id="F1-prose-is-no-citation"),
        pytest.param(
            "possessive-author-year",
            [("@cohen1988", "ok"), ("Cohen's (1988)", "ok")],
            [],
            0,
            id="F2-possessive",
        ),
        pytest.param(
            "apostrophe-key",
            [("@Oakley2004", "ok")],
            [("BIB210", "warning", "O'Hagan2007")],
            0,
            id="D1-apostrophe-key-warns",
        ),
        pytest.param(
            "name-too-many-commas",
            [("@recordr", "ok")],
            [("BIB110", "error", "recordr")],
            1,
            id="M1-names-with-commas",
        ),
        pytest.param(
            "related-dangling",
            [("@HIGG-2013-02", "ok")],
            [("BIB111", "warning", "HIGG-2013-02")],
            0,
            id="M3-related",
        ),
        pytest.param(
            "yaml-abstract-citation",
            [("@Wilkinson2012", "ok"), ("@Wickam2016", "unknown-key"), ("@Wilkinson2012", "ok")],
            [("CIT204", "error", None)],
            1,
            id="M2-front-matter",
        ),
    ],
)
def test_case(
    case: str,
    citations: list[tuple[str, str]],
    problems: list[tuple[str, str, str]],
    exit_code: int,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # a copy outside the repository, where no map of argmap's own is found
    shutil.copytree(CASES / case, tmp_path / case)
    monkeypatch.chdir(tmp_path / case)
    result = CliRunner().invoke(
        app, ["check-citations", "paper.md", "--bib", "paper.bib", "--no-cache", "--format", "json"]
    )
    data = json.loads(result.stdout)
    assert [(c["text"], c["status"]) for c in data["citations"]] == citations
    assert [(p["code"], p["severity"], p["key"]) for p in data["problems"]] == problems
    assert result.exit_code == exit_code
