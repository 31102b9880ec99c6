"""The user cache of parsed bibliographies, under
``$XDG_CACHE_HOME/argmap`` (else ``~/.cache/argmap``), keyed by content hashes and argmap's version.

Files are marshal data behind a header naming argmap's cache format and version. A file that is
corrupt, truncated, foreign or of another version is ignored (and replaced by the next write),
never trusted. Writes go to a temporary file renamed into place. ``--no-cache`` or
``ARGMAP_NO_CACHE=1`` bypass the cache entirely.
"""

from __future__ import annotations

import marshal
import os
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from argmap import __version__

FORMAT = 1


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """When argmap's own code last changed (newest module mtime).

    An editable install keeps its version while its code changes; a cache written by other
    code must not be read, so the stamp is part of every cache file's header. It costs a
    directory walk of argmap's few dozen modules.
    """
    newest, stack = 0, [os.path.dirname(os.path.dirname(__file__))]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir() and entry.name not in ("__pycache__", "data"):
                    stack.append(entry.path)
                elif entry.name.endswith(".py"):
                    newest = max(newest, entry.stat().st_mtime_ns)
    return str(newest)


@lru_cache(maxsize=1)
def magic() -> bytes:
    """The header of every cache file: the format, argmap's version and its code stamp."""
    return f"argmap-cache {FORMAT} {__version__} {code_stamp()}\n".encode()


KEEP = {"bib": 8}  # newest files kept per kind


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
    records = read_stream(kind, key)
    return records[0] if records is not None and len(records) == 1 else None


def store(kind: str, key: str, value: Any) -> None:
    """Save ``value`` (marshal-able) atomically; a cache that cannot be written is skipped."""
    writer = StreamWriter(kind, key)
    writer.write(value)
    writer.close()


def _prune(directory: Path, keep: int) -> None:
    """Delete all but the ``keep`` most recently written files of ``directory``."""
    try:
        files = sorted(directory.glob("*.marshal"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
            old.with_suffix(".rest").unlink(missing_ok=True)
    except OSError:
        pass


_END = ("argmap-cache-end",)


class StreamWriter:
    """Write a cache file record by record (so a large value is never held twice), then
    ``close`` to put it in place; a writer that fails along the way leaves no file."""

    def __init__(self, kind: str, key: str) -> None:
        import tempfile

        self.kind = kind
        self.target = path_for(kind, key)
        self.handle: Any = None
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, self.tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.target.parent)
            self.handle = os.fdopen(fd, "wb")
            self.handle.write(magic())
        except OSError:
            self._abandon()

    def write(self, record: Any) -> None:
        """Append one marshal-able record, after its length (so it can be read back by slicing:
        ``marshal.load`` on a file reads object by object, many times slower)."""
        if self.handle is None:
            return
        try:
            payload = marshal.dumps(record)
            self.handle.write(len(payload).to_bytes(8, "little"))
            self.handle.write(zlib.crc32(payload).to_bytes(4, "little"))
            self.handle.write(payload)
        except (OSError, ValueError):
            self._abandon()

    def close(self) -> None:
        """Finish the file and rename it into place."""
        if self.handle is None:
            return
        try:
            self.write(_END)
            if self.handle is None:
                return
            self.handle.close()
            os.replace(self.tmp, self.target)
        except (OSError, ValueError):
            self._abandon()
            return
        self.handle = None
        _prune(self.target.parent, KEEP.get(self.kind, 50))

    def abandon(self) -> None:
        """Give up: no file is left."""
        self._abandon()

    def _abandon(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        if getattr(self, "tmp", None):
            Path(self.tmp).unlink(missing_ok=True)


def read_stream(kind: str, key: str) -> list[Any] | None:
    """The records of a cache file written by StreamWriter, or None (missing, foreign, corrupt
    or cut short)."""
    try:
        data = path_for(kind, key).read_bytes()
    except OSError:
        return None
    header = magic()
    if not data.startswith(header):
        return None
    view = memoryview(data)
    records: list[Any] = []
    pos = len(header)
    while pos + 12 <= len(data):
        size = int.from_bytes(view[pos : pos + 8], "little")
        crc = int.from_bytes(view[pos + 8 : pos + 12], "little")
        end = pos + 12 + size
        if end > len(data):
            return None
        payload = view[pos + 12 : end]
        if zlib.crc32(payload) != crc:
            return None  # damaged on disk: never trusted
        try:
            record = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None
        if record == _END:
            return records if end == len(data) else None
        records.append(record)
        pos = end
    return None


class BlobFile:
    """An append-only file of byte blobs beside a cache file, read back by (offset, length).

    The handle stays open for reading while the process runs, so the blobs stay readable even
    if another process prunes the cache meanwhile.
    """

    def __init__(self, handle: Any, path: Path, tmp: Path | None = None) -> None:
        self.handle = handle
        self.path = path  # where the finished file lives
        self.tmp = tmp  # its name until ``finish``, for a file being written
        self.size = 0
        self.failed = False

    @classmethod
    def create(cls, kind: str, key: str) -> BlobFile | None:
        """A new blob file for the cache entry ``key`` (under a temporary name until ``finish``)."""
        import tempfile

        target = path_for(kind, key).with_suffix(".rest")
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            return cls(os.fdopen(fd, "w+b"), target, Path(tmp))
        except OSError:
            return None

    @classmethod
    def open(cls, kind: str, key: str, size: int) -> BlobFile | None:
        """The finished blob file of ``key``, if it is there and has the recorded size."""
        path = path_for(kind, key).with_suffix(".rest")
        try:
            handle = open(path, "rb")  # noqa: SIM115 - kept open for the process's life
        except OSError:
            return None
        blobs = cls(handle, path)
        blobs.size = os.fstat(handle.fileno()).st_size
        if blobs.size != size:
            handle.close()
            return None
        return blobs

    def append(self, blob: bytes) -> tuple[int, int, int] | None:
        """Add ``blob``; its (offset, length, CRC-32), or None if the disk refused it."""
        if self.failed:
            return None
        try:
            self.handle.seek(self.size)
            self.handle.write(blob)
        except OSError:
            self.failed = True
            return None
        offset = self.size
        self.size += len(blob)
        return offset, len(blob), zlib.crc32(blob)

    def read(self, ref: tuple[int, int, int]) -> bytes:
        """The blob at ``ref``; ValueError if it is not what was written there."""
        self.handle.flush()
        self.handle.seek(ref[0])
        blob = bytes(self.handle.read(ref[1]))
        if zlib.crc32(blob) != ref[2]:
            raise ValueError("damaged blob")
        return blob

    def discard(self) -> None:
        """Remove the finished cache entry this file belongs to (it was found damaged)."""
        self.path.unlink(missing_ok=True)
        self.path.with_suffix(".marshal").unlink(missing_ok=True)

    def finish(self) -> bool:
        """Put the file in place under its key; False if it could not be."""
        if self.failed or self.tmp is None:
            return False
        try:
            self.handle.flush()
            os.replace(self.tmp, self.path)
        except OSError:
            return False
        return True
