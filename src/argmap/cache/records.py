"""The user cache of parsed bibliographies, under ``$XDG_CACHE_HOME/argmap`` (else
``~/.cache/argmap``).

What it trusts, and why a stale or forged answer cannot come out of it:

- A file's name is a hash of the exact bytes that were parsed (the caller reads the .bib once,
  hashes those bytes and parses the same bytes) and of everything else the result depends on:
  the cache format, argmap's version, its code (newest module time, for editable installs) and
  the versions of the libraries that shaped the result. Changed bytes or code mean another name.
- Only a directory owned by the user and writable by no one else is used; it is created 0700. A
  directory that fails this is refused with one warning, and the command runs without cache.
- Only regular files are read (a FIFO or device there is skipped, never opened for blocking
  reads), of bounded size; every record carries its length (checked against what is left of the
  file and a bound before anything is allocated) and a CRC-32, and is JSON, whose decoding
  allocates no more than its input, or raw bytes (columns of strings and integers that the
  reader splits and checks itself; never unpickled or unmarshalled). A record that fails any
  check means "no cache": rebuild.
- Writes go to a temporary file (0600) renamed into place; every failure, interrupt or full disk
  removes it, and temporary files left by killed processes are pruned. An unwritable cache is
  simply not written.

``--no-cache`` or ``ARGMAP_NO_CACHE=1`` bypass the cache entirely.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import stat
import sys
import time
import zlib
from array import array
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from argmap import __version__

# 3: columns as raw byte records (see argmap.bib.columns); 4: surnames per entry; 5: an entry
# read by the index keeps its core fields (but the year) in the text; 6: a column of whether an
# entry's author or editor list has more than two commas; 7: the first opening pandoc refuses;
# 8: whether no two keys are one in lower case, and the commas column says whether a name of
# the list may have more than two (see argmap.bib.index.many_commas)
FORMAT = 8
MAX_FILE = 1 << 30  # a cache file over 1 GiB is not read
MAX_RECORD = 256 << 20  # nor a record over 256 MiB
STALE_TMP = 600.0  # seconds after which a temporary file is a dead writer's
KEEP = {"bib": 8, "re": 4}  # newest files kept per kind
_HEAD = 12  # bytes before each record: its length (8) and CRC-32 (4)
_RAW = b"\x00"  # the first byte of a raw record's payload (no JSON text starts with it)


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """When argmap's own code last changed (newest module mtime).

    An editable install keeps its version while its code changes; a cache written by other
    code must not be read, so the stamp is part of every cache key. It costs a directory walk
    of argmap's few dozen modules.
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


def _library_versions() -> str:
    """The versions of the libraries whose behaviour shapes a cached parse, from the names of
    their installed metadata directories (``importlib.metadata`` costs 50 ms to import)."""
    import importlib.util

    out = []
    for name in ("bibtexparser", "pylatexenc"):
        found = "none"
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            site = os.path.dirname(os.path.dirname(spec.origin))
            try:
                for item in os.listdir(site):
                    if item.lower().startswith(name + "-") and item.endswith(
                        (".dist-info", ".egg-info")
                    ):
                        found = item[len(name) + 1 :].rsplit(".", 1)[0]
                        break
            except OSError:
                pass
        out.append(f"{name}={found}")
    return " ".join(out)


@lru_cache(maxsize=1)
def magic() -> bytes:
    """The header of every cache file: the format, argmap's version, its code, the libraries."""
    return f"argmap-cache {FORMAT} {__version__} {code_stamp()} {_library_versions()}\n".encode()


def key_for(content: bytes) -> str:
    """The cache key of a file whose bytes are ``content``: covers the bytes and ``magic()``."""
    digest = hashlib.sha256(content).digest()
    return hashlib.sha256(magic() + digest).hexdigest()


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
    return root() / kind / f"{key}.json"


_warned: set[str] = set()
# set while a cache the user never asks about is written (``write``'s ``quiet``)
_quiet = False
# The kinds of cache file this process wrote (a "bib": it parsed a bibliography).
written: set[str] = set()


def _warn(message: str) -> None:
    """Say once per process on stderr why the cache is not used (not while ``_quiet``)."""
    if message not in _warned and not _quiet:
        _warned.add(message)
        sys.stderr.write(f"argmap: warning: {message}; running without the cache\n")


