"""`check-citations --baseline FILE`: the problems a JSON report recorded are not reported again
(wherever their lines moved), new ones are, a file with more of one problem than recorded
reports them all, recorded problems now gone are counted, and a baseline that is not a report
is one error naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()

REFS = (
    "@book{roe2018, author={Roe, Ann}, title={T}, year={2018}, publisher={P}}\n"
    "@book{roe2018, author={Roe, Ann}, title={T}, year={2018}, publisher={P}}\n"
)
PAPER = "Intro.\n\nRoe (2019) dice algo [@roe2081].\n"


@pytest.fixture(autouse=True)
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A paper with two problems, a bibliography with one, and the baseline of the three."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "paper.md").write_text(PAPER, encoding="utf-8")
    recorded = check("--format", "json")
    assert recorded.exit_code == 1
    (tmp_path / "argmap-baseline.json").write_text(recorded.stdout, encoding="utf-8")
    return tmp_path


def check(*args: str) -> Result:
    """check-citations of paper.md against refs.bib."""
    return runner.invoke(
        app, ["check-citations", "--no-cache", "--bib", "refs.bib", "paper.md", *args]
    )


def with_baseline(*args: str) -> Result:
    """The same check with the baseline."""
    return check("--baseline", "argmap-baseline.json", *args)


def test_the_recorded_problems_are_not_reported(project: Path) -> None:
    result = with_baseline()
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("0 errors, 0 warnings, 0 info, 3 ignored\n")
    assert "baseline argmap-baseline.json: 3 problems it records not reported" in result.stderr


def test_text_added_above_moves_no_problem_out_of_the_baseline(project: Path) -> None:
    (project / "paper.md").write_text("# Nuevo\n\nUn párrafo.\n\n" + PAPER, encoding="utf-8")
    result = with_baseline()
    assert result.exit_code == 0, result.output


def test_a_new_problem_is_reported(project: Path) -> None:
    (project / "paper.md").write_text(PAPER + "\nY [@nuevo2020].\n", encoding="utf-8")
    result = with_baseline()
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:-1] == ["paper.md:5:4: error CIT204 unknown key 'nuevo2020' [add it to refs.bib]"]


def test_one_problem_more_of_a_kind_reports_them_all(project: Path) -> None:
    # which of two "Roe (2019)" is the new one cannot be told: both are reported
    (project / "paper.md").write_text(PAPER + "\nOtra vez Roe (2019).\n", encoding="utf-8")
    result = with_baseline()
    assert result.exit_code == 1
    assert result.stdout.count("CIT201") == 2
    assert "CIT204" not in result.stdout


def test_problems_gone_are_counted(project: Path) -> None:
    (project / "paper.md").write_text(PAPER.replace("roe2081", "roe2018"), encoding="utf-8")
    result = with_baseline()
    assert result.exit_code == 0
    assert "2 problems it records not reported; 1 problem of it no longer occurs" in result.stderr


def test_the_json_output_with_a_baseline_can_be_the_next_baseline(project: Path) -> None:
    again = with_baseline("--format", "json")
    assert '"problems": []' in again.stdout
    # a baseline is written without --baseline (the README says so): this one records nothing
    (project / "empty.json").write_text(again.stdout, encoding="utf-8")
    assert check("--baseline", "empty.json").exit_code == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{\n  "version": 1,\n', "argmap-baseline.json:3: not JSON: "),
        ('{"version": 2, "problems": []}', "not a JSON report of argmap check-citations"),
        ('{"version": 1}', 'argmap-baseline.json problems: no "problems" list'),
        ('{"version": 1, "problems": [{"code": 1}]}', "argmap-baseline.json problems[0]: not a"),
    ],
    ids=["truncated", "other-version", "no-problems", "bad-problem"],
)
def test_a_baseline_that_is_not_a_report_is_one_error(
    project: Path, text: str, expected: str
) -> None:
    (project / "argmap-baseline.json").write_text(text, encoding="utf-8")
    result = with_baseline()
    assert result.exit_code == 2 and result.stdout == ""
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_missing_baseline_is_named(project: Path) -> None:
    result = check("--baseline", "nowhere.json")
    assert result.exit_code == 2
    assert result.stderr == "argmap: error: nowhere.json: baseline not found (check the path)\n"
