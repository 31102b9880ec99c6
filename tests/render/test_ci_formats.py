"""The CI formats against what their consumers need: GitHub's workflow-command escaping, paths
from the repository's root (not from where argmap ran), SARIF and GitLab fingerprints that stay
put when lines are added above a problem, and GitLab Code Quality's required fields."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.render.github import escape_data, escape_property

runner = CliRunner()

REFS = (
    "@book{roe2018, author={Roe, Ann}, title={T}, year={2018}, publisher={P}}\n"
    "@book{diaz2001, author={Díaz, Pía}, title={U}, year={2001}, publisher={P}}\n"
)
PAPER = "Según Díaz (2002), y Roe (2019).\n\nOtra vez [@roe2081] y Roe (2019).\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (its .git marks the root) whose paper is in paper/, run from paper/."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "paper").mkdir()
    (tmp_path / "paper" / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "paper" / "draft.md").write_text(PAPER, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "paper")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    return tmp_path


def run(fmt: str, name: str = "draft.md") -> str:
    """check-citations of ``name`` against refs.bib in ``fmt``; its stdout."""
    result = runner.invoke(
        app, ["check-citations", "--no-cache", "--bib", "refs.bib", name, "--format", fmt]
    )
    assert result.exit_code == 1, result.output
    return result.stdout


def sarif_results(text: str) -> list[dict[str, Any]]:
    """The results of a SARIF log's one run."""
    results: list[dict[str, Any]] = json.loads(text)["runs"][0]["results"]
    return results


def test_escaping_follows_the_actions_toolkit() -> None:
    # @actions/core command.ts: escapeData (% \r \n), escapeProperty (and : ,)
    assert escape_data("100%\r\nnext: a, b") == "100%25%0D%0Anext: a, b"
    assert escape_property("100%\r\nnext: a, b") == "100%25%0D%0Anext%3A a%2C b"


def test_a_file_name_with_commas_and_colons_is_one_property(repo: Path) -> None:
    (repo / "paper" / "draft, v2: 100%.md").write_text(PAPER, encoding="utf-8")
    out = run("github", "draft, v2: 100%.md")
    first = out.splitlines()[0]
    assert first.startswith("::error file=paper/draft%2C v2%3A 100%25.md,line=1,col=")
    properties, _, message = first[len("::error ") :].partition("::")
    assert [p.split("=", 1)[0] for p in properties.split(",")] == ["file", "line", "col", "title"]
    assert "\n" not in message and "%0A" not in message


def test_paths_are_from_the_repository_root_in_every_ci_format(repo: Path) -> None:
    assert "::error file=paper/draft.md,line=1,col=12," in run("github")
    sarif = json.loads(run("sarif"))
    run_ = sarif["runs"][0]
    assert run_["originalUriBaseIds"] == {"%SRCROOT%": {"uri": f"{repo.as_uri()}/"}}
    location = run_["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "paper/draft.md", "uriBaseId": "%SRCROOT%"}
    assert {issue["location"]["path"] for issue in json.loads(run("gitlab"))} == {"paper/draft.md"}
    # concise stays relative to where argmap ran, as editors open it from there
    assert run("concise").startswith("draft.md:1:12: error CIT201")


def test_github_workspace_is_the_root_when_set(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo / "paper"))
    assert "::error file=draft.md,line=1,col=12," in run("github")


def test_fingerprints_survive_lines_added_above(repo: Path) -> None:
    before_sarif, before_gitlab = sarif_results(run("sarif")), json.loads(run("gitlab"))
    draft = repo / "paper" / "draft.md"
    draft.write_text("# Introducción\n\nUn párrafo nuevo.\n\n" + PAPER, encoding="utf-8")
    after_sarif, after_gitlab = sarif_results(run("sarif")), json.loads(run("gitlab"))
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after_sarif]
    assert lines == [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] + 4 for r in before_sarif
    ]
    prints = [r["partialFingerprints"]["argmap/v1"] for r in before_sarif]
    assert prints == [r["partialFingerprints"]["argmap/v1"] for r in after_sarif]
    # the same citation twice (Roe (2019) on lines 1 and 3) is two alerts, not one
    assert len(set(prints)) == len(prints) == 4
    assert [i["fingerprint"] for i in before_gitlab] == [i["fingerprint"] for i in after_gitlab]
    # an edit of the problem itself is a new problem
    draft.write_text(PAPER.replace("Díaz (2002)", "Díaz (2003)"), encoding="utf-8")
    changed = [r["partialFingerprints"]["argmap/v1"] for r in sarif_results(run("sarif"))]
    assert len(set(changed) - set(prints)) == 1


def test_columns_count_characters(repo: Path) -> None:
    # "Según Díaz (2002)": a narrative citation stands at its parenthesis, character 12 of the
    # line (byte 14, UTF-16 unit 12): SARIF says which it counts
    sarif = json.loads(run("sarif"))
    assert sarif["runs"][0]["columnKind"] == "unicodeCodePoints"
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 12}


def test_gitlab_code_quality_has_what_gitlab_requires(repo: Path) -> None:
    issues = json.loads(run("gitlab"))
    assert isinstance(issues, list) and len(issues) == 4
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert not issue["location"]["path"].startswith("/")
    assert [i["check_name"] for i in issues][:1] == ["CIT201 year-mismatch"]
    assert issues[0]["severity"] == "major"
    assert len({i["fingerprint"] for i in issues}) == 4


def multitool_errors(log: dict[str, Any], folder: Path) -> list[str]:
    """The errors Microsoft's SARIF multitool finds in ``log`` with its GitHub ingestion rules
    (GH1001-GH2012: what GitHub code scanning requires of a SARIF upload)."""
    import subprocess

    given, out = folder / "argmap.sarif", folder / "validation.sarif"
    given.write_text(json.dumps(log), encoding="utf-8")
    out.unlink(missing_ok=True)  # the multitool will not replace it
    subprocess.run(
        [
            "sarif-multitool",
            "validate",
            "--rule-kind",
            "Gh",
            "--level",
            "Error",
            "-o",
            str(out),
            str(given),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    results = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
    return [r["ruleId"] for r in results if r.get("level", "warning") == "error"]


@pytest.mark.skipif(
    shutil.which("sarif-multitool") is None,
    reason="Microsoft's SARIF multitool is not installed (.ci/run installs it with npm)",
)
def test_sarif_passes_githubs_ingestion_rules(repo: Path, tmp_path: Path) -> None:
    twice = "@book{x, title={T}}\n@book{x, title={U}}\n"
    (repo / "paper" / "refs.bib").write_text(REFS + twice, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "check-citations",
            "--no-cache",
            "--bib",
            "refs.bib",
            "draft.md",
            "--unused",
            "--format",
            "sarif",
        ],
    )
    log = json.loads(result.stdout)
    # citations (line and column), a bibliography's problems (a line), a summary (no line)
    assert {"CIT201", "CIT204", "BIB204", "BIB103", "BIB109"} <= {
        r["ruleId"] for r in log["runs"][0]["results"]
    }
    assert multitool_errors(log, tmp_path) == []
    # and it does find what GitHub refuses: a rule without its fullDescription
    del log["runs"][0]["tool"]["driver"]["rules"][0]["fullDescription"]
    assert multitool_errors(log, tmp_path) == ["GH2012"]
