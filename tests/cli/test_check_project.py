"""check-citations in a configured project ([tool.argmap]), without silent fallbacks, with
`argmap rules`, shell completion and the pre-commit hooks."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

TESTS = Path(__file__).parents[1]
DATA = TESTS / "data"
REPO = TESTS.parent
runner = CliRunner()

BIB_A = """@book{roe2018,
  author = {Roe, Jane},
  title = {Small Credit},
  publisher = {Some Press},
  year = {2018},
}
"""
BIB_B = """@book{poe2019,
  author = {Poe, Pat},
  title = {Large Credit},
  publisher = {Other Press},
  year = {2019},
}
@article{lacks2002,
  author = {Lacks, Lee},
  title = {No Journal},
  year = {2002},
}
"""
PAPER = """# Draft
Both agree (Roe, 2018; Poe, 2019), though Roe (2020) says otherwise.
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writer's folder: two bibliographies and a manuscript named in pyproject.toml, no map."""
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "a.bib").write_text(BIB_A, encoding="utf-8")
    (tmp_path / "bib" / "b.bib").write_text(BIB_B, encoding="utf-8")
    (tmp_path / "paper.md").write_text(PAPER, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "paper"\n\n[tool.argmap]\nbib = ["bib/a.bib", "bib/b.bib"]\n'
        'manuscripts = ["paper.md"]\n',
        encoding="utf-8",
    )
    (tmp_path / "notes").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check-citations", "--no-cache", *args])
    return result.exit_code, result.stdout, result.stderr


def test_check_alone_checks_what_the_configuration_names(project: Path) -> None:
    code, out, err = check("--format", "json")
    assert err == ""
    report = json.loads(out)
    by_text = {c["text"]: c for c in report["citations"]}
    assert by_text["Roe, 2018"]["key"] == "roe2018"  # from a.bib
    assert by_text["Poe, 2019"]["key"] == "poe2019"  # from b.bib
    assert by_text["Roe (2020)"]["status"] == "year-mismatch"
    assert {c["source"] for c in report["citations"]} == {"paper.md"}
    assert code == 1


def test_the_configuration_is_found_from_a_folder_below(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "notes")  # found walking up, as ruff finds its file
    code, out, _ = check("--format", "concise")
    assert code == 1
    assert f"{project / 'paper.md'}:2:47: error CIT201" in out


def test_ignore_cit2_drops_those_problems_and_the_exit_code_follows(project: Path) -> None:
    code, out, _ = check("--format", "concise")
    assert code == 1
    assert "paper.md:2:47: error CIT201 Roe (2020)" in out
    code, out, _ = check("--format", "concise", "--ignore", "CIT2")
    assert "CIT2" not in out.replace("1 ignored", "")
    assert code == 0, out
    assert out.splitlines()[-1].endswith("0 errors, 0 warnings, 0 info, 1 ignored")


def test_the_configuration_can_ignore_and_the_command_line_wins(project: Path) -> None:
    config = project / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'ignore = ["CIT201"]\n', "utf-8")
    assert check()[0] == 0
    assert check("--ignore", "BIB")[0] == 1  # --ignore replaces the file's list
    other = project / "other.md"
    other.write_text("Only (Poe, 2019) here.\n", encoding="utf-8")
    _, out, _ = check("--format", "json", "--manuscript", str(other))
    assert {c["text"] for c in json.loads(out)["citations"]} == {"Poe, 2019"}


def test_several_bibliographies_keep_their_own_file_and_line(project: Path) -> None:
    (project / "paper.md").write_text("See (Lacks, 2002).\n", encoding="utf-8")
    _, out, _ = check("--format", "concise")
    assert "bib/b.bib:7:1: warning BIB101 @article 'lacks2002' lacks" in out


def test_a_key_in_two_bibliographies_is_reported_in_the_second(project: Path) -> None:
    (project / "bib" / "b.bib").write_text(BIB_B + "\n" + BIB_A, encoding="utf-8")
    _, out, _ = check("--format", "concise")
    assert "bib/b.bib:13:1: error BIB204 duplicate key 'roe2018'" in out


def test_unknown_key_in_the_configuration_is_a_usage_error(project: Path) -> None:
    config = project / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'ignored = ["CIT2"]\n', "utf-8")
    code, _, err = check()
    assert code == 2
    assert err.endswith(
        "pyproject.toml:7 tool.argmap.ignored: unknown key 'ignored' (did you mean 'ignore'?)\n"
    )
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_manuscript_without_a_bibliography_of_ones_own_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "paper.md").write_text(PAPER, encoding="utf-8")
    code, out, err = check("paper.md")
    assert code == 2 and out == ""
    assert err.startswith(
        "argmap: error: paper.md: no bibliography to check the manuscripts against: it names none"
    )
    assert "--bib FILE" in err and err.count("\n") == 1


def test_falling_back_to_the_shipped_demo_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["show", "--format", "text", "--no-evidence"])
    assert result.exit_code == 0
    assert result.stderr.count("\n") == 1
    assert "using the shipped demo map" in result.stderr
    assert "--map PATH" in result.stderr and "argmap init" in result.stderr
    result = runner.invoke(app, ["check-citations", "--format", "concise"])
    assert "shipped demo map and bibliography" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_bibliography_alone_is_checked_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(BIB_B, encoding="utf-8")
    code, out, err = check("--bib", "refs.bib", "--format", "concise")
    assert err == ""  # not checked against the shipped demo map
    assert out == "0 citations: none · 0 errors, 0 warnings, 0 info\n"
    assert code == 0


def test_no_note_when_the_users_own_files_are_named(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["show", "--map", str(DATA / "mini" / "arguments"), "--format", "text", "--no-evidence"],
    )
    assert result.stderr == ""


