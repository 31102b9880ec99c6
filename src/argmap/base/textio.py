"""Reading user files as text (UTF-8, BOM and CRLF accepted) and writing output files atomically."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from argmap.errors import ArgmapError, OutputError

_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


# Largest inputs read, by what they are: far beyond any real file, small enough that a runaway
# file (or a device that never ends) is refused before it exhausts memory.
MiB = 1 << 20
LIMITS = {"map file": 32 * MiB, "bibliography": 512 * MiB, "manuscript": 64 * MiB}
DEFAULT_LIMIT = 64 * MiB


def open_input(path: Path, error: type[ArgmapError], what: str) -> BinaryIO:
    """``path`` opened for reading in binary, once it is known to be a regular file no larger
    than argmap's limit for ``what`` (``LIMITS``); ``error`` says clearly why not (missing, a
    dangling link, a directory, a FIFO or a device, too large, unreadable). A reader that
    streams the file should stop at the limit too: the file may grow while it is read."""
    limit = LIMITS.get(what, DEFAULT_LIMIT)
    try:
        # Non-blocking, so that a FIFO is seen for what it is instead of hanging the open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        if path.is_symlink():
            raise error(
                f"{what} is a symbolic link to a missing file ({os.readlink(path)})",
                path=path,
                hint="point the link at a file, or name the file itself",
            ) from None
        raise error(f"{what} not found", path=path, hint=not_found_hint(path)) from None
    except NotADirectoryError:
        raise error(
            f"{what} not found: {_file_in_the_way(path)} is a file, not a directory",
            path=path,
            hint="check the path",
        ) from None
    except OSError as exc:
        raise cannot_read(error, exc, path, what) from None
    try:
        info = os.fstat(fd)
        kind = file_kind(info.st_mode)
        if kind == "a directory":
            raise error(f"{what} is a directory, not a file", path=path, hint="name a file")
        if kind != "a file":
            raise error(
                f"{what} is {kind}, not a regular file",
                path=path,
                hint="argmap reads regular files only; save the data to a file first",
            )
        if info.st_size > limit:
            raise _too_large(error, path, what, limit)
        return os.fdopen(fd, "rb")
    except BaseException as exc:
        os.close(fd)
        if isinstance(exc, OSError):
            raise cannot_read(error, exc, path, what) from None
        raise


def read_bytes(path: Path, error: type[ArgmapError], what: str) -> bytes:
    """The bytes of ``path`` (see ``open_input``); ``error`` says clearly why not, and also when
    they are not UTF-8 text at all (a UTF-16/32 byte-order mark, NUL bytes)."""
    limit = LIMITS.get(what, DEFAULT_LIMIT)
    with open_input(path, error, what) as handle:
        try:
            # read(n) reserves n bytes before it reads: asking for the limit would reserve
            # hundreds of MB for every small file (a failure where memory is not overcommitted)
            expected = min(os.fstat(handle.fileno()).st_size, limit)
            data = handle.read(expected + 1)
            if len(data) > expected:  # it grew since (or its size said nothing): read on
                data += handle.read(limit + 1 - len(data))
        except OSError as exc:
            raise cannot_read(error, exc, path, what) from None
    if len(data) > limit:  # it grew while we read it
        raise _too_large(error, path, what, limit)
    check_text_bytes(data, path, error, what)
    return data


def not_found_hint(path: Path | str, otherwise: str = "check the path") -> str:
    """What to do about a path that names nothing: a Windows path (``C:\\Users\\...``,
    ``refs\\zotero.bib``) given where ``/`` separates the parts is said to be one."""
    text = str(path)
    if text == "-":
        return "argmap reads files, not standard input: save it to a file and name that"
    if "\\" in text and os.sep == "/":
        shown = text.replace("\\", "/")
        if len(text) > 2 and text[1] == ":":
            return (
                f"that is a Windows path; here, give the file's path on this system, with / "
                f"(under WSL, /mnt/{text[0].lower()}{shown[2:]})"
            )
        return f"'\\' is no separator here: write {shown}"
    return otherwise


def cannot_read(error: type[ArgmapError], exc: OSError, path: Path, what: str) -> ArgmapError:
    """The error for an input the system would not let argmap read, with what to do."""
    if exc.errno == errno.ELOOP:
        return error(
            f"{what} is a loop of symbolic links",
            path=path,
            hint="point the link at a file, or name the file itself",
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return error(
            f"cannot read {what}: permission denied",
            path=path,
            hint="give yourself read permission (chmod u+r), or copy the file somewhere readable",
        )
    return error(f"cannot read {what}: {exc.strerror}", path=path)


def _file_in_the_way(path: Path) -> str:
    """The first part of ``path`` that exists but is not a directory, as the user wrote it."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return str(parent)
    return str(path.parent)


def _too_large(error: type[ArgmapError], path: Path, what: str, limit: int) -> ArgmapError:
    return error(
        f"{what} is larger than {_size(limit)}, argmap's limit for a {what}",
        path=path,
        hint="split it into smaller files",
    )


