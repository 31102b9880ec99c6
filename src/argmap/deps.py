"""What a command read: files (by content hash), directory listings and path checks.

The command-result cache (`memo`) replays a command's output only while everything it read is
unchanged; the modules that read user input note it here. Recording is off unless a recorder is
active, and costs a hash per file when on.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

# Each dependency: ("file", path, sha256 hex) | ("dir", path, sorted names joined) |
# ("isdir"/"isfile", path, "1" or "").
Dep = tuple[str, str, str]

_active: list[Dep] | None = None


def start() -> None:
    """Begin recording."""
    global _active
    _active = []


def stop() -> list[Dep]:
    """End recording and return what was noted, without repeats."""
    global _active
    noted, _active = _active or [], None
    return list(dict.fromkeys(noted))


def recording() -> bool:
    """Whether a recorder is active."""
    return _active is not None


_last: tuple[bytes, str] | None = None


def digest(data: bytes) -> str:
    """The content hash used for files (and for cache keys); the last one is remembered, as a
    file read for a command is hashed both as a dependency and as a cache key."""
    global _last
    if _last is not None and _last[0] is data:
        return _last[1]
    value = hashlib.sha256(data).hexdigest()
    _last = (data, value)
    return value


def note_file(path: Path, data: bytes) -> None:
    """A file was read whole."""
    if _active is not None:
        _active.append(("file", str(Path(path).resolve()), digest(data)))


def note_dir(path: Path) -> None:
    """A directory was listed."""
    if _active is not None:
        _active.append(("dir", str(Path(path).resolve()), _listing(Path(path))))


def _listing(path: Path) -> str:
    return "\n".join(sorted(p.name for p in path.iterdir()))


def note_check(kind: str, path: Path, result: bool) -> None:
    """``path`` was checked to be a directory (``isdir``) or a file (``isfile``)."""
    if _active is not None:
        _active.append((kind, str(Path(path).absolute()), "1" if result else ""))


def unchanged(dep: Dep) -> bool:
    """Whether a recorded dependency still holds."""
    kind, name, value = dep
    path = Path(name)
    try:
        if kind == "file":
            return digest(path.read_bytes()) == value
        if kind == "dir":
            return _listing(path) == value
        if kind == "isdir":
            return path.is_dir() == bool(value)
        if kind == "isfile":
            return path.is_file() == bool(value)
    except OSError:
        return False
    return False
