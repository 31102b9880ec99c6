"""Forked workers: results in order, a Ctrl-C answered by the parent alone, pending jobs
cancelled when the caller fails."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from argmap.base.workers import forked_map

TESTS = Path(__file__).parents[1]


def _square(n: int) -> int:
    return n * n


def _disposition(_: int) -> str:
    return str(signal.getsignal(signal.SIGINT))


def _mark(path: str) -> None:
    time.sleep(0.05)
    Path(path).touch()


def test_results_come_in_the_order_of_the_jobs() -> None:
    with forked_map(_square, range(40), 2) as results:
        assert list(results) == [n * n for n in range(40)]


def test_workers_ignore_interrupts_and_the_parent_keeps_its_handler() -> None:
    before = signal.getsignal(signal.SIGINT)
    with forked_map(_disposition, range(4), 2) as results:
        assert set(results) == {str(signal.SIG_IGN)}
    assert signal.getsignal(signal.SIGINT) == before
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())


def test_a_failing_caller_cancels_the_jobs_not_begun(tmp_path: Path) -> None:
    jobs = [str(tmp_path / f"job{n}") for n in range(40)]
    with pytest.raises(RuntimeError), forked_map(_mark, jobs, 1) as results:
        next(results)
        raise RuntimeError("the caller failed")
    assert 1 <= len(list(tmp_path.iterdir())) < len(jobs)


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_ctrl_c_during_a_parallel_read_ends_with_one_message(tmp_path: Path) -> None:
    # A terminal's Ctrl-C reaches every process of the group; before, a worker interrupted in
    # a job printed its traceback.
    sys.path.insert(0, str(TESTS.parent / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(TESTS.parent / "bench"))
    text, cited = generate.bibliography(4000)
    assert len(text.encode()) > 3 << 20  # above the size from which workers are used
    (tmp_path / "big.bib").write_text(text, encoding="utf-8")
    (tmp_path / "ms.md").write_text(generate.manuscript(cited, 200), encoding="utf-8")
    argmap = Path(sys.executable).with_name("argmap")
    command = [str(argmap), "check-citations", "--bib", "big.bib", "--manuscript", "ms.md"]
    env = dict(os.environ, ARGMAP_WORKERS="2", ARGMAP_NO_CACHE="1")
    for delay in (0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8):
        process = subprocess.Popen(
            command,
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            # a shell's background jobs ignore SIGINT, and a child inherits that
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):  # it may have finished already
            os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=60)
        if process.returncode == 130:
            assert err.decode() == "argmap: interrupted\n", delay
        else:  # finished before the signal
            assert process.returncode in (0, 1) and b"Traceback" not in err, delay
