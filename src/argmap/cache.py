"""The user cache: parsed bibliographies and replayable command results, under
``$XDG_CACHE_HOME/argmap`` (else ``~/.cache/argmap``), keyed by content hashes and argmap's version.

Files are marshal data behind a header naming argmap's cache format and version. A file that is
corrupt, truncated, foreign or of another version is ignored (and replaced by the next write),
never trusted. Writes go to a temporary file renamed into place. ``--no-cache`` or
``ARGMAP_NO_CACHE=1`` bypass the cache entirely.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

from argmap import __version__

FORMAT = 1
MAGIC = f"argmap-cache {FORMAT} {__version__}\n".encode()
KEEP = {"bib": 8, "run": 200}  # newest files kept per kind


def disabled() -> bool:
    """Whether the environment turns the cache off."""
    return os.environ.get("ARGMAP_NO_CACHE", "") not in ("", "0")


def root() -> Path:
    """The cache directory (not created here)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "argmap"


def path_for(kind: str, key: str) -> Path:
    """Where the cache file of ``kind`` with ``key`` lives."""
    return root() / kind / f"{key}.marshal"


def load(kind: str, key: str) -> Any | None:
    """The cached value, or None when there is none or it cannot be trusted."""
    try:
        data = path_for(kind, key).read_bytes()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    try:
        return marshal.loads(memoryview(data)[len(MAGIC) :])
    except (EOFError, ValueError, TypeError):
        return None


def store(kind: str, key: str, value: Any) -> None:
    """Save ``value`` (marshal-able) atomically; a cache that cannot be written is skipped."""
    import tempfile

    target = path_for(kind, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC)
            marshal.dump(value, handle)
        os.replace(tmp, target)
    except (OSError, ValueError):  # ValueError: a value marshal cannot write
        Path(tmp).unlink(missing_ok=True)
        return
    _prune(target.parent, KEEP.get(kind, 50))


def _prune(directory: Path, keep: int) -> None:
    """Delete all but the ``keep`` most recently written files of ``directory``."""
    try:
        files = sorted(directory.glob("*.marshal"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
