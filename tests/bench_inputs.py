"""The benchmark's input generator, ``bench/generate.py``, for the tests that read what it makes
(its bibliographies and manuscripts, at small sizes)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).parents[1] / "bench"


def bench_generator() -> ModuleType:
    """``bench/generate.py`` as a module (``bench/`` is no package: it is put on the path only
    while the module is imported; Python keeps the module for later calls)."""
    sys.path.insert(0, str(BENCH))
    try:
        import generate
    finally:
        sys.path.remove(str(BENCH))
    return generate
