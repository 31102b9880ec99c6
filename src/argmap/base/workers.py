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
to finish, as the workers ignore it. Here the parent owns one
pipe per worker and no thread: it hands out jobs, reads answers, sees a dead worker as the end
of its pipe, and on any exception kills and reaps the workers it started.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from types import FrameType

Job = TypeVar("Job")
Result = TypeVar("Result")

AHEAD = 2  # jobs handed to a worker before its first answer: it never waits for the next one


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


def _serve(
    function: Callable[[Any], Any],
    pipe: Connection,
    inherited: list[Connection],
    mask: set[signal.Signals],
) -> None:
    """A worker's loop: answer each job with (True, result) or (False, exception)."""
    # SIGINT is blocked here (inherited from the parent's fork); ignoring it before unblocking
    # discards one that is pending.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    for other in inherited:  # the parent's ends: holding them would hide the parent's end
        other.close()
    while True:
        try:
            job = pipe.recv()
        except (EOFError, OSError):  # the parent is done (or gone)
            return
        try:
            answer: tuple[bool, Any] = (True, function(job))
        except BaseException as exc:  # returned to the parent, which raises it
            answer = (False, exc)
        try:
            try:
                pipe.send(answer)
            except OSError:
                raise
            except Exception as exc:  # the answer could not be pickled: nothing was sent
                pipe.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
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
        import threading

        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self.previous = signal.signal(signal.SIGINT, self.handle)

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """Raise KeyboardInterrupt, or keep it when running inside a finalizer."""
        from multiprocessing.util import Finalize

        finalizer = Finalize.__call__.__code__
        while frame is not None:
            if frame.f_code.co_name == "__del__" or frame.f_code is finalizer:
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


class _Pool(Generic[Job, Result]):
    """The parent's side: one pipe per worker, the jobs each is working on, answers kept until
    their turn."""

    def __init__(self, jobs: list[Job]) -> None:
        self.jobs = jobs
        self.next = 0  # the first job not handed out
        self.pipes: list[Connection] = []
        self.processes: list[BaseProcess] = []
        self.working: dict[int, deque[int]] = {}  # worker -> its jobs' numbers, in order
        self.answers: dict[int, tuple[bool, Any]] = {}
        self.interrupts = _Interrupts()

    def start(self, function: Callable[[Job], Result], workers: int) -> None:
        """Fork the workers with SIGINT blocked (see the module's docstring)."""
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.interrupts.install()
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            for _ in range(workers):
                mine, theirs = context.Pipe()
                process = context.Process(
                    target=_serve, args=(function, theirs, [*self.pipes, mine], mask), daemon=True
                )
                process.start()
                theirs.close()
                del theirs  # finalized now, while SIGINT is blocked
                self.working[len(self.pipes)] = deque()
                self.pipes.append(mine)
                self.processes.append(process)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a pending Ctrl-C is raised here
        self.interrupts.check()
        for worker in range(workers):
            self.hand_out(worker)

    def hand_out(self, worker: int) -> None:
        """Give ``worker`` jobs until it holds AHEAD of them or none is left."""
        while len(self.working[worker]) < AHEAD and self.next < len(self.jobs):
            try:
                self.pipes[worker].send(self.jobs[self.next])
            except OSError:  # its end is closed: it died
                raise WorkerDied(self.died(worker)) from None
            self.working[worker].append(self.next)
            self.next += 1

    def died(self, worker: int) -> str:
        """What became of a worker whose pipe ended."""
        process = self.processes[worker]
        process.join(timeout=5)
        return _describe(process.exitcode)

    def results(self) -> Iterator[Result]:
        """The jobs' results in order; a job's exception is raised at its turn."""
        from multiprocessing.connection import wait

        owner = {id(pipe): worker for worker, pipe in enumerate(self.pipes)}
        for number in range(len(self.jobs)):
            while number not in self.answers:
                self.interrupts.check()
                busy = [self.pipes[w] for w, held in self.working.items() if held]
                for ready in wait(busy):
                    worker = owner[id(ready)]
                    try:
                        answer = self.pipes[worker].recv()
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
            for process in self.processes:
                process.kill()
        for pipe in self.pipes:
            pipe.close()
        for process in self.processes:
            process.join(timeout=5)
            if process.exitcode is None:  # an idle worker should have left at once
                process.kill()
                process.join()
        # their finalizers run here, while an interrupt in one is still kept
        self.pipes.clear()
        self.processes.clear()


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
