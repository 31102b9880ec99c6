"""Checking a manuscript pauses Python's cyclic garbage collector, and gives it back as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from argmap.bib.reader import load_bibliography
from argmap.checks import citations
from argmap.checks.citations import Report, check_manuscript
from argmap.citations.matcher import Matcher

BIB = Path(__file__).parents[1] / "data" / "check" / "refs.bib"


@pytest.fixture
def matcher() -> Matcher:
    return Matcher(load_bibliography(BIB, use_cache=False))


def test_the_collector_is_on_again_after_a_check(tmp_path: Path, matcher: Matcher) -> None:
    ms = tmp_path / "ms.md"
    ms.write_text("(Schmitz, 1995) and (Zzyzx, 2001).\n", encoding="utf-8")
    assert gc.isenabled()
    report = Report()
    check_manuscript(ms, matcher, report)
    assert gc.isenabled()
    assert [c.status for c in report.citations] == ["ok", "missing"]


def test_a_collector_turned_off_stays_off(tmp_path: Path, matcher: Matcher) -> None:
    ms = tmp_path / "ms.md"
    ms.write_text("(Schmitz, 1995)\n", encoding="utf-8")
    gc.disable()
    try:
        check_manuscript(ms, matcher, Report())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_on_again_after_a_failure(matcher: Matcher) -> None:
    def pieces():  # type: ignore[no-untyped-def]
        assert not gc.isenabled()  # paused while the manuscript is read
        raise OSError("disk gone")
        yield

    with pytest.raises(OSError):
        check_manuscript(Path("ms.md"), matcher, Report(), pieces())
    assert gc.isenabled()


def test_young_objects_are_collected_on_the_way(
    tmp_path: Path, matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long manuscript does not pile up its cycles while the collector is paused."""
    monkeypatch.setattr(citations._PausedCollector, "EVERY", 10)
    collected: list[int] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collected.append(info["generation"])

    ms = tmp_path / "ms.md"
    ms.write_text("(Schmitz, 1995).\n\n" * 45, encoding="utf-8")
    gc.callbacks.append(watch)
    try:
        report = Report()
        check_manuscript(ms, matcher, report)
    finally:
        gc.callbacks.remove(watch)
    assert len(report.citations) == 45
    assert collected.count(0) == 4  # after 10, 20, 30 and 40 citations


def test_young_objects_are_collected_when_the_caller_paused_the_collector(
    tmp_path: Path, matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run_check`` pauses the collector for the whole check: a long manuscript still has its
    young objects collected on the way, and the collector stays as the caller left it."""
    monkeypatch.setattr(citations._PausedCollector, "EVERY", 10)
    collected: list[int] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collected.append(info["generation"])

    ms = tmp_path / "ms.md"
    ms.write_text("(Schmitz, 1995).\n\n" * 25, encoding="utf-8")
    gc.disable()
    gc.callbacks.append(watch)
    try:
        report = Report()
        check_manuscript(ms, matcher, report)
        assert not gc.isenabled()
    finally:
        gc.callbacks.remove(watch)
        gc.enable()
    assert len(report.citations) == 25
    assert collected.count(0) == 2  # after 10 and 20 citations
