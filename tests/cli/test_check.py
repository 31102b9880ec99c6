"""`argmap check-citations` end to end: manuscripts in Markdown and LaTeX, JSON field by field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

DATA = Path(__file__).parents[1] / "data"
BIB = DATA / "check" / "refs.bib"
runner = CliRunner()


@pytest.fixture(autouse=True)
def outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no arguments/ is found, so only what a test names is checked."""
    monkeypatch.chdir(tmp_path)


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["check-citations", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def by_text(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["text"]: c for c in data["citations"]}


def test_markdown_manuscript_every_form_and_status() -> None:
    code, data = run_json(
        "--bib", str(BIB), "--manuscript", str(DATA / "manuscripts" / "borrador.md")
    )
    assert code == 1
    cites = by_text(data)
    assert cites["Schmitz, 1995"]["status"] == "ok"
    assert cites["Schmitz, 1995"]["key"] == "schmitz1995"
    assert cites["Schmitz (1995)"]["line"] == 3
    assert cites["Rabelloti, 1995"] == {
        "source": cites["Rabelloti, 1995"]["source"],
        "line": 4,
        "column": 23,
        "text": "Rabelloti, 1995",
        "code": "CIT101",
        "status": "name-mismatch",
        "key": "rabellotti1995",
        "candidates": ["rabellotti1995"],
        "cited_key": None,
        "paragraph": None,
    }
    assert cites["Brown Grossman y Domínguez Villalobos, 1997"]["line"] == 4
    assert cites["Saraví, 1997a"]["key"] == "saravi1997a"
    assert cites["Saraví, 1997b"]["key"] == "saravi1997b"
    assert cites["Saraví, 1997"]["status"] == "ambiguous"
    assert sorted(cites["Saraví, 1997"]["candidates"]) == ["saravi1997a", "saravi1997b"]
    assert cites["Tokman, 1978"]["key"] == "tokman1978"
    assert cites["Pedersen el al. (1994)"]["status"] == "ok"
    assert cites["Pedersen y otros (1994)"]["status"] == "ok"
    assert cites["Dei Otatti, 1995"]["status"] == "name-mismatch"
    assert cites["Perulli mismo (1992)"]["status"] == "ok"  # as printed
    assert cites["Schmitz, 1996"]["status"] == "year-mismatch"
    assert cites["Nadie Más, 2001"]["status"] == "missing"
    assert cites["@noexiste2020"]["status"] == "unknown-key"
    assert cites["-@brown1997"]["key"] == "brown1997"
    texts = set(cites)
    assert not any("1,200" in t or "300" in t or "example.org" in t for t in texts)
    summary = data["summary"]
    assert summary["citations"] == len(data["citations"])
    assert summary["by_status"]["ambiguous"] == 1


def test_problems_carry_kind_severity_line_and_suggestion() -> None:
    _, data = run_json("--bib", str(BIB), "--manuscript", str(DATA / "manuscripts" / "borrador.md"))
    problems = {(p["kind"], p["line"]): p for p in data["problems"]}
    mismatch = problems[("name-mismatch", 4)]
    assert mismatch["severity"] == "warning"
    assert mismatch["suggestion"] == "write it as Rabellotti 1995"
    assert set(mismatch) == {
        *("code", "kind", "severity", "source", "line", "column", "message", "key", "suggestion"),
        "paragraph",
    }
    missing_field = [p for p in data["problems"] if p["kind"] == "missing-field"]
    assert [p["key"] for p in missing_field] == ["incomplete2000"]
    assert "journal" in missing_field[0]["message"]
    incomplete = [p for p in data["problems"] if p["kind"] == "known-incomplete"]
    assert {p["severity"] for p in incomplete} == {"info"}
    assert len({p["key"] for p in incomplete}) == len(incomplete)


def test_latex_manuscript() -> None:
    code, data = run_json(
        "--bib", str(BIB), "--manuscript", str(DATA / "manuscripts" / "paper.tex")
    )
    cites = data["citations"]
    keys = [c["text"] for c in cites if c["status"] == "ok"]
    assert "Hirst and Zeitlin (1997)" in keys and "Schmitz 1995" in keys  # as printed
    unknown = [c for c in cites if c["status"] == "unknown-key"]
    assert len(unknown) == 1 and "hirst1997" in unknown[0]["candidates"]
    assert code == 1


def test_map_against_bib_reports_unknown_and_never_cited(mini: Path) -> None:
    code, data = run_json("--map", str(mini / "arguments"), "--bib", str(mini / "refs.bib"))
    assert code == 1
    kinds = {(p["kind"], p["key"]) for p in data["problems"]}
    assert ("unknown-key", None) in kinds
    assert any(
        p["kind"] == "unknown-key" and "nobody1999" in p["message"] for p in data["problems"]
    )


def test_shipped_map_checks_clean_of_errors() -> None:
    result = runner.invoke(app, ["check-citations", "--format", "json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0, data["problems"]
    assert data["summary"]["errors"] == 0 and data["summary"]["citations"] == 56


def test_strict_fails_on_warnings() -> None:
    ms = DATA / "manuscripts" / "warn.md"
    ms.write_text("Solo un error de OCR (Rabelloti, 1995).\n", encoding="utf-8")
    try:
        ok = runner.invoke(app, ["check-citations", "--bib", str(BIB), "--manuscript", str(ms)])
        strict = runner.invoke(
            app, ["check-citations", "--bib", str(BIB), "--manuscript", str(ms), "--strict"]
        )
    finally:
        ms.unlink()
    assert (ok.exit_code, strict.exit_code) == (0, 1)


def test_table_output_groups_by_file_with_summary() -> None:
    result = runner.invoke(
        app,
        [
            "check-citations",
            "--bib",
            str(BIB),
            "--manuscript",
            str(DATA / "manuscripts" / "borrador.md"),
        ],
        env={"COLUMNS": "200"},
    )
    assert "borrador.md" in result.stdout and "2 name mismatches" in result.stdout
    assert "write it as Rabellotti 1995" in result.stdout
    assert "citations:" in result.stdout.strip().splitlines()[-1]


def test_unreadable_manuscript_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "x.md"
    bad.write_bytes("año".encode("latin-1"))
    result = runner.invoke(app, ["check-citations", "--bib", str(BIB), "--manuscript", str(bad)])
    assert result.exit_code == 2 and "not valid UTF-8" in result.stderr
    missing = runner.invoke(
        app, ["check-citations", "--bib", str(BIB), "--manuscript", str(tmp_path / "nope.md")]
    )
    assert missing.exit_code == 2 and "manuscript not found" in missing.stderr
