"""What a read bibliography keeps in memory, measured with tracemalloc (bytes allocated, not
time: stable on a shared machine): the entries of a lean file, cold and warm, and the peak
while they are made."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from bench_inputs import bench_generator

from argmap.bib.reader import load_bibliography

ENTRIES = 4000
# Bytes per entry beyond the text itself (which the entries' spans point into), measured on this
# file with the fold cache empty at the start of the read, as in a command: kept about 410 cold
# and 420 warm, at the peak about 540 cold and 730 warm (main before this round: kept 600 and
# 460, peaks 620 and 760 — the fold cache's copies of every name kept after a cold read, and a
# tuple per entry pointing at its fields; before issue 16: about 810 and 800 kept). The limits
# leave a margin of ~20%.
KEPT_COLD = 500
KEPT_WARM = 560
PEAK_COLD = 650
PEAK_WARM = 920


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)


@pytest.fixture
def lean_file(tmp_path: Path) -> Path:
    generate = bench_generator()
    text, _ = generate.lean_bibliography(ENTRIES)
    assert text.isascii()  # one byte a character, in the file and in memory
    path = tmp_path / "lean.bib"
    path.write_text(text, encoding="utf-8")
    return path


def measured(path: Path, use_cache: bool) -> tuple[int, int]:
    """Bytes per entry kept by the Bibliography and at the peak, the text's own size taken
    away."""
    from argmap.bib.names import fold

    load_bibliography(path, use_cache=False, workers=1)  # every module imported, every pattern
    fold.cache_clear()  # as a command starts: what filling it holds counts
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
    assert kept < KEPT_COLD, kept
    assert peak < PEAK_COLD, peak


def test_a_warm_read_keeps_little_per_entry(lean_file: Path) -> None:
    load_bibliography(lean_file)  # fills the cache
    kept, peak = measured(lean_file, use_cache=True)
    assert kept < KEPT_WARM, kept
    assert peak < PEAK_WARM, peak
