"""argmap.base.textio: reading input files whole, within their size limit."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from argmap.base import textio
from argmap.errors import BibliographyError, OutputError


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


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("C:\\Users\\me\\refs.bib", "under WSL, /mnt/c/Users/me/refs.bib"),
        ("bib\\refs.bib", "'\\' is no separator here: write bib/refs.bib"),
        ("refs/missing.bib", "check the path"),
        ("-", "argmap reads files, not standard input"),
    ],
    ids=["drive", "backslash", "plain", "stdin"],
)
def test_a_missing_windows_path_is_said_to_be_one(tmp_path: Path, path: str, hint: str) -> None:

    with pytest.raises(BibliographyError) as raised:
        textio.read_bytes(Path(path), BibliographyError, "bibliography")
    assert "bibliography not found" in str(raised.value) and hint in str(raised.value)


def test_a_loop_of_links_is_named_as_one(tmp_path: Path) -> None:

    (tmp_path / "a.bib").symlink_to("b.bib")
    (tmp_path / "b.bib").symlink_to("a.bib")
    with pytest.raises(BibliographyError, match="bibliography is a loop of symbolic links"):
        textio.read_bytes(tmp_path / "a.bib", BibliographyError, "bibliography")
    with pytest.raises(OutputError, match="cannot write: a loop of symbolic links"):
        textio.write_atomic(tmp_path / "a.bib", "x", force=True)


def test_output_into_a_missing_directory_names_the_output(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as raised:
        textio.write_atomic(tmp_path / "nodir" / "map.md", "x")
    assert "map.md: cannot write: directory does not exist" in str(raised.value)
