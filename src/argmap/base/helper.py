"""One forked helper process that computes one answer while the parent does other work, for
work that two cores can share (``argmap check-citations``: the citations of a long manuscript).

The helper inherits the parent's memory (a function and the data it reads are not sent), and
sends back one answer as ``marshal`` data — plain tuples, lists, strings, numbers — over a
pipe, then ends. ``marshal`` is used between our own processes only, where it is the cheapest
codec the standard library has (nothing is imported for it); nothing marshalled is ever
written to or read from disk.

The parent never depends on the helper: ``Helper.answer`` is None when the helper failed in
any way (it raised, was killed, ended without a whole answer, or sent something that does not
decode), and the caller then does the helper's share itself. Like the workers of
``argmap.base.workers``, the helper is forked with SIGINT blocked and ignores it (a Ctrl-C is
the parent's to answer), never returns into the parent's code, and is killed and reaped when
the parent leaves early.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from contextlib import suppress


class Helper:
    """A forked process computing ``function()``: the parent's end of its pipe, its pid and,
    once reaped, its exit code."""

    __slots__ = ("done", "fd", "pid", "status")

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd
        self.done = False
        self.status: int | None = None

    def answer(self) -> object | None:
        """The helper's answer, waiting for it; None when it failed (see the module)."""
        import marshal

        if self.done:
            return None
        chunks: list[bytes] = []
        answer: object = None
        try:
            while chunk := os.read(self.fd, 1 << 20):
                chunks.append(chunk)
            # decoded while the helper ends; its exit code then says whether it is whole
            answer = marshal.loads(b"".join(chunks)) if chunks else None
        except (OSError, EOFError, ValueError, TypeError):
            answer = None
        finally:
            self._end(kill=False)
        return answer if self.status == 0 else None

    def cancel(self) -> None:
        """Kill the helper (unless it was reaped already) and reap it."""
        if not self.done:
            self._end(kill=True)

    def _end(self, kill: bool) -> None:
        self.done = True
        with suppress(OSError):
            os.close(self.fd)
        if kill:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:  # reaped elsewhere: how it ended is not known
            return
        self.status = os.waitstatus_to_exitcode(status)


def start(function: Callable[[], object]) -> Helper | None:
    """Fork a helper computing ``function()``; None when no process can be forked (the caller
    does the work itself)."""
    import marshal  # noqa: F401 - imported before the fork: the helper inherits it

    if not hasattr(os, "fork"):  # Windows: the work is done in this process
        return None
    read_end, write_end = os.pipe()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        return None
    if pid == 0:  # the helper: it never returns into the parent's code
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            os.close(read_end)
            _send(write_end, function())
            code = 0
            # the answer ends here: the parent reads it while this process ends
            os.close(write_end)
        finally:
            os._exit(code)  # no traceback, no exit handler, no flush of the parent's buffers
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a pending Ctrl-C is raised here
    os.close(write_end)
    return Helper(pid, read_end)


def _send(fd: int, answer: object) -> None:
    """Write ``answer`` whole to the pipe (marshalled first: an answer marshal refuses raises
    before anything is written)."""
    import marshal

    view = memoryview(marshal.dumps(answer))  # type: ignore[arg-type]  # refused: raises
    while view:
        view = view[os.write(fd, view) :]
