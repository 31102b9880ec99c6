"""check-citations in every output format, on one fixture with a problem of every kind: golden
files, the concise line grammar, SARIF against the SARIF 2.1.0 schema, JSON against
`argmap schema --scope report`, and nothing lost at 60 columns with a 70-character path."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from argmap.base.rules import RULES
from argmap.cli.app import app
from argmap.render.formats import ReportFormat

DATA = Path(__file__).parents[1] / "data"
LINT = DATA / "lint"
# path:line:col on every line (a Word file, which has no lines, at 1:1 with its ¶ in the message),
# as editors' error formats read them
CONCISE = re.compile(r"^(.+):(\d+):(\d+): (error|warning|info) ([A-Z]+\d+) (.+)$")
runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the lint fixture, as the working directory."""
    root = tmp_path / "lint"
    shutil.copytree(LINT, root)
    monkeypatch.chdir(root)
    return root


MANUSCRIPTS = ("paper.md", "paper.tex", "paper.docx", "front.qmd", "unclosed.md", "thesis.tex")


def check(*args: str, columns: str = "100") -> tuple[int, str, str]:
    """Run check-citations on the fixture's manuscripts; exit code, stdout, stderr."""
    result = runner.invoke(
        app,
        # --unused: the entries never cited are listed (BIB103), not only counted (BIB109)
        ["check-citations", "--no-cache", "--unused", *MANUSCRIPTS, *args],
        env={"COLUMNS": columns, "NO_COLOR": "1"},
    )
    return result.exit_code, result.stdout, result.stderr


FORMATS = {
    "full": "fixture.full.txt",
    "concise": "fixture.concise.txt",
    "json": "fixture.json",
    "github": "fixture.github.txt",
    "sarif": "fixture.sarif.json",
    "gitlab": "fixture.gitlab.json",
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_format_matches_its_golden_file(
    project: Path, fmt: str, golden: Callable[[str, str], None]
) -> None:
    code, out, err = check("--output-format", fmt, "--all")
    assert code == 1
    assert err == ""
    # SARIF names the folder its paths are relative to, a temporary one here
    golden(f"check/{FORMATS[fmt]}", out.replace(project.as_uri(), "file:///ROOT"))


def test_every_format_of_the_enum_is_rendered(project: Path) -> None:
    for fmt in ReportFormat:
        code, out, _ = check("--format", str(fmt))
        assert code == 1 and "paper.md" in out, fmt


# A map that fails a structural check does not load, so its findings (MAP2xx, MAP3xx) cannot
# share a fixture with the checks of its citations: tests/data/lint-map and
# tests/cli/test_check_project.py raise them.
# Nor can an empty bibliography (BIB113) without making refs.bib no longer the map's own, which
# changes what is reported of it: tests/bib/test_sources.py raises it. A key LaTeX cannot read
# (CIT205) needs a Markdown document built with natbib or biblatex, whose note the fixture's
# stderr would then hold: tests/cli/test_check_builds.py raises it. A format naming no
# bibliography is warned of (DOC107) only when none is configured, and the fixture's map
# configures one: tests/cli/test_check_builds.py raises it too, in every format. R Markdown's
# citeproc not run (DOC108) needs a bibliography named in pandoc_args' files, whose note the
# fixture's stderr would hold: tests/cli/test_check_builds.py raises it.
LOADED_MAP_RULES = {
    r.code
    for r in RULES
    if r.severity is not None
    and not r.code.startswith(("MAP2", "MAP3"))
    and r.code not in ("BIB113", "CIT205", "DOC107", "DOC108")
}


def test_the_fixture_has_a_problem_of_every_kind(project: Path) -> None:
    _, out, _ = check("--format", "json")
    codes = {p["code"] for p in json.loads(out)["problems"]}
    assert codes == LOADED_MAP_RULES


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_map_that_does_not_load_in_each_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, golden: Callable[[str, str], None]
) -> None:
    shutil.copytree(DATA / "lint-map", tmp_path / "lint-map")
    monkeypatch.chdir(tmp_path / "lint-map")
    result = runner.invoke(
        app,
        ["check-citations", "--no-cache", "paper.md", "--output-format", fmt],
        env={"COLUMNS": "100", "NO_COLOR": "1"},
    )
    assert result.exit_code == 1 and result.stderr == ""
    for code in ("MAP201", "MAP202", "MAP203", "MAP204", "MAP205", "CIT201"):
        assert code in result.stdout
    golden(
        f"check/lint-map.{FORMATS[fmt].removeprefix('fixture.')}",
        result.stdout.replace((tmp_path / "lint-map").as_uri(), "file:///ROOT"),
    )


