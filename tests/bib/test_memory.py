"""What a read bibliography keeps in memory, measured with tracemalloc (bytes allocated, not
time: stable on a shared machine): the entries of a lean file, cold and warm, and the peak
while they are made."""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import pytest

from argmap.bib.reader import load_bibliography

BENCH = Path(__file__).parents[2] / "bench"
ENTRIES = 4000
# Bytes per entry beyond the text itself (which the entries' spans point into), measured on this
# file: kept about 430 cold and 460 warm, at the peak about 440 cold and 760 warm (main before
# issue 16: kept about 810 and 800, peaks 860 and 1,120). The limits leave a margin of ~20%.
KEPT_PER_ENTRY = 560
PEAK_COLD = 560
PEAK_WARM = 920


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)


@pytest.fixture
def lean_file(tmp_path: Path) -> Path:
    sys.path.insert(0, str(BENCH))
    try:
        import generate
    finally:
        sys.path.remove(str(BENCH))
    text, _ = generate.lean_bibliography(ENTRIES)
    assert text.isascii()  # one byte a character, in the file and in memory
    path = tmp_path / "lean.bib"
    path.write_text(text, encoding="utf-8")
    return path


def measured(path: Path, use_cache: bool) -> tuple[int, int]:
    """Bytes per entry kept by the Bibliography and at the peak, the text's own size taken
    away."""
    load_bibliography(path, use_cache=False, workers=1)  # every module imported, every cache warm
    size = path.stat().st_size
    tracemalloc.start()
    try:
        bib = load_bibliography(path, use_cache=use_cache, workers=1)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(bib.entries) == ENTRIES
    return (kept - size) // ENTRIES, (peak - size) // ENTRIES


def test_a_cold_read_keeps_little_per_entry(lean_file: Path) -> None:
    kept, peak = measured(lean_file, use_cache=False)
    assert kept < KEPT_PER_ENTRY, kept
    assert peak < PEAK_COLD, peak


def test_a_warm_read_keeps_little_per_entry(lean_file: Path) -> None:
    load_bibliography(lean_file)  # fills the cache
    kept, peak = measured(lean_file, use_cache=True)
    assert kept < KEPT_PER_ENTRY, kept
    assert peak < PEAK_WARM, peak
