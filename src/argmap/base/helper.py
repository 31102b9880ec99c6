"""One forked helper process that computes an answer while the parent does other work, for
work that two cores can share (``argmap check-citations``: the citations of a long manuscript).

The helper inherits the parent's memory (a function and the data it reads are not sent), and
sends back its answer as ``marshal`` data — plain tuples, lists, strings, numbers — over a
pipe, in frames (each its length, then its data), then ends: one frame (``start``, read with
``Helper.answer``), or a frame for each item the function yields as it goes (``stream``, read
with ``Helper.frames`` as they come, so the parent can use the first while the helper makes
the next). ``marshal`` is used between our own processes only, where it is the cheapest codec
the standard library has (nothing is imported for it); nothing marshalled is ever written to
or read from disk.

The parent never depends on the helper: ``Helper.answer`` is None when the helper failed in
any way (it raised, was killed, ended without a whole answer, or sent something that does not
decode), and the caller then does the helper's share itself; ``Helper.frames`` yields only
whole frames, stops at the first that is not, and says afterwards (``whole``) whether the
helper ended well with nothing left over, so that the caller does the rest itself. Like the
workers of
``argmap.base.workers``, the helper is forked with SIGINT blocked and ignores it (a Ctrl-C is
the parent's to answer), never returns into the parent's code, and is killed and reaped when
the parent leaves early.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Generator, Iterable
from contextlib import suppress

# A frame's length, before its data: 8 bytes, little-endian.
_HEAD = 8


class Helper:
    """A forked process computing ``function()``: the parent's end of its pipe, its pid and,
    once reaped, its exit code."""

    __slots__ = ("control", "done", "fd", "held", "pid", "status", "whole")

    def __init__(self, pid: int, fd: int, control: int = -1) -> None:
        self.pid, self.fd = pid, fd
        # the parent's end of the pipe that tells the helper to hold still or go on (-1: none)
        self.control = control
        self.held = False
        self.done = False
        self.status: int | None = None
        # after ``frames``: whether every frame came whole and the helper ended with code 0
        self.whole = False

    def answer(self) -> object | None:
        """The helper's one answer (of ``start``), waiting for it; None when it failed (see the
        module)."""
        answers = list(self.frames())
        return answers[0] if self.whole and len(answers) == 1 else None

    def frames(self) -> Generator[object, None, None]:
        """The helper's frames, decoded, each as soon as it is whole (waiting for it); after the
        last, the helper is reaped and ``whole`` says whether it ended well with no frame cut
        short or undecodable (a frame that does not decode ends the frames, and the helper)."""
        import marshal

        if self.done:
            return
        buffer = bytearray()
        start = 0  # where the next frame's head is in ``buffer``
        ok = ended = False
        try:
            while True:
                chunk = os.read(self.fd, 1 << 20)
                if not chunk:
                    ended = ok = True
                    break
                buffer += chunk
                while len(buffer) - start >= _HEAD:
                    size = int.from_bytes(buffer[start : start + _HEAD], "little")
                    end = start + _HEAD + size
                    if len(buffer) < end:
                        break
                    frame = marshal.loads(buffer[start + _HEAD : end])
                    start = end
                    yield frame
                if start:
                    del buffer[:start]
                    start = 0
        except (OSError, EOFError, ValueError, TypeError):
            pass  # not whole: the helper is killed
        finally:
            # reaped here; killed unless it had closed its end (a frame that does not decode,
            # or the caller stopped reading)
            self._end(kill=not ended)
        self.whole = ok and not buffer and self.status == 0

    def running(self) -> bool:
        """Whether the helper is still at work (not ended), asked without reaping it."""
        if self.done:
            return False
        try:
            ended = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return False
        return ended is None

    def hold(self) -> None:
        """Ask the helper to stop, after the frame it is making, until ``go_on``: for while this
        process uses every core for other work (see ``held``)."""
        if not self.done and not self.held:
            self.held = self._tell(b"h")

    def go_on(self) -> None:
        """Let a held helper go on."""
        if self.held:
            self.held = False
            self._tell(b"g")

    def _tell(self, word: bytes) -> bool:
        if self.control < 0:
            return False
        try:
            os.write(self.control, word)
        except OSError:  # it has ended: nothing to tell
            return False
        return True

    def cancel(self) -> None:
        """Kill the helper (unless it was reaped already) and reap it."""
        if not self.done:
            self._end(kill=True)

    def _end(self, kill: bool) -> None:
        self.done = True
        _live.discard(self)
        with suppress(OSError):
            os.close(self.fd)
        if self.control >= 0:
            with suppress(OSError):
                os.close(self.control)  # a helper still held reads its end, and goes on
            self.control = -1
        if kill:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:  # reaped elsewhere: how it ended is not known
            return
        self.status = os.waitstatus_to_exitcode(status)


def start(function: Callable[[], object]) -> Helper | None:
    """Fork a helper computing ``function()``, its one answer (``Helper.answer``); None when
    no process can be forked (the caller does the work itself)."""
    return stream(lambda: (function(),))


def stream(function: Callable[[], Iterable[object]]) -> Helper | None:
    """Fork a helper sending each item ``function()`` yields as a frame as soon as it is made
    (``Helper.frames``); None when no process can be forked (the caller does the work
    itself)."""
    import marshal  # noqa: F401 - imported before the fork: the helper inherits it

    if not hasattr(os, "fork"):  # Windows: the work is done in this process
        return None
    read_end, write_end = os.pipe()
    _widen(write_end)
    heard, control = os.pipe()  # the parent's words to the helper (``Helper.hold``)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:
        for fd in (read_end, write_end, heard, control):
            os.close(fd)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        return None
    if pid == 0:  # the helper: it never returns into the parent's code
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            os.close(read_end)
            os.close(control)
            for other in _live:  # an earlier helper's ends are not this one's to hold open
                with suppress(OSError):
                    os.close(other.fd)
                with suppress(OSError):
                    os.close(other.control)
            os.set_blocking(heard, False)
            for item in function():
                _send(write_end, item)
                _heed(heard)
            code = 0
            # the answer ends here: the parent reads it while this process ends
            os.close(write_end)
        finally:
            os._exit(code)  # no traceback, no exit handler, no flush of the parent's buffers
    os.close(write_end)
    os.close(heard)
    helper = Helper(pid, read_end, control)
    _live.add(helper)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a pending Ctrl-C is raised here
    return helper


# The helpers this process started and has not reaped.
_live: set[Helper] = set()


def held() -> Callable[[], None]:
    """Hold every helper of this process still (each stops after the frame it is making), and
    give the function that lets them go on (it may be called more than once).

    For while this process and its forked workers use every core (a cold parse of a large
    bibliography, ``argmap.bib.reader``): a helper at work then takes a share of the cores
    from them, and would rather work after, on a core the rest of that work leaves idle. A
    helper held when the parent ends goes on (its end of the control pipe closes) and ends."""
    helpers = [helper for helper in _live if not helper.done and not helper.held]
    for helper in helpers:
        helper.hold()

    def go_on() -> None:
        for helper in helpers:
            helper.go_on()

    return go_on


def _heed(fd: int) -> None:
    """In the helper, between frames: when the parent's last word is "h" (hold), wait until it
    says "g" (go on) or closes its end."""
    import select

    try:
        words = os.read(fd, 64)
    except BlockingIOError:
        return  # nothing said
    while words.endswith(b"h"):
        select.select([fd], [], [])
        try:
            words = os.read(fd, 64)
        except BlockingIOError:
            continue


# The pipe's capacity asked for: Linux's default largest for an unprivileged process. A
# helper whose answer outgrows its pipe stops at the write until the parent reads, so with the
# default 64 KiB the scan of the benchmark's 314 KB manuscript (an answer of 119 KB) stood
# half done through a cold parse, and was finished only when the parent came to read it.
PIPE_SIZE = 1 << 20


def _widen(fd: int) -> None:
    """Let the pipe hold ``PIPE_SIZE`` bytes (Linux), so that the helper finishes its work
    while the parent is busy; where the system refuses (a per-user limit on pipe memory), the
    pipe stays as it is: the helper then waits on the parent to read, and is slower, not
    wrong. Pipe memory is the kernel's, taken only as the helper writes."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    except (ImportError, AttributeError, OSError):
        pass


def _send(fd: int, item: object) -> None:
    """Write ``item`` to the pipe as one whole frame: its length, then its data (marshalled
    first: an item marshal refuses raises before anything is written)."""
    import marshal

    data = marshal.dumps(item)  # type: ignore[arg-type]  # refused: raises
    view = memoryview(len(data).to_bytes(_HEAD, "little") + data)
    while view:
        view = view[os.write(fd, view) :]
