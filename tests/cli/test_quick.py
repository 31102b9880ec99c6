"""`argmap show` read without Typer: what it accepts it reads exactly as Typer does, its table is
show's Typer declaration, and it leaves everything else to Typer."""

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

from argmap.cli import drawing
from argmap.cli.app import app
from argmap.cli.quick import DEFAULTS, FLAGS, VALUED, show_arguments

runner = CliRunner()


def typer_reads(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any] | None:
    """The keyword arguments Typer gives run_show for ``argmap show ARGS`` (None: it refused)."""
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(drawing, "run_show", lambda **kwargs: seen.append(kwargs))
    result = runner.invoke(app, ["show", *args])
    if result.exit_code != 0:
        assert not seen
        return None
    assert len(seen) == 1
    return seen[0]


def test_the_table_is_shows_typer_declaration() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    show = command.commands["show"]
    declared: dict[str, tuple[str | None, bool, bool]] = {}
    for param in show.params:
        for option in [*param.opts, *getattr(param, "secondary_opts", [])]:
            if option != "--help":
                declared[option] = (param.name, getattr(param, "is_flag", False), param.multiple)
    ours = {name: (param, False, name == "--bib") for name, param in VALUED.items()}
    ours |= {name: (param, True, False) for name, (param, _) in FLAGS.items()}
    assert declared == ours
    assert {param.name for param in show.params if param.name != "help"} == set(DEFAULTS)


PLAIN = [
    [],
    ["--map", "some/arguments"],
    ["--bib", "a.bib"],
    ["--bib", "a.bib", "--bib", "b.json", "--bib", "c.yaml"],
    ["--lang", "en"],
    ["--lang", "es", "--format", "text"],
    ["--format", "json"],
    ["--focus", "D1", "--depth", "3"],
    ["--depth", "12"],
    ["--no-evidence"],
    ["--no-cache", "--pager"],
    ["--no-pager"],
    ["--map", "m", "--bib", "x.bib", "--no-cache", "--focus", "A.b-c_1", "--no-pager"],
    ["--map", "ñandú dir/arguments", "--focus", "Ω"],
]


@pytest.mark.parametrize("args", PLAIN, ids=lambda a: " ".join(a) or "no-options")
def test_plain_lines_are_read_as_typer_reads_them(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = show_arguments(args, {})
    assert quick is not None
    assert quick == typer_reads(args, monkeypatch)


UNPLAIN = [
    ["--help"],
    ["--map=arguments"],
    ["--depth", "01"],
    ["--depth", "+3"],
    ["--depth", "0"],
    ["--depth", "-1"],
    ["--lang", "ES"],
    ["--lang", "fr"],
    ["--format", "yaml"],
    ["--lang", "en", "--lang", "es"],
    ["--pager", "--no-pager"],
    ["--map"],
    ["--map", ""],
    ["--map", "--bib"],
    ["extra"],
    ["--colour"],
    ["--no-cache", "--no-cache"],
]


@pytest.mark.parametrize("args", UNPLAIN, ids=lambda a: " ".join(a))
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert show_arguments(args, {}) is None


def test_shell_completion_is_left_to_typer() -> None:
    assert show_arguments([], {"_ARGMAP_COMPLETE": "complete_bash"}) is None


TOKENS = st.sampled_from(
    [
        *VALUED,
        *FLAGS,
        "--help",
        "--depth=2",
        "en",
        "es",
        "EN",
        "text",
        "json",
        "tree",
        "2",
        "0",
        "007",
        "-3",
        "D1",
        "x.bib",
        "",
        "-",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(TOKENS, max_size=7))
def test_whatever_it_accepts_typer_reads_the_same(args: list[str]) -> None:
    quick = show_arguments(args, {})
    if quick is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert quick == typer_reads(args, monkeypatch)


def test_a_plain_show_runs_without_typer(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.argv = ['argmap', 'show', '--format', 'text', '--lang', 'en']\n"
        "from argmap.entry import main\n"
        "main()\n"
        "sys.stderr.write('LOADED:' + ','.join(m for m in ('typer', 'click') if m in sys.modules))"
    )
    env = dict(os.environ, COLUMNS="100", XDG_CACHE_HOME=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert out.stderr.rsplit("LOADED:", 1)[1] == ""
    # the same text as through Typer
    through_typer = runner.invoke(
        app, ["show", "--format", "text", "--lang", "en"], env={"COLUMNS": "100"}
    )
    assert out.stdout == through_typer.stdout
