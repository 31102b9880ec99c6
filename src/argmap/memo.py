"""Replaying a command's output while nothing it depends on has changed.

`argmap show` on an unchanged map should answer at once, yet Typer, Rich and Pydantic alone take
ten times the interpreter's start-up to import. So a read-only command's stdout, stderr and exit
code are cached, keyed by everything that can change them — argmap's version and interpreter,
the arguments, the working directory, the environment, whether the streams are terminals and
the terminal's size — and stored with what the command read (files by content hash, directory
listings, path checks; see ``argmap.deps``). A replay first checks each of those; any change and
the command simply runs again. Commands that write files are never replayed.
"""

from __future__ import annotations

import io
import marshal
import os
import sys
from collections.abc import Callable
from typing import Any

from argmap import __version__, cache, deps

# `refs` is left out: its output also depends on the citation styles installed beside argmap,
# which the key does not cover.
REPLAYABLE = frozenset({"show", "check-citations", "trace", "schema", "export"})
# Options that make a command write a file, ask for help or refuse the caches: never replayed.
NOT_REPLAYED = ("-o", "--output", "--help", "--no-cache", "--install-completion")
# Shell bookkeeping that changes from one command to the next without affecting output.
VOLATILE_ENV = frozenset({"_", "OLDPWD", "PWD", "SHLVL", "HISTCMD", "LINENO", "RANDOM", "SECONDS"})


def key_for(argv: list[str]) -> str | None:
    """The cache key of a replayable invocation, or None if it must run."""
    if cache.disabled():
        return None
    command = next((a for a in argv if not a.startswith("-")), None)
    if command not in REPLAYABLE:
        return None
    if any(
        a == w or a.startswith(w + "=") or (w == "-o" and a.startswith("-o"))
        for a in argv
        for w in NOT_REPLAYED
    ):
        return None
    size: tuple[int, int] | None = None
    if sys.stdout.isatty():
        try:
            size = tuple(os.get_terminal_size(sys.stdout.fileno()))  # type: ignore[assignment]
        except OSError:
            size = None
    streams = tuple(s.isatty() for s in (sys.stdin, sys.stdout, sys.stderr))
    env = sorted((k, v) for k, v in os.environ.items() if k not in VOLATILE_ENV)
    try:
        cwd = os.getcwd()
    except OSError:
        return None
    material = (
        __version__,
        cache.code_stamp(),
        sys.executable,
        __file__,
        argv,
        cwd,
        env,
        streams,
        size,
        sys.stdout.encoding,
        sys.stderr.encoding,
    )
    return deps.digest(marshal.dumps(repr(material)))


def replay(key: str) -> int | None:
    """Write a cached result and return its exit code, or None if there is none still valid."""
    entry: Any = cache.load("run", key)
    if not isinstance(entry, dict):
        return None
    try:
        recorded = [tuple(d) for d in entry["deps"]]
        out, err, code = entry["out"], entry["err"], entry["code"]
        if not (isinstance(out, str) and isinstance(err, str) and isinstance(code, int)):
            return None
        if not all(deps.unchanged(d) for d in recorded):
            return None
    except (TypeError, KeyError, ValueError):
        return None
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return code


class Tee(io.TextIOBase):
    """A text stream that writes through to ``stream`` and keeps a copy."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return int(self.stream.write(text))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return bool(self.stream.isatty())

    def fileno(self) -> int:
        return int(self.stream.fileno())

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(self.stream.encoding)

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.stream.errors  # type: ignore[no-any-return]

    def text(self) -> str:
        return "".join(self.parts)


def record(key: str, run: Callable[[], None]) -> None:
    """Run the command, copying its output, and cache the result if it ran to a verdict."""
    out, err = Tee(sys.stdout), Tee(sys.stderr)
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    deps.start()
    code: int | None = 0
    try:
        run()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        raise
    except BaseException:
        code = None
        raise
    finally:
        sys.stdout, sys.stderr = real_out, real_err
        noted = deps.stop()
        # Exit 2 is a usage error or unreadable input: not worth replaying, and not a verdict.
        if code in (0, 1):
            cache.store(
                "run", key, {"deps": noted, "out": out.text(), "err": err.text(), "code": code}
            )
