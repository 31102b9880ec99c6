"""A Ctrl-C during a parallel bibliography read: ``argmap: interrupted``, exit 130, nothing else
on stderr, whenever it comes, and never a hang.

A terminal sends SIGINT to the whole process group, workers included. The signal is sent at
the moment a worker process appears (the window in which a worker not yet ignoring SIGINT
printed a traceback, and the parent's fork handlers were interrupted) and shortly after it. On
the code before base/workers.py every run of this test failed: tracebacks from
multiprocessing/connection.py and logging's fork handler, and hangs after the interrupt.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench_inputs import bench_generator

TESTS = Path(__file__).parents[1]
CHILDREN = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or not CHILDREN.exists(),
    reason="workers are forked on Linux; the test finds them in /proc/PID/task/PID/children",
)


def _children(pid: int) -> set[int]:
    try:
        return {int(n) for n in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:  # it has ended
        return set()


def _inputs(folder: Path) -> None:
    """big.bib: 3 MB of plain entries (one index worker); odd.bib: 2.5 MB of entries the
    index leaves to bibtexparser (an index worker, then parse workers)."""
    generate = bench_generator()
    text, cited = generate.bibliography(4000)
    assert len(text.encode()) > 3 << 20  # above the sizes from which workers are used
    (folder / "big.bib").write_text(text, encoding="utf-8")
    (folder / "ms.md").write_text(generate.manuscript(cited, 200), encoding="utf-8")
    odd = "".join(
        f"@misc{{odd{i}, author = {{Doe, Jane}}, year = 2001, note = {{a \\{{b}} {'x' * 300}}}}}\n"
        for i in range(8000)
    )
    assert len(odd) > 2 << 20  # above the size from which parse workers are used
    (folder / "odd.bib").write_text(odd, encoding="utf-8")


def _interrupt(folder: Path, bib: str, worker: int, delay: float) -> tuple[int | None, str]:
    """Run a check, send SIGINT to its group ``delay`` s after its ``worker``-th worker process
    appears; its exit code and stderr (exit None: it finished before that worker came)."""
    argmap = Path(sys.executable).with_name("argmap")
    command = [str(argmap), "check-citations", "ms.md", "--bib", bib, "--no-cache"]
    process = subprocess.Popen(
        command,
        cwd=folder,
        env=dict(os.environ, ARGMAP_WORKERS="2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # a shell's background jobs ignore SIGINT, and a child inherits that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    seen: set[int] = set()
    deadline = time.monotonic() + 60
    while len(seen) < worker and process.poll() is None and time.monotonic() < deadline:
        seen |= _children(process.pid)
        time.sleep(0.0005)
    reached = len(seen) >= worker
    time.sleep(delay)
    with contextlib.suppress(ProcessLookupError):  # it may have finished already
        os.killpg(process.pid, signal.SIGINT)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"{bib}: hung after a Ctrl-C {delay} s after worker {worker} appeared")
    return (process.returncode if reached else None), err.decode()


@pytest.mark.parametrize(
    ("bib", "worker"),
    [("big.bib", 1), ("odd.bib", 2)],
    ids=["index-worker", "parse-worker"],
)
def test_ctrl_c_as_a_worker_starts_or_works_ends_with_one_message(
    tmp_path: Path, bib: str, worker: int
) -> None:
    _inputs(tmp_path)
    interrupted = 0
    for delay in (0.0, 0.0, 0.0, 0.002, 0.01, 0.05):
        code, err = _interrupt(tmp_path, bib, worker, delay)
        if code == 130:
            interrupted += 1
            assert err == "argmap: interrupted\n", (delay, err)
        else:  # it finished before the signal
            assert code in (0, 1, None) and "Traceback" not in err, (delay, code, err)
    assert interrupted >= 3  # the test really interrupted workers
