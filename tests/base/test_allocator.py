"""Large freed blocks go back to the system (``argmap.base.allocator``): after a 5 MB block is
freed, glibc would keep the 1 MB blocks a read makes and frees as heap the process holds; with
the bound set, they are given back. Each case runs in a fresh interpreter, whose allocator no
other test has touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Blocks of 1 MiB made and freed after a 5 MiB one was freed: the resident memory they leave.
_PROGRAM = """
import sys
PAGE = 4096

def resident():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE

if sys.argv[1] == "set":
    from argmap.base.allocator import return_large_blocks
    assert return_large_blocks()
    assert return_large_blocks()  # asked again: nothing more to do
elif sys.argv[1] == "read":  # a cold read of a large .bib sets it
    from pathlib import Path
    from argmap.bib.reader import load_bibliography
    assert len(load_bibliography(Path(sys.argv[2]), use_cache=False, workers=1).entries) == 5000
big = b"x" * (5 << 20)
del big  # (glibc raises its bound for mapped blocks to this size, unless it was set)
before = resident()
blocks = [b"y" * (1 << 20) for _ in range(8)]
del blocks
print((resident() - before) >> 20)
"""


def _glibc() -> bool:
    try:
        return bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (ValueError, OSError, AttributeError):
        return False


def _left_resident(*args: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _PROGRAM, *args], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


glibc_only = pytest.mark.skipif(
    sys.platform != "linux" or not _glibc(), reason="glibc's allocator on Linux only"
)


@glibc_only
def test_freed_large_blocks_are_given_back_once_the_bound_is_set() -> None:
    assert _left_resident("default") >= 6  # glibc's own way: the 8 MB stay with the process
    assert _left_resident("set") <= 1


@glibc_only
def test_a_cold_read_of_a_large_bibliography_sets_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "large.bib"
    title = "A title of some length " * 8
    path.write_text(
        "".join(
            f"@misc{{k{i}, author = {{Doe, Jane}}, year = {{2001}}, title = {{{title}}}}}\n"
            for i in range(5000)
        ),
        encoding="utf-8",
    )
    assert path.stat().st_size >= 1 << 20  # as large as a file indexed on all cores
    assert _left_resident("read", str(path)) <= 1


def test_elsewhere_nothing_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    from argmap.base import allocator

    monkeypatch.setattr(allocator, "_set", False)
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator.return_large_blocks() is False
