"""Forked workers: results in order, exceptions at their turn, a Ctrl-C answered by the parent
alone, and a dead worker or a failing caller ending every worker at once, never a hang."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from argmap.base.workers import WorkerDied, forked_map

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")


class Refused(Exception):
    """An exception with data of its own, to be raised in the parent as it was in the worker."""

    def __init__(self, job: int, line: int) -> None:
        super().__init__(job, line)
        self.job, self.line = job, line


def _square(n: int) -> int:
    return n * n


def _children() -> set[str]:
    return set(Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split())


def test_results_come_in_the_order_of_the_jobs() -> None:
    # more jobs than the workers hold at once, of uneven length, so answers arrive out of order
    def uneven(n: int) -> int:
        time.sleep(0.002 * (n % 3))
        return n * n

    with forked_map(uneven, range(40), 3) as results:
        assert list(results) == [n * n for n in range(40)]


def test_no_jobs_start_no_worker() -> None:
    before = _children()
    with forked_map(_square, [], 4) as results:
        assert _children() == before
        assert list(results) == []


def test_the_function_is_inherited_not_pickled() -> None:
    seen: list[int] = []  # a closure: pickle refuses it, a fork does not need to

    def local(n: int) -> int:
        return n + len(seen)

    with forked_map(local, range(5), 2) as results:
        assert list(results) == [0, 1, 2, 3, 4]


def test_workers_ignore_interrupts_and_the_parent_keeps_its_handler_and_mask() -> None:
    def disposition(_: int) -> tuple[object, bool]:
        blocked = signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, set())
        return signal.getsignal(signal.SIGINT), blocked

    before = signal.getsignal(signal.SIGINT)
    with forked_map(disposition, range(4), 2) as results:
        assert set(results) == {(signal.SIG_IGN, False)}  # ignored, and no longer blocked
    assert signal.getsignal(signal.SIGINT) == before
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())


def test_a_jobs_exception_is_raised_at_its_turn_with_its_data() -> None:
    def refuse_seven(n: int) -> int:
        if n == 7:
            raise Refused(n, 42)
        return n

    got = []
    with pytest.raises(Refused) as raised, forked_map(refuse_seven, range(20), 2) as results:
        got.extend(results)
    assert got == list(range(7))
    assert (raised.value.job, raised.value.line) == (7, 42)


def test_an_exception_pickle_refuses_becomes_a_runtime_error() -> None:
    def unpicklable(n: int) -> object:
        return lambda: n

    with pytest.raises(RuntimeError, match="pickle"), forked_map(unpicklable, [1], 1) as results:
        list(results)


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_a_dead_worker_is_an_error_at_once_and_no_worker_is_left(workers: int) -> None:
    def die_on_five(n: int) -> int:
        if n == 5:
            os._exit(9)
        time.sleep(0.01)
        return n

    before = _children()
    start = time.monotonic()
    with (
        pytest.raises(WorkerDied, match=r"exit code 9"),
        forked_map(die_on_five, range(30), workers) as results,
    ):
        list(results)
    assert time.monotonic() - start < 10
    assert _children() == before


def test_a_killed_worker_is_named_by_its_signal() -> None:
    def killed(n: int) -> int:
        os.kill(os.getpid(), signal.SIGKILL)
        return n

    with pytest.raises(WorkerDied, match="SIGKILL"), forked_map(killed, [1, 2], 1) as results:
        list(results)


def test_a_failing_caller_kills_busy_workers_without_waiting_for_them() -> None:
    def slow(n: int) -> int:
        time.sleep(60)
        return n

    before = _children()
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="caller"), forked_map(slow, range(6), 2):
        raise RuntimeError("the caller failed")
    assert time.monotonic() - start < 10
    assert _children() == before


def test_a_caller_leaving_early_ends_the_workers() -> None:
    before = _children()
    with forked_map(_square, range(100), 2) as results:
        assert next(results) == 0
    assert _children() == before


def test_a_jobs_keyboard_interrupt_is_the_parents() -> None:
    # a worker ignores SIGINT, but a job may still raise KeyboardInterrupt itself
    def interrupted(n: int) -> int:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), forked_map(interrupted, [1], 1) as results:
        list(results)


def test_idle_workers_leave_as_soon_as_the_results_are_read() -> None:
    before = _children()
    start = time.monotonic()
    with forked_map(_square, range(8), 2) as results:
        assert sum(results) == sum(n * n for n in range(8))
    assert time.monotonic() - start < 3  # a worker kept waiting would be killed after 5 s
    assert _children() == before


def test_workers_of_a_parent_gone_leave_quietly(tmp_path: Path) -> None:
    # the parent is killed (out of memory, kill -9) while a worker works: the worker finds no
    # one to answer and ends without a word
    script = tmp_path / "gone.py"
    script.write_text(
        "import os, time\n"
        "from argmap.base.workers import forked_map\n"
        "def slow(n):\n"
        "    time.sleep(0.3)\n"
        "    return b'x' * (4 << 20)\n"
        "with forked_map(slow, range(4), 2) as results:\n"
        "    time.sleep(0.1)\n"
        "    os._exit(0)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, timeout=30, check=False
    )
    assert (done.returncode, done.stderr) == (0, b"")


def _noop() -> None:
    """A call: Python runs signal handlers when a function starts."""


class _InterruptedWhenFreed:
    """Sends this process a SIGINT from its finalizer, as a Ctrl-C may land in one."""

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        _noop()


def test_a_ctrl_c_inside_a_finalizer_is_raised_not_dropped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Python prints an exception raised in a finalizer as "Exception ignored" and drops it: a
    # Ctrl-C that lands there while a pool lives is kept and raised at the pool's next step
    got = []
    with pytest.raises(KeyboardInterrupt), forked_map(_square, range(6), 2) as results:
        got.append(next(results))
        _InterruptedWhenFreed()  # freed at once
        got.extend(results)
    assert len(got) < 6
    assert "Exception ignored" not in capsys.readouterr().err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_callers_own_interrupt_handler_is_left_alone() -> None:
    calls: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
    try:
        with forked_map(_square, range(4), 2) as results:
            os.kill(os.getpid(), signal.SIGINT)
            _noop()
            assert list(results) == [0, 1, 4, 9]
        assert calls == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, previous)


def test_answers_larger_than_a_pipe_arrive_whole_and_in_order() -> None:
    # a pipe holds 64 KiB: an answer of megabytes is written and read in many pieces
    def big(n: int) -> bytes:
        return bytes([n]) * ((3 << 20) + n)

    with forked_map(big, range(5), 2) as results:
        assert [(len(r), r[:1], r[-1:]) for r in results] == [
            ((3 << 20) + n, bytes([n]), bytes([n])) for n in range(5)
        ]


def test_a_pool_imports_no_multiprocessing() -> None:
    # multiprocessing and the modules it pulls in took 14-19 ms before the first fork
    code = (
        "import sys\n"
        "from argmap.base.workers import forked_map\n"
        "with forked_map(abs, [1, -2, 3], 2) as results:\n"
        "    assert list(results) == [1, 2, 3]\n"
        "print(sorted(m for m in ('multiprocessing', 'threading', 'socket', 'subprocess')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
