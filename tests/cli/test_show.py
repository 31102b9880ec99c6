"""The command line through CliRunner: exit codes, stdout and stderr kept apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("argmap ")


def test_show_from_empty_directory_draws_shipped_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("show", "--format", "text")
    assert code == 0, err
    assert "[D1] diagnosis" in out and "[R3] recommendation" in out


def test_show_json_is_the_validated_map(mini: Path) -> None:
    code, out, _ = run("show", "--map", str(mini / "arguments"), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["claims"][0]["id"] == "D1"
    assert data["claims"][0]["locator"] == {"section": "2", "paragraph": 4}
    assert data["claims"][0]["evidence"][0]["citations"][0]["printed"] == "Roe (2018)"


def test_missing_citation_exits_1_and_says_which(mini: Path) -> None:
    code, out, err = run("show", "--map", str(mini / "arguments"), "--format", "text")
    assert code == 1
    assert "MISSING nobody1999" in out
    assert "nobody1999" in err


def test_missing_map_exits_2_with_one_line(tmp_path: Path) -> None:
    code, out, err = run("show", "--map", str(tmp_path / "missing"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "map not found" in err
    assert "Traceback" not in err


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("article:\n  key: [unclosed\n", encoding="utf-8")
    code, _, err = run("show", "--map", str(bad))
    assert code == 2
    assert f"{bad}:3" in err and "Traceback" not in err


def test_unknown_focus_suggests_nearest(mini: Path) -> None:
    code, _, err = run("show", "--map", str(mini / "arguments"), "--focus", "R3")
    assert code == 2 and "unknown claim id 'R3'" in err and "'R1'" in err


def test_usage_error_exits_2() -> None:
    code, _, _ = run("show", "--lang", "fr")
    assert code == 2


def test_focus_shows_path_and_subtree(mini: Path) -> None:
    code, out, _ = run(
        "show",
        "--map",
        str(mini / "arguments"),
        "--focus",
        "R2",
        "--format",
        "text",
        "--no-evidence",
        "--lang",
        "en",
    )
    assert code == 0
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith(("[", "s", "l"))]
    assert lines[0].startswith("[D1]")
    assert any("[T1]" in line for line in lines) and any("[R2]" in line for line in lines)
    assert not any("[P1]" in line for line in lines)
    assert "[F1] finding" in out and "see F1" not in out


def test_depth_limits_levels(mini: Path) -> None:
    code, out, _ = run(
        "show",
        "--map",
        str(mini / "arguments"),
        "--depth",
        "1",
        "--format",
        "text",
        "--no-evidence",
        "--lang",
        "en",
    )
    assert code == 0
    assert "[P1]" not in out and "2 more" in out


def test_readme_commands_are_the_ones_ci_runs() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert (
        "<!-- test-command -->\n```\npython3 -m venv .venv && .venv/bin/pip install '.[test]'"
        in readme
    )
    # The first command leaves `argmap` on PATH (the venv activated), as the README writes it.
    assert (
        "<!-- run-command -->\n```\npython3 -m venv .venv && .venv/bin/pip install . && " in readme
    )
    assert ". .venv/bin/activate && argmap show\n```" in readme