def test_show_reports_unknown_keys_as_coded_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA / "mini")
    result = runner.invoke(app, ["show", "--format", "text", "--no-cache"])
    assert result.exit_code == 1
    first, last = result.stderr.splitlines()
    assert first == (
        "arguments/10-claims.yaml:34:14: error CIT204 claims[1].evidence[0].citations[1].key: "
        "unknown key 'nobody1999' [add it to refs.bib]"
    )
    assert last.startswith("argmap: 1 citation of a key not in refs.bib (argmap check-citations")


MAP_HEAD = """article:
  key: doe2020
  title: T
  language: en
  sections: [{id: "1", title: One}]
claims:
"""


def claim(cid: str, kind: str, *relations: str) -> str:
    rel = "".join(f"\n      - {{type: {r.split()[0]}, target: {r.split()[1]}}}" for r in relations)
    return (
        f"  - id: {cid}\n    kind: {kind}\n    text: {{en: Text of {cid}.}}\n"
        f"    locator: {{section: '1', paragraph: 1}}\n"
        + (f"    relations:{rel}\n" if relations else "")
    )


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        (claim("P1", "premise") + claim("R1", "recommendation"), "MAP206"),
        (
            claim("D1", "diagnosis")
            + claim("P1", "premise", "supports P2")
            + claim("P2", "premise", "supports P1"),
            "MAP207",
        ),
        (claim("D1", "diagnosis") + claim("R1", "recommendation"), "MAP208"),
        ("  - id: [unclosed\n", "MAP301"),
    ],
    ids=["no-root", "support-cycle", "unreachable", "yaml-syntax"],
)
def test_map_checks_are_findings_of_check_citations_and_coded_errors_of_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claims: str, code: str
) -> None:
    (tmp_path / "arguments").mkdir()
    (tmp_path / "arguments" / "map.yaml").write_text(MAP_HEAD + claims, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(BIB_A, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    exit_code, out, err = check("--format", "concise")
    assert exit_code == 1 and err == ""
    assert re.search(rf"^arguments/map\.yaml:\d+:1: error {code} ", out, re.M), out
    result = runner.invoke(app, ["show", "--format", "text"])
    assert result.exit_code == 2
    assert result.stderr.startswith("argmap: error: arguments/map.yaml:")
    assert result.stderr.rstrip().endswith(f"[{code}]")


def test_rules_lists_every_code_and_explains_a_prefix() -> None:
    from argmap.base.rules import RULES

    out = runner.invoke(app, ["rules"]).stdout
    assert [line.split()[0] for line in out.splitlines()] == [r.code for r in RULES]
    out = runner.invoke(app, ["rules", "cit2"]).stdout
    assert out.startswith("CIT201 year-mismatch (error): ")
    result = runner.invoke(app, ["rules", "CIT999"])
    assert result.exit_code == 2 and "no rule has the code or prefix 'CIT999'" in result.stderr


def test_unknown_output_format_names_the_choices(project: Path) -> None:
    code, _, err = check("--format", "sarf")
    assert code == 2 and "unknown output format 'sarf' (did you mean 'sarif'?)" in err


def complete(line: str, cwd: Path) -> list[str]:
    import os
    import subprocess

    words = line.split()
    env = dict(
        os.environ,
        _ARGMAP_COMPLETE="complete_bash",
        COMP_WORDS=line,
        COMP_CWORD=str(len(words) - (0 if line.endswith(" ") else 1)),
    )
    script = Path(sys.executable).parent / "argmap"
    out = subprocess.run([str(script)], env=env, cwd=cwd, capture_output=True, text=True)
    return out.stdout.split()


def test_completion_of_claim_ids_and_cited_keys() -> None:
    mini = DATA / "mini"
    assert complete("argmap show --focus R", mini) == ["R1", "R2"]
    assert complete("argmap trace ", mini) == ["D1", "P1", "R1", "R2", "F1", "T1"]
    assert complete("argmap trace --source r", mini) == ["roe2018"]
    assert complete("argmap export --focus F", mini) == ["F1"]


def test_pre_commit_hooks_load_with_pre_commits_own_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(REPO / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"argmap-check-citations", "argmap-check-map"}
    assert hooks["argmap-check-citations"]["pass_filenames"] is True
    assert hooks["argmap-check-map"]["pass_filenames"] is False
    # each entry is an argmap command line that works as pre-commit runs it (files appended)
    shutil.copytree(DATA / "lint", tmp_path / "lint")
    monkeypatch.chdir(tmp_path / "lint")
    for hook in hooks.values():
        words = hook["entry"].split()
        assert words[0] == "argmap"
        files = ["paper.md", "paper.tex"] if hook["pass_filenames"] else []
        result = runner.invoke(app, [*words[1:], "--no-cache", *files])
        assert result.exit_code == 1
        assert ":3:61: error CIT201" in result.stdout or "CIT204" in result.stdout


def test_rules_wrap_at_words_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from argmap.base.rules import RULES
    from argmap.cli.rules import rule_text

    line = next(r for r in RULES if r.code == "BIB101")
    text = f"BIB101 missing-field (warning): {line.meaning}. Fix: {line.fix}."
    assert rule_text(text, None) == text + "\n"
    wrapped = rule_text(text, 60).splitlines()
    assert len(wrapped) > 1 and all(len(each) <= 60 for each in wrapped)
    assert all(each.startswith("    ") for each in wrapped[1:])
    assert " ".join(each.strip() for each in wrapped) == text
    assert "x-incomplete" in " ".join(wrapped)  # not cut at its hyphen
