"""Forked worker processes that a Ctrl-C ends cleanly: the parent alone answers the interrupt
(``argmap: interrupted``, exit 130), and no worker prints a traceback.

A terminal sends SIGINT to the whole process group. Workers left to their default would each
raise KeyboardInterrupt in the middle of a job and print its traceback; a signal that reaches
the parent while it forks runs inside the fork handlers, where Python prints it and drops it.
So workers ignore SIGINT, the parent blocks it while it forks them (a Ctrl-C then is raised as
soon as they are all started), and on any exception the jobs not yet begun are cancelled.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def forked_map(
    function: Callable[[Job], Result], jobs: Iterable[Job], workers: int
) -> Iterator[Iterator[Result]]:
    """The results of ``function`` on each job, in order, computed by ``workers`` forked
    processes (which inherit the parent's memory: globals set before the call are theirs)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    restored = False
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_ignore_interrupts
    )
    try:
        # a pool of forked workers starts them all at the first submit
        futures = [pool.submit(function, job) for job in jobs]
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        restored = True
        yield (future.result() for future in futures)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        if not restored:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
