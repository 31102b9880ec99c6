"""Forked worker processes that share out jobs over data the parent already holds, and that a
Ctrl-C or a dead worker ends at once: no worker traceback, no wait, no hang.

A terminal sends SIGINT to the whole process group. A worker left to Python's default raises
KeyboardInterrupt wherever it is (often waiting for its next job, outside any handler) and
prints a traceback; so workers ignore SIGINT and the parent alone answers it. The parent blocks
SIGINT while it forks, so that no signal reaches a worker before it ignores it; a Ctrl-C made
then is raised in the parent as soon as the workers are started. A Ctrl-C that Python would
deliver inside a finalizer (a pipe's ``__del__``, a process's weakref finalizer), where it is
printed as "Exception ignored" and dropped, is kept and raised at the pool's next step.

Why not ``concurrent.futures.ProcessPoolExecutor``: its shutdown waits on a manager thread, and
in CPython 3.11 that thread can wait forever. ``shutdown(cancel_futures=True)`` rebinds the
manager's table of pending jobs while the queue's feeder thread still removes failed jobs from
the old one, so a job that fails to reach a worker after that is waited for by nobody's answer
(python/cpython#116685; it hung 4 of 12 runs of the dead-index-worker test here, whose job
function failed to pickle). Without ``cancel_futures`` an interrupt waits for every queued job
to finish, as the workers ignore it. Here the parent owns two pipes per worker and no thread:
it hands out jobs, reads answers, sees a dead worker as the end of its pipe, and on any
exception kills and reaps the workers it started.

Why not ``multiprocessing`` either: importing it (its connections, contexts and processes, with
the 36 modules they pull in: threading, socket, subprocess, tempfile, bz2, lzma...) cost 14-19 ms
of the parent's time before the first fork, on the path of every cold read of a large .bib. A
worker here is ``os.fork``, two ``os.pipe``, messages framed by their length and pickled, and
``os.waitpid``; nothing else is imported but ``pickle`` and ``select``.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from types import FrameType

Job = TypeVar("Job")
Result = TypeVar("Result")

AHEAD = 2  # jobs handed to a worker before its first answer: it never waits for the next one
_HEADER = 8  # a message is its length (8 bytes, little-endian), then its pickle


class WorkerDied(RuntimeError):
    """A worker process ended before it answered (killed, out of memory, a crash in C code)."""


def _describe(exitcode: int | None) -> str:
    if exitcode is None:
        return "a worker process ended abruptly"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"a worker process was killed ({name})"
    return f"a worker process ended abruptly (exit code {exitcode})"


def _send(fd: int, message: Any) -> None:
    """Write ``message`` whole to the pipe ``fd`` (pickled first: a message that cannot be
    pickled raises before anything is written)."""
    import pickle

    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    view = memoryview(len(data).to_bytes(_HEADER, "little") + data)
    while view:
        view = view[os.write(fd, view) :]


def _read(fd: int, size: int) -> bytes:
    """Exactly ``size`` bytes from the pipe ``fd``; EOFError if it ends first."""
    chunks: list[bytes] = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _receive(fd: int) -> Any:
    """The next message of the pipe ``fd``; EOFError when the writer is gone."""
    import pickle

    size = int.from_bytes(_read(fd, _HEADER), "little")
    return pickle.loads(_read(fd, size))


def _serve(
    function: Callable[[Any], Any], jobs: int, answers: int, mask: set[int | signal.Signals]
) -> None:
    """A worker's loop: answer each job with (True, result) or (False, exception)."""
    # SIGINT is blocked here (inherited from the parent's fork); ignoring it before unblocking
    # discards one that is pending.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    while True:
        try:
            job = _receive(jobs)
        except (EOFError, OSError):  # the parent is done (or gone)
            return
        try:
            answer: tuple[bool, Any] = (True, function(job))
        except BaseException as exc:  # returned to the parent, which raises it
            answer = (False, exc)
        try:
            try:
                _send(answers, answer)
            except OSError:
                raise
            except Exception as exc:  # the answer could not be pickled: nothing was sent
                _send(answers, (False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        except OSError:  # the parent is gone: nobody to answer, and nothing to say
            return


class _Interrupts:
    """The parent's SIGINT handler while a pool lives: KeyboardInterrupt at once, as Python's
    own, except inside a finalizer, where Python would print and drop it: then it is kept and
    raised by ``check`` at the pool's next step."""

    def __init__(self) -> None:
        self.pending = False
        self.previous: Any = None

    def install(self) -> None:
        """Take over SIGINT if it is Python's default (a caller's own handler is left alone)."""
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            with suppress(ValueError):  # not the main thread, which alone receives signals
                self.previous = signal.signal(signal.SIGINT, self.handle)

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """Raise KeyboardInterrupt, or keep it when running inside a finalizer."""
        while frame is not None:
            code = frame.f_code
            if code.co_name == "__del__" or code.co_qualname == "Finalize.__call__":
                self.pending = True
                return
            frame = frame.f_back
        raise KeyboardInterrupt

    def check(self) -> None:
        """Raise the interrupt a finalizer would have dropped."""
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt

    def restore(self) -> None:
        """Give SIGINT back to the handler it had."""
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None


class _Worker:
    """A forked worker as the parent sees it: its process, the ends of its two pipes the parent
    holds (jobs out, answers in) and, once reaped, how it ended."""

    __slots__ = ("answers", "exitcode", "jobs", "pid", "reaped")

    def __init__(self, pid: int, jobs: int, answers: int) -> None:
        self.pid, self.jobs, self.answers = pid, jobs, answers
        self.exitcode: int | None = None
        self.reaped = False

    def reap(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the process to end; whether it has."""
        import time

        deadline = time.monotonic() + timeout
        pause = 0.0001
        while not self.reaped:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped by someone else: how it ended is not known
                self.reaped = True
                break
            if pid:
                self.exitcode = os.waitstatus_to_exitcode(status)
                self.reaped = True
            elif time.monotonic() >= deadline:
                return False
            else:
                time.sleep(pause)
                pause = min(pause * 2, 0.01)
        return True

    def kill(self) -> None:
        """SIGKILL, unless already reaped (its number may be another process's by now)."""
        if not self.reaped:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


class _Pool(Generic[Job, Result]):
    """The parent's side: two pipes per worker, the jobs each is working on, answers kept until
    their turn."""

    def __init__(self, jobs: list[Job]) -> None:
        self.jobs = jobs
        self.next = 0  # the first job not handed out
        self.workers: list[_Worker] = []
        self.working: dict[int, deque[int]] = {}  # worker -> its jobs' numbers, in order
        self.answers: dict[int, tuple[bool, Any]] = {}
        self.interrupts = _Interrupts()

    def start(self, function: Callable[[Job], Result], workers: int) -> None:
        """Fork the workers with SIGINT blocked (see the module's docstring)."""
        import pickle  # noqa: F401 - imported once here, before the fork: the workers inherit it

        self.interrupts.install()
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            for _ in range(workers):
                self._fork(function, mask)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a pending Ctrl-C is raised here
        self.interrupts.check()
        for worker in range(workers):
            self.hand_out(worker)

    def _fork(self, function: Callable[[Job], Result], mask: set[int | signal.Signals]) -> None:
        """Start one worker, serving ``function`` until its jobs' pipe ends."""
        jobs_in, jobs_out = os.pipe()
        answers_in, answers_out = os.pipe()
        try:
            pid = os.fork()
        except BaseException:
            for fd in (jobs_in, jobs_out, answers_in, answers_out):
                os.close(fd)
            raise
        if pid == 0:  # the worker: it never returns into the parent's code
            code = 1
            try:
                # the parent's ends, of its pipes and of the earlier workers': a worker holding
                # one would hide the parent's closing it from the worker it belongs to
                for fd in (jobs_out, answers_in):
                    os.close(fd)
                for other in self.workers:
                    os.close(other.jobs)
                    os.close(other.answers)
                _serve(function, jobs_in, answers_out, mask)
                code = 0
            finally:
                os._exit(code)  # no traceback, no exit handler, no flush of the parent's buffers
        os.close(jobs_in)
        os.close(answers_out)
        self.working[len(self.workers)] = deque()
        self.workers.append(_Worker(pid, jobs_out, answers_in))

    def hand_out(self, worker: int) -> None:
        """Give ``worker`` jobs until it holds AHEAD of them or none is left."""
        while len(self.working[worker]) < AHEAD and self.next < len(self.jobs):
            try:
                _send(self.workers[worker].jobs, self.jobs[self.next])
            except OSError:  # its end is closed: it died
                raise WorkerDied(self.died(worker)) from None
            self.working[worker].append(self.next)
            self.next += 1

    def died(self, worker: int) -> str:
        """What became of a worker whose pipe ended."""
        process = self.workers[worker]
        process.reap(timeout=5)
        return _describe(process.exitcode)

    def results(self) -> Iterator[Result]:
        """The jobs' results in order; a job's exception is raised at its turn."""
        import select

        owner = {process.answers: worker for worker, process in enumerate(self.workers)}
        for number in range(len(self.jobs)):
            while number not in self.answers:
                self.interrupts.check()
                poll = select.poll()
                for worker, held in self.working.items():
                    if held:
                        poll.register(self.workers[worker].answers, select.POLLIN)
                for fd, _ in poll.poll():
                    worker = owner[fd]
                    try:
                        answer = _receive(fd)
                    except (EOFError, OSError):  # it died (with jobs unread: a reset)
                        raise WorkerDied(self.died(worker)) from None
                    self.answers[self.working[worker].popleft()] = answer
                    self.hand_out(worker)
            done, value = self.answers.pop(number)
            if not done:
                raise value
            yield value

    def stop(self, finished: bool) -> None:
        """End the workers: idle ones leave when their pipe closes; after a failure or an
        interrupt they are killed, not waited for."""
        if not finished:
            for process in self.workers:
                process.kill()
        for process in self.workers:
            for fd in (process.jobs, process.answers):
                with suppress(OSError):
                    os.close(fd)
        for process in self.workers:
            if not process.reap(timeout=5):  # an idle worker should have left at once
                process.kill()
                process.reap(timeout=60)
        self.workers.clear()


@contextmanager
def forked_map(
    function: Callable[[Job], Result], jobs: Iterable[Job], workers: int
) -> Iterator[Iterator[Result]]:
    """The results of ``function`` on each job, in order, computed by ``workers`` forked
    processes (which inherit the parent's memory: globals set before the call are theirs, and
    ``function`` itself is not pickled). A job's exception is raised in the parent at its turn;
    a worker that dies raises WorkerDied. Leaving the block ends every worker."""
    pool: _Pool[Job, Result] = _Pool(list(jobs))
    finished = False
    try:
        if pool.jobs:
            pool.start(function, max(1, min(workers, len(pool.jobs))))
        yield pool.results()
        finished = pool.next == len(pool.jobs) and not any(pool.working.values())
    finally:
        try:
            pool.stop(finished)
        finally:
            pool.interrupts.restore()
        pool.interrupts.check()
