"""Replaying an unchanged command's result: used while nothing it read has changed, only then."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from argmap import cache


@pytest.fixture
def project(tmp_path: Path, mini: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(mini, target)
    return target


def run(project: Path, cache_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ARGMAP_NO_CACHE"}
    env.update(XDG_CACHE_HOME=str(cache_home), COLUMNS="100", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "argmap", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def run_entries(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "argmap" / "run").glob("*.marshal"))


def frame(value: object) -> bytes:
    """One record as the cache writes it: its length, then its marshal bytes."""
    payload = marshal.dumps(value)
    return len(payload).to_bytes(8, "little") + zlib.crc32(payload).to_bytes(4, "little") + payload


def plant(entry: Path, out: str) -> None:
    """Replace the recorded stdout of a cache entry, keeping its dependencies."""
    data = entry.read_bytes()
    start = len(cache.magic())
    size = int.from_bytes(data[start : start + 8], "little")
    record = marshal.loads(data[start + 12 : start + 12 + size])
    record["out"] = out
    entry.write_bytes(cache.magic() + frame(record) + frame(cache._END))


def test_replay_gives_the_same_output_code_and_stderr(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "cache"
    first = run(project, home, "show", "--format", "text")
    second = run(project, home, "show", "--format", "text")
    assert first.returncode == second.returncode == 1  # mini cites a key its bib lacks
    assert first.stdout == second.stdout and first.stderr == second.stderr
    assert "nobody1999" in second.stderr
    assert len(run_entries(home)) == 1


def test_replay_is_used_while_inputs_are_unchanged(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "cache"
    real = run(project, home, "show", "--format", "text").stdout
    (entry,) = run_entries(home)
    plant(entry, "REPLAYED\n")
    assert run(project, home, "show", "--format", "text").stdout == "REPLAYED\n"
    # a different invocation is a different entry
    assert run(project, home, "show", "--format", "text", "--lang", "en").stdout != "REPLAYED\n"
    # a change to a map file invalidates the planted entry: the command runs again
    claims = project / "arguments" / "20-claims.yaml"
    if not claims.exists():
        claims = sorted((project / "arguments").glob("*.yaml"))[-1]
    claims.write_text(claims.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run(project, home, "show", "--format", "text").stdout == real


@pytest.mark.parametrize("change", ["new map file", "bib", "new project below"])
def test_any_input_change_reruns(project: Path, tmp_path: Path, change: str) -> None:
    home = tmp_path / "cache"
    where = project
    if change == "new project below":
        where = project / "sub"
        where.mkdir()
    run(where, home, "show", "--format", "text")
    plant(run_entries(home)[0], "REPLAYED\n")
    if change == "new map file":
        (project / "arguments" / "99-more.yaml").write_text(
            "claims:\n  - id: X9\n    kind: finding\n    text: {es: Nuevo., en: New.}\n"
            "    locator: {section: '2', paragraph: 9}\n"
            "    relations: [{type: supports, target: D1}]\n",
            encoding="utf-8",
        )
    elif change == "bib":
        bib = project / "refs.bib"
        bib.write_text(bib.read_text(encoding="utf-8") + "\n@misc{nobody1999, year = 1999}\n")
    else:  # a project of its own appears nearer the working directory
        shutil.copytree(project / "arguments", where / "arguments")
        shutil.copy(project / "refs.bib", where / "refs.bib")
        first = sorted((where / "arguments").glob("*.yaml"))[0]
        text = first.read_text(encoding="utf-8").replace("un caso de prueba", "otro proyecto")
        first.write_text(text, encoding="utf-8")
    out = run(where, home, "show", "--format", "text").stdout
    assert out != "REPLAYED\n"
    if change == "new map file":
        assert "X9" in out
    elif change == "bib":
        assert "MISSING nobody1999" not in out
    else:
        assert "otro proyecto" in out


def test_commands_that_write_are_never_replayed(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "cache"
    target = tmp_path / "map.json"
    assert run(project, home, "export", "-f", "json", "-o", str(target)).returncode == 0
    assert target.exists() and run_entries(home) == []
    assert run(project, home, "init", str(tmp_path / "new")).returncode == 0
    assert run_entries(home) == []


def test_no_cache_flag_and_env(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "cache"
    run(project, home, "show", "--format", "text", "--no-cache")
    assert run_entries(home) == [] and not (home / "argmap" / "bib").exists()


def test_corrupt_entries_are_ignored(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "cache"
    real = run(project, home, "show", "--format", "text").stdout
    for entry in run_entries(home):
        entry.write_bytes(cache.magic() + b"\x00garbage")
    assert run(project, home, "show", "--format", "text").stdout == real
