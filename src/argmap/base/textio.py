"""Reading user files as text (UTF-8, BOM and CRLF accepted) and writing output files atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from argmap.errors import ArgmapError, OutputError

_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def read_bytes(path: Path, error: type[ArgmapError], what: str) -> bytes:
    """The bytes of ``path``; ``error`` says clearly why not (missing, a directory, unreadable,
    or not UTF-8 text at all: a UTF-16/32 byte-order mark or NUL bytes)."""
    if not path.exists():
        raise error(f"{what} not found", path=path, hint="check the path")
    if path.is_dir():
        raise error(f"{what} is a directory, not a file", path=path, hint="name a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror}", path=path) from None
    check_text_bytes(data, path, error, what)
    return data


def check_text_bytes(data: bytes, path: Path, error: type[ArgmapError], what: str) -> None:
    """Refuse UTF-16/32 (by their byte-order marks) and binary data (NUL bytes)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise error(
                f"{what} is encoded as {name}; argmap reads UTF-8",
                path=path,
                hint=f"convert it, e.g. iconv -f {name} -t UTF-8",
            )
    if b"\x00" in data[:8192]:
        raise error(f"{what} looks binary (it has NUL bytes)", path=path, hint="name a text file")


def read_text(path: Path, error: type[ArgmapError], what: str) -> str:
    """The text of ``path`` as UTF-8 with newlines normalised; ``error`` says clearly why not."""
    return decode_text(read_bytes(path, error, what), path, error, what)


def decode_text(data: bytes, path: Path, error: type[ArgmapError], what: str) -> str:
    """Decode ``data`` as UTF-8 (a BOM is dropped, CRLF becomes LF) or raise ``error``."""
    check_text_bytes(data, path, error, what)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            path=path,
            line=line,
            hint="save it as UTF-8, e.g. iconv -f LATIN1 -t UTF-8",
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def write_atomic(path: Path, content: str | bytes, *, force: bool = False) -> None:
    """Write ``content`` (text as UTF-8, or bytes as they are) to ``path`` whole or not at all;
    never replace a file unless ``force``."""
    if path.exists() and not force:
        raise OutputError("file exists", path=path, hint="use --force to replace it")
    if path.is_dir():
        raise OutputError("is a directory", path=path, hint="name a file")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError("directory does not exist", path=directory, hint="create it first")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=path) from None
    try:
        # mkstemp creates the file 0600; give it the mode a plain open() would have.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
        data = content.encode("utf-8") if isinstance(content, str) else content
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not force and path.exists():
            raise OutputError("file exists", path=path, hint="use --force to replace it")
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write: {exc.strerror}", path=path) from None
        raise


def _default_mode() -> int:
    """0666 less the process umask: the mode a new file gets from open()."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
