"""Giving large freed blocks of memory back to the system at once (glibc's allocator), for the
work that makes and frees many of them: a cold read of a large bibliography.

glibc serves a request of 128 KiB or more with a mapping of its own, given back when it is
freed, but raises that bound to the size of every such block freed (up to 32 MiB): after the
5 MB bytes of the .bib are freed (once decoded), every column, list and table of 128 KiB to
5 MB that the read makes comes from the heap, and the holes they leave when freed stay with
the process. Python's own small objects never fill them (they live in arenas of their own),
so they add to the peak of the check that follows: about 4 MB of a cold check of the
benchmark's lean 20k file (README, *The cold check, round 28*). Setting the bound explicitly
keeps it where it started.
"""

from __future__ import annotations

import os
import sys

_M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>
LARGE_BLOCK = 128 << 10  # glibc's own starting bound

_set = False


def return_large_blocks() -> bool:
    """Have every block of ``LARGE_BLOCK`` or more mapped apart and given back when freed (glibc
    on Linux; elsewhere nothing is done). Whether the allocator took it (asked once a process:
    ``ctypes`` is imported only here, ~2 ms)."""
    global _set
    if _set:
        return True
    if sys.platform != "linux":
        return False
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False  # another C library (musl): its allocator has no such bound
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (ValueError, OSError, AttributeError, ImportError):
        return False
    _set = bool(mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK))
    return _set