def test_each_problem_has_its_rules_default_severity(project: Path) -> None:
    from argmap.base.rules import BY_CODE

    _, out, _ = check("--format", "json")
    for problem in json.loads(out)["problems"]:
        if problem["code"] == "BIB223":
            # keys equal but for case: an error where a document is built with BibTeX
            # (paper.tex is), as BibTeX then prints the wrong work
            assert problem["severity"] == "error", problem
            continue
        assert problem["severity"] == str(BY_CODE[problem["code"]].severity), problem
        assert problem["kind"] == BY_CODE[problem["code"]].name


def test_concise_lines_parse_and_are_relative(project: Path) -> None:
    _, out, _ = check("--format", "concise", "--all")
    *lines, summary = out.splitlines()
    assert len(lines) >= len(LOADED_MAP_RULES)
    for line in lines:
        match = CONCISE.match(line)
        assert match, line
        assert not Path(match.group(1)).is_absolute()
        assert (project / match.group(1)).is_file()
    assert summary.startswith("27 citations:")


def test_concise_is_the_default_when_piped(project: Path) -> None:
    assert check()[1] == check("--format", "concise")[1]


def test_table_is_the_old_name_of_full(project: Path) -> None:
    assert check("--format", "table")[1] == check("--output-format", "full")[1]


def test_sarif_is_valid_sarif_2_1_0(project: Path) -> None:
    schema = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    _, out, _ = check("--format", "sarif")
    log = json.loads(out)
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    results = run["results"]
    assert {r["ruleId"] for r in results} == LOADED_MAP_RULES
    year = next(r for r in results if r["ruleId"] == "CIT201")
    location = year["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "paper.md", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 61}
    rules = run["tool"]["driver"]["rules"]
    assert rules[year["ruleIndex"]]["id"] == "CIT201"


def test_sarif_rejects_what_it_should(project: Path) -> None:
    # the schema is strict enough to catch a broken log: the validation above means something
    schema = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(check("--format", "sarif")[1])
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(log)


def test_json_report_validates_against_its_schema(project: Path) -> None:
    result = runner.invoke(app, ["schema", "--scope", "report"])
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    report = json.loads(check("--format", "json")[1])
    assert report["version"] == 1
    jsonschema.Draft202012Validator(schema).validate(report)
    report["problems"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(report)


def test_github_annotations_escape_and_locate(project: Path) -> None:
    _, out, _ = check("--format", "github")
    lines = out.splitlines()
    year = next(line for line in lines if "CIT201" in line)
    assert year.startswith("::error file=paper.md,line=3,col=61,title=CIT201 year-mismatch::")
    # the summary, then (past GitHub's 10 annotations of a kind per step) how many it drops
    assert all(line.startswith("::") for line in lines[:-2])
    assert lines[-1].startswith(
        "GitHub shows 10 annotations of each kind per step (50 per job): 23 errors, 41 warnings"
    )


LONG_DIR = "drafts-of-the-follow-up-paper-on-cooperatives-and-credit"  # 56 characters


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_long_path_at_60_columns_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    long_dir = tmp_path / LONG_DIR
    long_dir.mkdir()
    shutil.copy(LINT / "refs.bib", long_dir / "refs.bib")
    name = "second-draft.md"
    shutil.copy(LINT / "paper.md", long_dir / name)
    monkeypatch.chdir(tmp_path)
    path = f"{LONG_DIR}/{name}"
    assert len(path) >= 70
    result = runner.invoke(
        app,
        ["check-citations", "--no-cache", "--bib", f"{LONG_DIR}/refs.bib", path, "--format", fmt],
        env={"COLUMNS": "60", "NO_COLOR": "1"},
    )
    out = result.stdout
    assert result.exit_code == 1, result.stderr
    # the path whole on one line, each problem's line number, and the keys, unsplit
    lines = out.splitlines()
    assert any(path in line for line in lines), out
    for needle in ("noexiste2020", "saravi1997a", "saravi1997b", "rabellotti1995"):
        assert any(needle in line for line in lines), (needle, out)
    if fmt in ("concise", "github", "full"):
        assert "…" not in out
    if fmt == "full":
        assert f"\n{path}\n" in f"\n{out}"
        # wrapped to the width, but for the paths and the summary, which stand whole
        findings = [line for line in lines[:-1] if line.startswith(" ")]
        assert len(findings) > 20 and all(len(line) <= 60 for line in findings), out
        assert "  5:29 error CIT204 unknown-key" in out
    if fmt == "concise":
        assert f"{path}:5:29: error CIT204 unknown key 'noexiste2020'" in out
