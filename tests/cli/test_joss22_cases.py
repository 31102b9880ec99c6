"""`argmap check-citations` on cases cut from real JOSS papers (issue 22): each finding and the
exit code, as a writer sees them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

CASES = Path(__file__).parents[1] / "fixtures" / "real" / "joss22"


@pytest.mark.parametrize(
    ("case", "manuscript", "citations", "problems", "exit_code"),
    [
        pytest.param(
            "front-matter-invalid",
            "paper.md",
            [("@prasad2019kanapy", "ok"), ("@kocks1998texture", "ok"), ("@bunge1993texture", "ok")],
            [("DOC104", "error", 13)],
            1,
            id="kanapy-front-matter-pandoc-refuses",
        ),
        pytest.param(
            "prose-before-names",
            "paper.txt",
            # "(currently NumPy, Harris et al. 2020)": prose, a software name, then the authors
            [("Carpenter et al. 2017", "ok"), ("Harris et al. 2020", "ok")],
            [],
            0,
            id="prose-before-the-names",
        ),
        pytest.param(
            "software-name-before-authors",
            "paper.txt",
            [
                ("Harris et al. 2020", "ok"),
                ("Bradbury et al. 2018", "ok"),
                ("Okuta et al. 2017", "ok"),
                # citeproc printed the entry's straight apostrophe curly: a spelling warning,
                # as "(D’Onofrio et al., 2003)" alone gets, where it was a missing work
                ("D’Onofrio et al., 2003", "name-mismatch"),
                ("Rodgers, Bard, Johnson, D’Onofrio, & Miller, 2008", "ok"),
            ],
            [("CIT101", "warning", 3)],
            0,
            id="software-name-then-authors",
        ),
    ],
)
def test_case(
    case: str,
    manuscript: str,
    citations: list[tuple[str, str]],
    problems: list[tuple[str, str, int]],
    exit_code: int,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # a copy outside the repository, where no map of argmap's own is found
    shutil.copytree(CASES / case, tmp_path / case)
    monkeypatch.chdir(tmp_path / case)
    args = ["check-citations", manuscript, "--bib", "paper.bib", "--no-cache", "--all"]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    data = json.loads(result.stdout)
    assert [(c["text"], c["status"]) for c in data["citations"]] == citations
    assert [(p["code"], p["severity"], p["line"]) for p in data["problems"]] == problems
    assert result.exit_code == exit_code


def test_front_matter_message_names_file_line_field_and_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copytree(CASES / "front-matter-invalid", tmp_path / "k")
    monkeypatch.chdir(tmp_path / "k")
    result = CliRunner().invoke(
        app,
        ["check-citations", "paper.md", "--bib", "paper.bib", "--no-cache", "--format", "concise"],
    )
    [line] = [x for x in result.stdout.splitlines() if "DOC104" in x]
    assert line.startswith("paper.md:13:")
    assert "in 'authors'" in line and "did not find expected key" in line
    assert "pandoc stops on it" in line and "indented alike" in line
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("bib", "citations"),
    [
        pytest.param("", [], id="no-entry-of-the-names-no-citation"),
        pytest.param(
            "@misc{ms, author = {{Microsoft}}, title = {Windows}, year = 2015}\n",
            [("Microsoft, 2015", "ok")],
            id="an-entry-of-the-names-a-citation",
        ),
        pytest.param(
            "@misc{ms, author = {{Microsoft}}, title = {Windows}, year = 2013}\n",
            [("Microsoft, 2015", "year-mismatch")],
            id="the-names-fit-another-year",
        ),
    ],
)
def test_prose_before_names_counts_only_when_the_names_name_an_entry(
    tmp_path: Path, bib: str, citations: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.md").write_text("It was (released by Microsoft, 2015) to all.\n")
    (tmp_path / "r.bib").write_text(
        bib + "@misc{other, author = {Other, A.}, title = {T}, year = 2001}\n"
    )
    args = ["check-citations", "t.md", "--bib", "r.bib", "--no-cache", "--all"]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    data = json.loads(result.stdout)
    assert [(c["text"], c["status"]) for c in data["citations"]] == citations