def _safe_dir(path: Path, create: bool) -> bool:
    """Whether ``path`` is a directory owned by this user and writable by no one else
    (created 0700 when ``create``); one warning when it exists but is not safe."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not create:
            return False
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
            info = os.lstat(path)
        except OSError as exc:
            _warn(f"cannot create the cache directory {path} ({exc.strerror})")
            return False
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        _warn(f"cache directory {path} is not a directory")
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        _warn(f"cache directory {path} belongs to another user")
        return False
    if info.st_mode & 0o022:
        _warn(f"cache directory {path} is writable by others (chmod 700 it)")
        return False
    return True


def directory(kind: str, create: bool = False) -> Path | None:
    """The directory of ``kind``, if it (and the cache root) can be trusted; else None."""
    top = root()
    if not _safe_dir(top, create):
        return None
    sub = top / kind
    return sub if _safe_dir(sub, create) else None


def read(kind: str, key: str) -> list[Any] | None:
    """The records of a cache file (JSON values, and raw records as ``memoryview``s of the
    file's bytes), or None when there is none or it fails any check."""
    folder = directory(kind)
    if folder is None:
        return None
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(folder / f"{key}.json", flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(info.st_size + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return decode(data)


def decode(data: bytes) -> list[Any] | None:
    """The records of a cache file's bytes (raw ones as views of ``data``), or None if anything
    is wrong with them."""
    header = magic()
    if not data.startswith(header):
        return None
    view = memoryview(data)
    records: list[Any] = []
    pos = len(header)
    while pos + _HEAD <= len(data):
        size = int.from_bytes(view[pos : pos + 8], "little")
        crc = int.from_bytes(view[pos + 8 : pos + _HEAD], "little")
        end = pos + _HEAD + size
        if size > MAX_RECORD or end > len(data):
            return None
        payload = view[pos + _HEAD : end]
        if zlib.crc32(payload) != crc:
            return None  # damaged on disk: never trusted
        if payload[:1] == _RAW:
            # a view of the file's bytes, not a copy of them: a warm read of a large file held
            # its columns twice
            records.append(payload[1:])
            pos = end
            continue
        try:
            record = json.loads(bytes(payload))
        except (ValueError, RecursionError):
            return None
        if record == _END:
            return records if end == len(data) else None
        records.append(record)
        pos = end
    return None


_END = ["argmap-cache-end"]


def write(kind: str, key: str, records: Iterable[Any], quiet: bool = False) -> bool:
    """Write ``records`` (JSON values, or ``bytes`` and other buffers such as arrays, kept as
    they are) as the cache file ``key``, whole or not at all; ``quiet``: without a warning
    when it cannot be written (for a cache that only saves time, such as compiled patterns).

    The file is written under a temporary name and renamed; any failure (a full or read-only
    disk, an interrupt) removes the temporary file. Returns whether the file is in place.
    """
    global _quiet
    if quiet:
        _quiet = True
        try:
            return write(kind, key, records)
        finally:
            _quiet = False
    folder = directory(kind, create=True)
    if folder is None:
        return False
    tmp: str | None = None
    try:
        fd, tmp = _create_temporary(folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(magic())
            for record in itertools.chain(records, [_END]):
                if isinstance(record, (bytes, bytearray, memoryview, array)):
                    # the tag and the bytes written apart (a column is megabytes: not copied)
                    head, payload = _RAW, memoryview(record).cast("B")
                else:
                    head = b""
                    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
                    payload = memoryview(text.encode())
                handle.write((len(head) + payload.nbytes).to_bytes(8, "little"))
                handle.write(zlib.crc32(payload, zlib.crc32(head)).to_bytes(4, "little"))
                handle.write(head)
                handle.write(payload)
        os.replace(tmp, folder / f"{key}.json")
        tmp = None
        written.add(kind)
    except OSError as exc:
        # a read-only cache directory or a full disk: said once, or every run would be slow
        # without a word why
        _warn(f"cannot write in the cache directory {folder} ({exc.strerror})")
        return False
    except (ValueError, TypeError, RecursionError):
        return False
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    prune(folder, KEEP.get(kind, 50))
    return True


def _create_temporary(folder: Path) -> tuple[int, str]:
    """A new file of a random ``.tmp-*.json`` name in ``folder``, open for writing, readable by
    its owner only: ``tempfile.mkstemp``'s, without importing ``tempfile`` (with the ``shutil``
    and ``random`` it imports, 4-8 ms of every run that writes the cache)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        name = str(folder / f".tmp-{os.urandom(8).hex()}.json")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def discard(kind: str, key: str) -> None:
    """Remove a cache file found unusable."""
    folder = directory(kind)
    if folder is not None:
        (folder / f"{key}.json").unlink(missing_ok=True)


def prune(folder: Path, keep: int, now: float | None = None) -> None:
    """Keep the ``keep`` newest cache files of ``folder``; remove temporary files of writers
    that died (older than STALE_TMP) and anything of an older format."""
    now = time.time() if now is None else now
    try:
        files: list[tuple[float, Path]] = []
        with os.scandir(folder) as entries:
            for entry in entries:
                info = entry.stat(follow_symlinks=False)
                path = Path(entry.path)
                if entry.name.startswith(".tmp-"):
                    if now - info.st_mtime > STALE_TMP:
                        path.unlink(missing_ok=True)
                elif entry.name.endswith((".marshal", ".rest")):
                    path.unlink(missing_ok=True)  # format 1
                elif entry.name.endswith(".json"):
                    files.append((info.st_mtime, path))
        files.sort(reverse=True)
        for _, old in files[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