def _size(count: int) -> str:
    """``512 MiB``, or ``100 bytes`` below a MiB."""
    return f"{count // MiB} MiB" if count >= MiB else f"{count} bytes"


def file_kind(mode: int) -> str:
    """What sort of file ``mode`` (from ``stat``) describes, as a phrase: ``a file``,
    ``a directory``, ``a FIFO (named pipe)``, ``a character device``..."""
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def count_lines(data: bytes, start: int = 0, end: int | None = None) -> int:
    """Line breaks in ``data[start:end]``: LF, CRLF and a lone CR each count once, as the
    parse (which reads a lone CR as a line break) counts them."""
    end = len(data) if end is None else end
    breaks = data.count(b"\n", start, end)
    returns = data.count(b"\r", start, end)
    if returns:
        breaks += returns - data.count(b"\r\n", start, end)
    return breaks


def check_text_bytes(data: bytes, path: Path, error: type[ArgmapError], what: str) -> None:
    """Refuse UTF-16/32 (by their byte-order marks) and NUL bytes, with the line of the first."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise error(
                f"{what} is encoded as {name}; argmap reads UTF-8",
                path=path,
                hint=f"convert it, e.g. iconv -f {name} -t UTF-8",
            )
    nul = data.find(b"\x00")
    if nul >= 0:
        line = count_lines(data, 0, nul) + 1
        if nul < 8192:
            raise error(
                f"{what} looks binary (it has NUL bytes)",
                path=path,
                line=line,
                hint="name a text file",
            )
        column = nul - data.rfind(b"\n", 0, nul)
        raise error(
            f"{what} has a NUL byte (column {column})",
            path=path,
            line=line,
            hint="remove it; a text file holds none",
        )


def read_text(path: Path, error: type[ArgmapError], what: str) -> str:
    """The text of ``path`` as UTF-8 with newlines normalised; ``error`` says clearly why not."""
    return decode_text(read_bytes(path, error, what), path, error, what)


def decode_text(data: bytes, path: Path, error: type[ArgmapError], what: str) -> str:
    """Decode ``data`` as UTF-8 (a BOM is dropped, CRLF becomes LF) or raise ``error``."""
    check_text_bytes(data, path, error, what)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = count_lines(data, 0, exc.start) + 1
        raise error(
            f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            path=path,
            line=line,
            hint="save it as UTF-8, e.g. iconv -f LATIN1 -t UTF-8",
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def output_target(path: Path, force: bool = False) -> Path:
    """The file that writing ``path`` replaces: ``path`` itself, or the file its symbolic link
    points to (the link is kept). Refuses a directory, a device, a FIFO or a socket always, and
    an existing file (a dangling link counts as one) unless ``force``."""
    target = path
    if os.path.islink(path):
        target = Path(os.path.realpath(path))
        try:
            os.stat(path)
        except FileNotFoundError:
            if not force:
                raise OutputError(
                    f"file exists (a symbolic link to {os.readlink(path)}, which is missing)",
                    path=path,
                    hint="use --force to write the file it points to",
                ) from None
        except OSError as exc:  # a loop of links, or a part of the path that is not a directory
            if exc.errno == errno.ELOOP:
                raise OutputError(
                    "cannot write: a loop of symbolic links",
                    path=path,
                    hint="remove the link, or write somewhere else",
                ) from None
            raise OutputError(f"cannot write: {exc.strerror}", path=path) from None
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    except NotADirectoryError:
        raise OutputError(
            f"cannot write: {_file_in_the_way(target)} is a file, not a directory", path=path
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=path) from None
    kind = file_kind(info.st_mode)
    if kind != "a file":
        raise OutputError(
            f"is {kind}, not a regular file: argmap writes only regular files",
            path=path,
            hint="name a file, or leave out -o to write to stdout",
        )
    if not force:
        raise OutputError("file exists", path=path, hint="use --force to replace it")
    return target


def write_atomic(path: Path, content: str | bytes, *, force: bool = False) -> None:
    """Write ``content`` (text as UTF-8, bytes as they are) to ``path`` whole or not at all;
    never replace a file unless ``force``.

    A symbolic link is written through (its target replaced, the link kept); anything but a
    regular file is refused (see ``output_target``).
    """
    target = output_target(path, force)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(
            f"cannot write: directory does not exist ({directory})",
            path=path,
            hint="create it first, or write somewhere else",
        )
    try:
        # (imported here: tempfile, with the random and shutil it imports, ~3 ms, is needed
        # only to write a file, and every command reads text through this module)
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise OutputError(
                f"cannot write: directory is not writable ({directory})",
                path=path,
                hint="write somewhere else, or make the directory writable",
            ) from None
        raise OutputError(f"cannot write: {exc.strerror}", path=path) from None
    try:
        # mkstemp creates the file 0600; give it the mode a plain open() would have.
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
        data = content.encode("utf-8") if isinstance(content, str) else content
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # Look again just before the rename: something may have appeared meanwhile.
        if os.path.lexists(target) or target != path:
            output_target(path, force)
        os.replace(tmp, target)
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
