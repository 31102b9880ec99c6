"""argmap.base.textio: reading input files whole, within their size limit."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from argmap.base import textio
from argmap.errors import BibliographyError


def test_a_small_file_is_read_without_reserving_the_limit(tmp_path: Path) -> None:
    small = tmp_path / "refs.bib"
    small.write_text("@misc{a, year = 2000}\n", encoding="utf-8")
    tracemalloc.start()
    try:
        data = textio.read_bytes(small, BibliographyError, "bibliography")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data == small.read_bytes()
    assert peak < 1 << 20  # the limit is hundreds of MB; the file is 22 bytes


def test_a_file_whose_size_says_nothing_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = tmp_path / "ms.md"
    text.write_bytes(b"As (Rossi, 2000) says.\n" * 1000)

    class NoSize:
        def __init__(self, real: os.stat_result) -> None:
            self.st_mode = real.st_mode
            self.st_size = 0  # as /proc files and some mounts report

    real_fstat = textio.os.fstat
    monkeypatch.setattr(textio.os, "fstat", lambda fd: NoSize(real_fstat(fd)))
    assert textio.read_bytes(text, BibliographyError, "manuscript") == text.read_bytes()


def test_a_file_over_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(textio.LIMITS, "bibliography", 100)
    big = tmp_path / "big.bib"
    big.write_bytes(b"x" * 101)
    with pytest.raises(BibliographyError, match="larger than"):
        textio.read_bytes(big, BibliographyError, "bibliography")
    big.write_bytes(b"x" * 100)
    assert len(textio.read_bytes(big, BibliographyError, "bibliography")) == 100
