"""``run_check`` keeps Python's cyclic garbage collector paused while it checks, and gives it
back as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from argmap.checks import citations
from argmap.cli.checking import run_check

BIB = Path(__file__).parents[1] / "data" / "check" / "refs.bib"


def _check(tmp_path: Path) -> None:
    ms = tmp_path / "ms.md"
    ms.write_text("(Schmitz, 1995) and (Zzyzx, 2001).\n", encoding="utf-8")
    report = run_check([], None, [BIB], [ms], [], [], [], False, [], False)
    assert [c.status for c in report.citations] == ["ok", "missing"]


def test_the_bibliography_is_checked_with_the_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    check_bibliography = citations.check_bibliography

    def watched(*args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())
        check_bibliography(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(citations, "check_bibliography", watched)
    monkeypatch.chdir(tmp_path)
    assert gc.isenabled()
    _check(tmp_path)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_turned_off_stays_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    gc.disable()
    try:
        _check(tmp_path)
        assert not gc.isenabled()
    finally:
        gc.enable()
