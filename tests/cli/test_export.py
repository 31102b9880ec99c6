"""`argmap export`, `schema` and `init` through the CLI: stdout, -o, --force, --focus, errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def fixture_args(export_fixture: Path) -> list[str]:
    return ["--map", str(export_fixture / "arguments"), "--bib", str(export_fixture / "refs.bib")]


def test_export_prints_to_stdout(export_fixture: Path) -> None:
    code, out, err = run("export", "--format", "mermaid", *fixture_args(export_fixture))
    assert code == 0, err
    assert out.startswith("---\ntitle:") and "flowchart LR" in out


def test_export_writes_file_and_refuses_to_overwrite(export_fixture: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.dot"
    code, out, err = run("export", "-f", "dot", "-o", str(target), *fixture_args(export_fixture))
    assert code == 0, err
    assert out == "" and target.read_text(encoding="utf-8").startswith("digraph argmap {")
    target.write_text("mine", encoding="utf-8")
    code, _, err = run("export", "-f", "dot", "-o", str(target), *fixture_args(export_fixture))
    assert code == 2 and "file exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "mine"
    code, _, err = run(
        "export", "-f", "dot", "-o", str(target), "--force", *fixture_args(export_fixture)
    )
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("digraph")
    assert [p.name for p in tmp_path.iterdir()] == ["map.dot"]  # no temporary file left


def test_written_file_gets_the_usual_mode(export_fixture: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.json"
    code, _, err = run("export", "-f", "json", "-o", str(target), *fixture_args(export_fixture))
    assert code == 0, err
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_markdown_front_matter_points_at_the_bib_from_the_output(
    export_fixture: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "map.md"
    target.parent.mkdir()
    code, _, err = run("export", "-f", "markdown", "-o", str(target), *fixture_args(export_fixture))
    assert code == 0, err
    line = next(x for x in target.read_text(encoding="utf-8").splitlines() if x.startswith("bib"))
    named = json.loads(line.split(": ", 1)[1])
    assert (target.parent / named).resolve() == (export_fixture / "refs.bib").resolve()


def test_unknown_format_suggests_the_nearest(export_fixture: Path) -> None:
    code, out, err = run("export", "-f", "mermeid", *fixture_args(export_fixture))
    assert code == 2 and out == ""
    assert "unknown export format 'mermeid'" in err and "mermaid" in err


def test_unknown_focus_is_a_usage_error(export_fixture: Path) -> None:
    code, _, err = run("export", "-f", "json", "--focus", "R9", *fixture_args(export_fixture))
    assert code == 2 and "unknown claim id 'R9'" in err and "R1" in err


def test_focus_exports_the_part(export_fixture: Path) -> None:
    code, out, _ = run("export", "-f", "json", "--focus", "C1", *fixture_args(export_fixture))
    assert code == 0
    assert [c["id"] for c in json.loads(out)["claims"]] == ["F1", "R1", "C1"]


def test_missing_keys_are_reported_after_writing(mini: Path, tmp_path: Path) -> None:
    target = tmp_path / "refs.json"
    code, _, err = run(
        "export", "-f", "csl-json", "-o", str(target), "--map", str(mini / "arguments")
    )
    assert code == 1 and "nobody1999" in err
    assert [i["id"] for i in json.loads(target.read_text(encoding="utf-8"))] == ["roe2018"]


def test_output_into_missing_directory_fails_cleanly(export_fixture: Path, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "map.dot"
    code, _, err = run("export", "-f", "dot", "-o", str(target), *fixture_args(export_fixture))
    assert code == 2 and "directory does not exist" in err and "Traceback" not in err


@pytest.mark.parametrize("scope", ["file", "map"])
def test_schema_prints_a_json_schema(scope: str) -> None:
    code, out, _ = run("schema", "--scope", scope)
    document = json.loads(out)
    assert code == 0
    assert document["$schema"].endswith("2020-12/schema")
    assert "claims" in document["properties"]
    assert ("article" in document.get("required", [])) == (scope == "map")


def test_schema_unknown_scope() -> None:
    code, _, err = run("schema", "--scope", "everything")
    assert code == 2 and "use one of: file, map" in err


@pytest.mark.parametrize("lang", ["es", "en"])
def test_init_then_show_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    project = tmp_path / "paper"
    code, _, err = run("init", str(project), "--lang", lang)
    assert code == 0, err
    assert sorted(p.name for p in (project / "arguments").iterdir()) == [
        "00-article.yaml",
        "10-claims.yaml",
    ]
    monkeypatch.chdir(project)
    code, out, err = run("show", "--format", "text", "--lang", "en")
    assert code == 0, err
    assert "[D1] diagnosis" in out and "[R1] recommendation" in out
    code, out, err = run("check-citations")
    assert code == 0, out + err
    # the example's reported claim leaves naming its source to argmap (reported_from): its text
    # said "Saraví (1998) ..." and the Markdown export then named the work twice
    code, out, err = run("export", "-f", "markdown")
    assert code == 0, err
    [line] = [text for text in out.splitlines() if "mesoespacio" in text]
    assert "Saraví" not in line.split("[")[0] and line.endswith("@saravi1998sociologica].")


def test_init_without_a_directory_starts_the_project_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as git init: a writer who made and entered the paper's directory types `argmap init`
    # (it was "Missing argument 'directory'"), and is not told to "cd ." after
    monkeypatch.chdir(tmp_path)
    code, _, err = run("init")
    assert code == 0, err
    assert (tmp_path / "arguments" / "10-claims.yaml").is_file()
    assert err.splitlines()[-1] == "argmap: next: argmap show"
    code, _, err = run("init", str(tmp_path / "paper"))
    assert code == 0 and err.splitlines()[-1].startswith("argmap: next: cd /"), err


def test_init_never_replaces_files(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text("% my own bibliography\n", encoding="utf-8")
    code, _, err = run("init", str(tmp_path))
    assert code == 2 and "refs.bib: file exists" in err
    # the way out it offers first keeps the writer's file; --force is said to replace it
    assert "to keep it, run argmap init in a new directory" in err and "--force to replace" in err
    assert (tmp_path / "refs.bib").read_text(encoding="utf-8") == "% my own bibliography\n"
    assert not (tmp_path / "arguments").exists()  # nothing written at all
    code, _, err = run("init", str(tmp_path), "--force")
    assert code == 0, err
    assert "saravi1998sociologica" in (tmp_path / "refs.bib").read_text(encoding="utf-8")


def test_init_on_a_file_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    code, _, err = run("init", str(target))
    assert code == 2 and "not a directory" in err


@pytest.mark.parametrize(
    ("lang", "spanish"), [("en", False), ("es", True)], ids=["init-en", "init-es"]
)
def test_lang_defaults_to_the_maps_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, spanish: bool
) -> None:
    project = tmp_path / "paper"
    assert run("init", str(project), "--lang", lang)[0] == 0
    monkeypatch.chdir(project)
    outputs = {
        "show": run("show")[1],
        "export": run("export", "-f", "markdown")[1],
        "trace": run("trace", "R1")[1],
        "trace --source": run("trace", "--source", "saravi1998sociologica")[1],
    }
    for command, out in outputs.items():
        assert out, command
        # "apoya" / "Cadena" / "Si cae" are the Spanish labels of supports, chain and falls.
        has_spanish = any(w in out for w in ("apoya", "conduce a", "Cadena", "Si cae"))
        has_english = any(w in out for w in ("supports", "leads to", "Chain", "If "))
        assert (has_spanish, has_english) == (spanish, not spanish), (command, out)
    # --lang given still wins over the map's language.
    other = "es" if lang == "en" else "en"
    assert ("apoya" in run("show", "--lang", other)[1]) is (other == "es")


@pytest.mark.parametrize(
    "args", [("export", "-f", "markdown"), ("refs", "--used")], ids=["export", "refs-used"]
)
def test_a_cited_key_the_bibliography_lacks_is_named_at_its_line(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    source = (Path(__file__).parents[2] / "arguments").glob("*.yaml")
    folder = tmp_path / "arguments"
    folder.mkdir()
    for path in source:
        text = path.read_text(encoding="utf-8").replace("key: piore1984", "key: piore1948")
        (folder / path.name).write_text(text, encoding="utf-8")
    bib = Path(__file__).parents[2] / "refs.bib"
    code, _, err = run(*args, "--map", str(folder), "--bib", str(bib))
    assert code == 1
    lines = err.splitlines()
    assert any(
        "error CIT204" in line
        and "unknown key 'piore1948' [did you mean 'piore1984'" in line
        and ".yaml:" in line
        for line in lines
    ), err
    assert lines[-1].startswith("argmap: 1 cited key not in refs.bib: piore1948")
