"""The console script: after ``check-citations`` the process ends without the interpreter's
teardown, with its whole output and the exit code ``main`` gives; other commands end as usual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
BIB = DATA / "check" / "refs.bib"

# an exit handler stands for the interpreter's teardown: it runs only if the teardown does
_RUN = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write('TEARDOWN'))\n"
    "sys.argv = ['argmap', *sys.argv[1:]]\n"
    "from argmap.entry import console\n"
    "console()\n"
)


def _console(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_CACHE_HOME=str(cwd / "cache"))
    return subprocess.run(
        [sys.executable, "-c", _RUN, *args], capture_output=True, text=True, env=env, cwd=cwd
    )


def test_a_check_ends_without_teardown_its_output_whole(tmp_path: Path) -> None:
    ms = tmp_path / "ms.md"
    # a report far longer than a pipe holds: written whole before the process ends
    ms.write_text("(Schmitz, 1995) and (Zzyzx, 2001).\n\n" * 3000, encoding="utf-8")
    out = _console(["check-citations", "--bib", str(BIB), str(ms), "--format", "json"], tmp_path)
    assert out.returncode == 1  # a missing work
    assert "TEARDOWN" not in out.stderr
    report = json.loads(out.stdout)
    assert report["summary"]["citations"] == 6000


def test_a_clean_check_exits_0_and_a_usage_error_2(tmp_path: Path) -> None:
    ms = tmp_path / "ms.md"
    ms.write_text("(Schmitz, 1995).\n", encoding="utf-8")
    clean = _console(["check-citations", "--bib", str(BIB), str(ms)], tmp_path)
    assert (clean.returncode, "TEARDOWN" in clean.stderr) == (0, False)
    bad = _console(["check-citations", "--bib", str(BIB), str(ms), "--format", "yaml"], tmp_path)
    assert bad.returncode == 2
    assert "unknown output format 'yaml'" in bad.stderr
    assert "TEARDOWN" not in bad.stderr


@pytest.mark.parametrize(
    "args", [["--version"], ["rules", "CIT201"]], ids=["version", "another-command"]
)
def test_other_commands_end_as_usual(args: list[str], tmp_path: Path) -> None:
    out = _console(args, tmp_path)
    assert out.returncode == 0
    assert out.stderr.endswith("TEARDOWN")
