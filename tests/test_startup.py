"""Start-up stays light: importing the CLI pulls in none of the heavy libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("bibtexparser", "pydantic", "yaml", "rapidfuzz", "rich", "pylatexenc", "textual")


def test_importing_cli_imports_no_heavy_module() -> None:
    code = f"import sys, argmap.cli.app; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_version_imports_no_framework() -> None:
    code = (
        "import sys; sys.argv = ['argmap', '--version']; from argmap.entry import main; main(); "
        f"print(','.join(m for m in ('typer', 'click') + {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    version_line, loaded = out.stdout.splitlines()
    assert version_line.startswith("argmap ")
    assert loaded == ""


def loaded_by(*args: str) -> set[str]:
    """The heavy modules a real run of ``argmap ARGS`` imports (no cache, the shipped map)."""
    import os
    import tempfile

    code = (
        "import sys\n"
        f"sys.argv = ['argmap', *{list(args)!r}]\n"
        "from argmap.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"sys.stderr.write('LOADED:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    env = dict(os.environ, ARGMAP_NO_CACHE="1")
    with tempfile.TemporaryDirectory() as empty:
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=empty,
        )
    return set(filter(None, out.stderr.rsplit("LOADED:", 1)[1].split(",")))


def test_json_output_does_not_import_rich() -> None:
    assert "rich" not in loaded_by("show", "--format", "json")
    assert "rich" not in loaded_by("export", "--format", "json")
    assert "rich" not in loaded_by("check-citations", "--format", "json")


def test_show_without_evidence_does_not_read_bibtex() -> None:
    loaded = loaded_by("show", "--no-evidence", "--format", "text")
    assert not loaded & {"bibtexparser", "pylatexenc", "rich", "rapidfuzz"}
    assert "yaml" in loaded_by("show", "--format", "text")  # the check can fail


def test_a_plain_bibliography_is_read_without_bibtexparser() -> None:
    # Issue 16: the shipped refs.bib has only entries of the plain shape, which the index reads
    # with the standard library; bibtexparser (60 ms to import) is left for what it is not.
    assert not loaded_by("show", "--format", "text") & {"bibtexparser", "pylatexenc"}
    assert "bibtexparser" not in loaded_by("check-citations", "--format", "json")


def test_no_module_replays_command_output() -> None:
    # Issue 17: replaying whole commands gave stale answers; nothing may bring it back.
    import argmap

    root = Path(argmap.__file__).parent
    names = {p.stem for p in root.rglob("*.py")}
    assert not names & {"memo", "deps"}


def test_interrupt_and_closed_pipe_end_without_traceback(tmp_path: Path) -> None:
    import os

    env = dict(os.environ, ARGMAP_NO_CACHE="1", COLUMNS="100")
    code = (
        "import sys; sys.argv = ['argmap', 'show', '--format', 'text']\n"
        "import argmap.entry as e\n"
        "def boom():\n    raise KeyboardInterrupt\n"
        "e.dispatch = boom\n"
        "e.main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 130 and out.stderr == "argmap: interrupted\n"
    # a reader that went away (`| head`): no BrokenPipeError traceback, nothing on stderr
    broken = code.replace("raise KeyboardInterrupt", "raise BrokenPipeError(32, 'Broken pipe')")
    out = subprocess.run([sys.executable, "-c", broken], capture_output=True, text=True, env=env)
    assert out.returncode == 1 and out.stderr == ""


def test_show_with_a_warm_cache_parses_no_yaml_and_builds_no_validator(tmp_path: Path) -> None:
    # Issue 16: validated map files come from the cache (no PyYAML, no pydantic validator, so
    # no scan of installed packages for pydantic plugins), a plainly written show reads its
    # options without Typer, and a tree printed without styles (piped) is laid out without Rich.
    import os

    watched = (
        "yaml",
        "pydantic",
        "pydantic_core",
        "tempfile",  # only writing a file needs it (argmap.base.textio imports it then)
        "typer",
        "click",
        "importlib.metadata",
        "rapidfuzz",
        "rich.console",
        "tomllib",
    )
    code = (
        "import sys\n"
        "sys.argv = ['argmap', 'show']\n"
        "from argmap.entry import main\n"
        "main()\n"
        f"sys.stderr.write('LOADED:' + ','.join(m for m in {watched!r} if m in sys.modules))\n"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), COLUMNS="100")
    for name in ("ARGMAP_NO_CACHE", "FORCE_COLOR", "TTY_COMPATIBLE"):
        env.pop(name, None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
        )
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    first, second = (set(filter(None, r.stderr.rsplit("LOADED:", 1)[1].split(","))) for r in runs)
    assert "yaml" in first
    assert second == set()


def test_show_after_an_edit_and_with_an_empty_cache_imports_no_pydantic(tmp_path: Path) -> None:
    # Issue 16: after an edit to one claim, or with nothing cached, the map's plainly valid
    # files are built as plain objects (argmap.map.plain, argmap.map.data) and drawn from them:
    # Pydantic and the models (~80 ms of CPU), its validators and the plugin loader's
    # importlib.metadata (with email) are not paid for.
    import os
    import shutil

    repo = Path(__file__).parents[1]
    project = tmp_path / "project"
    shutil.copytree(repo / "arguments", project / "arguments")
    shutil.copy(repo / "refs.bib", project / "refs.bib")
    watched = (
        "pydantic",
        "pydantic_core",
        "argmap.map.models",
        "importlib.metadata",
        "email",
        "typer",
        "click",
        "rich.console",
    )
    code = (
        "import sys\n"
        "sys.argv = ['argmap', 'show']\n"
        "from argmap.entry import main\n"
        "main()\n"
        f"loaded = [m for m in {watched!r} if m in sys.modules]\n"
        "sys.stderr.write('LOADED:' + ','.join(loaded))\n"
    )
    env = dict(os.environ, COLUMNS="100")
    for name in ("ARGMAP_NO_CACHE", "FORCE_COLOR", "TTY_COMPATIBLE"):
        env.pop(name, None)

    def show(cache: str) -> tuple[str, set[str]]:
        run = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=dict(env, XDG_CACHE_HOME=str(tmp_path / cache)),
            cwd=project,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout, set(filter(None, run.stderr.rsplit("LOADED:", 1)[1].split(",")))

    empty_out, empty_loaded = show("fresh")
    assert empty_loaded == set()
    edited = sorted((project / "arguments").glob("*.yaml"))[-1]
    text = edited.read_text(encoding="utf-8")
    marker = "    text:\n      es: >-\n        "
    assert marker in text
    edited.write_text(text.replace(marker, f"{marker}(editado) ", 1), encoding="utf-8")
    edit_out, edit_loaded = show("fresh")  # the cache the first run filled, one file changed
    assert edit_loaded == set()
    assert "(editado)" in edit_out and "(editado)" not in empty_out


def test_checking_a_manuscript_imports_no_dataclasses_and_no_fuzzy_matcher(tmp_path: Path) -> None:
    # Issue 16: the check's own classes (spans, citations, matches, records, problems, rules,
    # the selection, the configuration, names) are NamedTuples or plain classes, so a check of a
    # manuscript does not import dataclasses with the inspect, ast, dis and tokenize it pulls in
    # (~10 ms), nor create twenty dataclasses (~1 ms each); rapidfuzz comes only with a
    # citation that no exact lookup finds.
    import os

    (tmp_path / "refs.bib").write_text(
        "@book{rossi2001,\n  author = {Rossi, Ana and Kim, Bo},\n  title = {T},\n"
        "  publisher = {P},\n  year = {2001}\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "paper.md").write_text(
        "As shown (Rossi & Kim, 2001) and by Rossi and Kim (2001) [@rossi2001].\n",
        encoding="utf-8",
    )
    watched = ("dataclasses", "inspect", "rapidfuzz", "typer", "click", "urllib.request")
    code = (
        "import sys\n"
        "sys.argv = ['argmap', 'check-citations', '--bib', 'refs.bib', '--manuscript', "
        "'paper.md', '--format', 'json']\n"
        "from argmap.entry import main\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\nelse:\n    code = 0\n"
        f"loaded = ','.join(m for m in {watched!r} if m in sys.modules)\n"
        "sys.stderr.write(f'EXIT:{code}:' + loaded)\n"
    )
    env = dict(os.environ, ARGMAP_NO_CACHE="1")
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert '"ok": 3' in run.stdout
    assert run.stderr.rsplit("EXIT:", 1)[1] == "0:"
    # a misspelt name brings the fuzzy matcher, and only then
    (tmp_path / "paper.md").write_text("As shown (Rossa & Kim, 2001).\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert '"name-mismatch": 1' in run.stdout
    assert run.stderr.rsplit("EXIT:", 1)[1] == "0:rapidfuzz"


def test_show_imports_no_dataclasses() -> None:
    # Issue 16: the outline's views are NamedTuples and its nodes slotted classes, so a warm
    # `show` no longer imports dataclasses with the inspect it pulls in (~10 ms), as the check
    # does not (above). (`--format json` writes the map through its Pydantic models, and
    # Pydantic imports dataclasses itself.)
    watched = ("dataclasses", "inspect")
    for args in (
        ("show", "--format", "text"),
        ("show", "--format", "tree"),
        ("show", "--no-evidence", "--depth", "1", "--format", "text"),
        ("show", "--focus", "D1", "--lang", "en", "--format", "text"),
    ):
        code = (
            "import sys\n"
            f"sys.argv = ['argmap', *{list(args)!r}]\n"
            "from argmap.entry import main\n"
            "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\nelse:\n"
            "    code = 0\n"
            f"loaded = ','.join(m for m in {watched!r} if m in sys.modules)\n"
            "sys.stderr.write(f'EXIT:{code}:' + loaded)\n"
        )
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert run.stdout.strip(), args  # it drew the map
        assert run.stderr.rsplit("EXIT:", 1)[1] in ("0:", "1:"), (args, run.stderr[-300:])
