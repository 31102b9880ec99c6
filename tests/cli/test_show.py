"""The command line through CliRunner: exit codes, stdout and stderr kept apart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.map.models import ClaimKind, EvidenceKind

REPO = Path(__file__).parents[2]

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
    assert "[D1] diagnóstico" in out and "[R3] recomendación" in out
    code, out, err = run("show", "--format", "text", "--lang", "en")
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


def test_spanish_tree_has_no_english_kind_or_relation_words() -> None:
    code, out, err = run("show", "--map", str(REPO / "arguments"), "--bib", str(REPO / "refs.bib"))
    assert code == 0, err
    english = {k.value for k in ClaimKind} | {k.value for k in EvidenceKind}
    english |= {"supports", "attacks", "leads to", "case study", "comparative study"}
    found = {word for word in english if re.search(rf"\b{word}\b", out)}
    assert found == set()
    assert "diagnóstico" in out and "estudio de caso" in out and "conduce a" in out


def test_tree_has_a_legend_unless_claims_only(mini: Path) -> None:
    args = ("show", "--map", str(mini / "arguments"), "--lang", "en")
    _, out, _ = run(*args)
    assert out.splitlines()[1] == (
        "◇ evidence · ✓ in the bibliography · ✗ missing from the bibliography"
    )
    _, out, _ = run(*args, "--no-evidence")
    assert "✓ in the bibliography" not in out


def claim_ids(out: str) -> list[str]:
    return [c["id"] for c in json.loads(out)["claims"]]


def test_json_focus_is_the_path_and_the_subtree(mini: Path) -> None:
    code, out, _ = run("show", "--map", str(mini / "arguments"), "--format=json", "--focus", "R2")
    assert code == 0
    assert sorted(claim_ids(out)) == ["D1", "F1", "R2", "T1"]
    t1 = next(c for c in json.loads(out)["claims"] if c["id"] == "T1")
    assert [r["target"] for r in t1["relations"]] == ["D1", "R2"]  # leads_to R1 dropped


def test_json_depth_and_no_evidence(mini: Path) -> None:
    base = ("show", "--map", str(mini / "arguments"), "--format", "json")
    code, out, _ = run(*base, "--depth", "2", "--no-evidence")
    assert code == 0
    assert sorted(claim_ids(out)) == ["D1", "P1", "T1"]
    assert all(c["evidence"] == [] for c in json.loads(out)["claims"])
    _, whole, _ = run(*base)
    assert sorted(claim_ids(whole)) == ["D1", "F1", "P1", "R1", "R2", "T1"]


def test_json_refuses_lang(mini: Path) -> None:
    code, out, err = run("show", "--map", str(mini / "arguments"), "--format=json", "--lang=en")
    assert code == 2 and out == ""
    assert "--lang" in err and "every language" in err and "Traceback" not in err


def test_json_unknown_focus_is_an_error(mini: Path) -> None:
    code, out, err = run("show", "--map", str(mini / "arguments"), "--format=json", "--focus=X")
    assert code == 2 and out == ""
    assert "unknown claim id 'X'" in err


@pytest.fixture
def fake_pager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pager that writes what it is given to a file; stdout taken for a 30-row terminal."""
    import argmap.base.pager as pager

    paged = tmp_path / "paged.txt"
    monkeypatch.setattr(pager, "stdout_is_terminal", lambda: True)
    monkeypatch.setattr(pager, "terminal_height", lambda: 30)
    monkeypatch.setenv("ARGMAP_PAGER", f"sh -c 'cat > {paged}'")
    return paged


def test_tall_tree_goes_through_the_pager_on_a_terminal(fake_pager: Path) -> None:
    code, out, err = run("show", "--map", str(REPO / "arguments"), "--bib", str(REPO / "refs.bib"))
    assert code == 0, err
    assert out == ""
    assert "D1 diagnóstico" in fake_pager.read_text(encoding="utf-8")


def test_short_tree_is_printed_unless_pager_is_asked(fake_pager: Path, mini: Path) -> None:
    args = ("show", "--map", str(mini / "arguments"), "--depth", "1", "--no-evidence")
    _, out, _ = run(*args)
    assert "D1 diagnóstico" in out and not fake_pager.exists()
    _, out, _ = run(*args, "--pager")
    assert out == "" and "D1 diagnóstico" in fake_pager.read_text(encoding="utf-8")


def test_no_pager_prints(fake_pager: Path) -> None:
    _, out, _ = run("show", "--map", str(REPO / "arguments"), "--no-pager", "--format", "text")
    assert "[D1] diagnóstico" in out and not fake_pager.exists()


def test_never_paged_when_piped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("ARGMAP_PAGER", f"sh -c 'cat > {paged}'")
    _, out, _ = run("show", "--map", str(REPO / "arguments"), "--pager", "--format", "text")
    assert "[D1] diagnóstico" in out and not paged.exists()


def test_explicit_pager_without_one_is_an_error(
    fake_pager: Path, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGMAP_PAGER", "no-such-pager-here")
    code, out, err = run("show", "--map", str(mini / "arguments"), "--pager", "--no-evidence")
    assert code == 2 and out == ""
    assert "no pager found" in err


def test_browse_needs_a_terminal() -> None:
    code, out, err = run("browse")
    assert code == 2 and out == ""
    assert "browse needs an interactive terminal" in err and "argmap show" in err


def test_help_names_the_pager_and_lang_defaults() -> None:
    code, out, _ = run("show", "--help")
    flat = " ".join(out.replace("│", " ").split())
    assert code == 0
    assert "[default: (when taller than the terminal; never when piped)]" in flat
    assert "not with --format json" in flat


@pytest.mark.parametrize(
    "args",
    [("show",), ("show", "--format", "text"), ("trace", "R1"), ("trace", "--source", "piore1984")],
    ids=["tree", "text", "trace-claim", "trace-source"],
)
def test_output_written_to_a_file_has_no_trailing_spaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    # Rich leaves the space it broke a line at; in a file that is trailing whitespace, which
    # pre-commit's trailing-whitespace hook and diffs flag
    monkeypatch.chdir(tmp_path)
    code, out, err = run(*args, "--map", str(REPO / "arguments"), "--bib", str(REPO / "refs.bib"))
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) > 20 and max(len(line) for line in lines) > 90  # wrapped at 100 columns
    assert [line for line in lines if line != line.rstrip()] == []


def test_a_map_without_its_refs_bib_says_where_argmap_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.copytree(REPO / "arguments", tmp_path / "arguments")
    monkeypatch.chdir(tmp_path)
    code, _, err = run("show")
    assert code == 2
    assert err == (
        "argmap: error: refs.bib: no refs.bib beside the map (none was named, so argmap looked "
        "there) (create it, give one with --bib FILE, or name it as bib under [tool.argmap])\n"
    )
    code, _, err = run("show", "--bib", "mine.bib")  # named: the reader's own message
    assert code == 2 and "mine.bib: bibliography not found" in err
