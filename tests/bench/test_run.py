"""bench/run.py's own bookkeeping: the directories it makes for a run do not outlive it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load_run() -> ModuleType:
    sys.path.insert(0, str(BENCH))  # run.py imports its sibling generate.py
    try:
        spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_run"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_edited_project_is_removed_with_the_scratch_dirs() -> None:
    run = _load_run()
    project, edit = run.edited_project()
    edit()
    assert "(edit 1)" in "".join(
        p.read_text(encoding="utf-8") for p in (project / "arguments").glob("*.yaml")
    )
    other = run.scratch("argmap-bench-test-")
    run.remove_scratch()
    assert not project.exists() and not other.exists()
