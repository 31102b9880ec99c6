"""`argmap check-citations` read without Typer: what the quick reader accepts it reads exactly as
Typer does, its table is the command's Typer declaration, everything else is left to Typer, and
a run either way writes the same report, the same messages and the same exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from argmap import entry
from argmap.cli import checking
from argmap.cli.app import app
from argmap.cli.quick import (
    CHECK_DEFAULTS,
    CHECK_FLAGS,
    CHECK_REPEATED,
    CHECK_VALUED,
    check_arguments,
)

DATA = Path(__file__).parents[1] / "data"
BIB = DATA / "check" / "refs.bib"
runner = CliRunner()


def typer_reads(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any] | None:
    """The keyword arguments Typer gives run_check_citations for ``check-citations ARGS`` (None:
    it refused the line)."""
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(checking, "run_check_citations", lambda **kwargs: seen.append(kwargs))
    result = runner.invoke(app, ["check-citations", *args])
    if result.exit_code != 0:
        assert not seen
        return None
    assert len(seen) == 1
    return seen[0]


def test_the_table_is_the_commands_typer_declaration() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    check = command.commands["check-citations"]
    declared: dict[str, tuple[str | None, bool, bool]] = {}
    arguments = []
    for param in check.params:
        if isinstance(param, typer.core.TyperArgument):
            arguments.append((param.name, param.nargs))
            continue
        for option in [*param.opts, *getattr(param, "secondary_opts", [])]:
            if option != "--help":
                declared[option] = (param.name, getattr(param, "is_flag", False), param.multiple)
    ours = {name: (param, False, False) for name, param in CHECK_VALUED.items()}
    ours |= {name: (param, False, True) for name, param in CHECK_REPEATED.items()}
    ours |= {name: (param, True, False) for name, param in CHECK_FLAGS.items()}
    assert declared == ours
    assert arguments == [("files", -1)]
    assert {param.name for param in check.params if param.name != "help"} == set(CHECK_DEFAULTS)


PLAIN = [
    [],
    ["paper.md"],
    ["paper.md", "refs.bib", "chapters/two.tex"],
    ["--map", "some/arguments"],
    ["--bib", "a.bib"],
    ["--bib", "a.bib", "--bib", "b.json", "--bib", "c.yaml"],
    ["--manuscript", "paper.md", "--manuscript", "notes.txt"],
    ["--format", "json"],
    ["--output-format", "concise"],
    ["--format", "yaml"],  # an unknown format is the command's to refuse, with its message
    ["--select", "CIT2,BIB101", "--select", "MAP"],
    ["--ignore", "BIB103", "--warn-as-error", "CIT101"],
    ["--exclude", "saravi1998", "--exclude", "x"],
    ["--select", "NOPE"],
    ["--strict"],
    ["--all", "--unused", "--no-cache"],
    ["a.md", "--bib", "x.bib", "b.md", "--format", "github", "c.bib"],
    ["--map", "ñandú dir/arguments", "--manuscript", "capítulo 1.md", "--exclude", "Ω"],
    [
        "--map",
        "m",
        "--bib",
        "r.bib",
        "--no-cache",
        "--manuscript",
        "p.tex",
        "--output-format",
        "sarif",
        "--select",
        "ALL",
        "--ignore",
        "CIT",
        "--warn-as-error",
        "BIB",
        "--strict",
        "--exclude",
        "k",
        "--all",
        "--unused",
        "f.md",
    ],
]


@pytest.mark.parametrize("args", PLAIN, ids=lambda a: " ".join(a) or "no-arguments")
def test_plain_lines_are_read_as_typer_reads_them(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = check_arguments(args, {})
    assert quick is not None
    assert quick == typer_reads(args, monkeypatch)


UNPLAIN = [
    ["--help"],
    ["--map=arguments"],
    ["--format=json"],
    ["--format", "json", "--output-format", "full"],
    ["--map", "a", "--map", "b"],
    ["--strict", "--strict"],
    ["--bib"],
    ["--bib", ""],
    ["--bib", "--all"],
    ["--select", "-CIT"],
    [""],
    ["-"],
    ["--"],
    ["--", "paper.md"],
    ["-x"],
    ["--colour"],
    ["--no-strict"],
]


@pytest.mark.parametrize("args", UNPLAIN, ids=lambda a: " ".join(a) or "empty")
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert check_arguments(args, {}) is None


def test_shell_completion_is_left_to_typer() -> None:
    assert check_arguments(["--bib"], {"_ARGMAP_COMPLETE": "complete_zsh"}) is None


TOKENS = st.sampled_from(
    [
        *CHECK_VALUED,
        *CHECK_REPEATED,
        *CHECK_FLAGS,
        "--help",
        "--format=json",
        "--",
        "-",
        "",
        "json",
        "full",
        "CIT2",
        "ALL",
        "paper.md",
        "refs.bib",
        "-x",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(TOKENS, max_size=8))
def test_whatever_it_accepts_typer_reads_the_same(args: list[str]) -> None:
    quick = check_arguments(args, {})
    if quick is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert quick == typer_reads(args, monkeypatch)


def run_through(
    args: list[str], quick: bool, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``argmap check-citations ARGS`` in this process, read by
    the quick reader (which must accept the line) or by Typer."""
    line = ["check-citations", *args]
    if quick:
        assert check_arguments(args, {}) is not None
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(sys, "argv", ["argmap", *line])
        code = 0
        try:
            entry.dispatch() if quick else entry.run()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


RUNS = [
    ["--bib", str(BIB), "--manuscript", str(DATA / "manuscripts" / "borrador.md")],
    ["--bib", str(BIB), str(DATA / "manuscripts" / "borrador.md"), "--format", "json"],
    ["--bib", str(BIB), str(DATA / "manuscripts" / "borrador.md"), "--format", "github", "--all"],
    ["--bib", str(BIB), str(DATA / "manuscripts" / "borrador.md"), "--format", "sarif"],
    ["--bib", str(BIB), str(DATA / "manuscripts" / "borrador.md"), "--format", "full"],
    ["--bib", str(BIB), str(DATA / "manuscripts" / "borrador.md"), "--select", "CIT1"],
    ["--bib", str(BIB), str(DATA / "manuscripts" / "borrador.md"), "--strict", "--unused"],
    ["--bib", str(BIB), str(DATA / "manuscripts" / "borrador.md"), "--exclude", "schmitz1995"],
    # usage errors and unreadable input: the same message, the same exit code 2
    ["--bib", str(BIB), str(DATA / "manuscripts" / "borrador.md"), "--format", "yaml"],
    ["--bib", str(BIB), str(DATA / "manuscripts" / "borrador.md"), "--select", "NOPE"],
    ["--bib", str(BIB), "no-such-paper.md"],
    ["--bib", "no-such.bib", str(DATA / "manuscripts" / "borrador.md")],
    ["--map", "no-such-map", "--bib", str(BIB)],
    [str(DATA / "manuscripts" / "borrador.md")],
    [],
]


@pytest.mark.parametrize("args", RUNS, ids=lambda a: " ".join(Path(x).name for x in a) or "none")
def test_a_run_read_either_way_ends_the_same(
    args: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    quick = run_through(args, True, capsys)
    through_typer = run_through(args, False, capsys)
    assert quick == through_typer
    assert quick[1] or quick[2]  # it said something: a report or a message


def test_a_plain_check_runs_without_typer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    manuscript = DATA / "manuscripts" / "borrador.md"
    code = (
        "import sys\n"
        f"sys.argv = ['argmap', 'check-citations', '--bib', {str(BIB)!r}, {str(manuscript)!r}]\n"
        "from argmap.entry import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    sys.stderr.write(f'EXIT:{e.code}')\n"
        "sys.stderr.write('LOADED:' + ','.join(m for m in ('typer', 'click') if m in sys.modules))"
    )
    env = dict(os.environ, COLUMNS="100", XDG_CACHE_HOME=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert "EXIT:1" in out.stderr  # the manuscript has errors
    assert out.stderr.rsplit("LOADED:", 1)[1] == ""
    through_typer = runner.invoke(
        app, ["check-citations", "--bib", str(BIB), str(manuscript)], env={"COLUMNS": "100"}
    )
    assert through_typer.exit_code == 1
    assert out.stdout == through_typer.stdout


def test_a_check_imports_only_what_it_uses(tmp_path: Path) -> None:
    # No CLI framework, no fuzzy matcher (no misspelt name), no LaTeX parser (an accented name
    # is decoded without it), no reader of reference managers' items (not a Word file).
    (tmp_path / "refs.bib").write_text(
        '@book{mueller2001, author = {M{\\"u}ller, Hans and Ko{\\v{c}}ar, Ana}, '
        "title = {Title}, publisher = {P}, year = {2001}}\n",
        encoding="utf-8",
    )
    (tmp_path / "paper.md").write_text("As argued (Müller and Kočar, 2002).\n", encoding="utf-8")
    watched = ("typer", "click", "rapidfuzz", "pylatexenc", "argmap.citations.items")
    code = (
        "import sys\n"
        "sys.argv = ['argmap', 'check-citations', '--bib', 'refs.bib', 'paper.md']\n"
        "from argmap.entry import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    sys.stderr.write(f'EXIT:{e.code}')\n"
        f"sys.stderr.write('LOADED:' + ','.join(m for m in {watched!r} if m in sys.modules))"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert "year-mismatch" in out.stdout or "CIT201" in out.stdout, out.stdout + out.stderr
    assert "Müller & Kočar 2001" in out.stdout
    assert "EXIT:1" in out.stderr
    assert out.stderr.rsplit("LOADED:", 1)[1] == ""
