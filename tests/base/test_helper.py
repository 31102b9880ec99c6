"""A forked helper: its answer comes back whole, and any failure of it (an exception, a kill,
an answer marshal refuses) is None for the caller, with the process reaped."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from argmap.base.helper import start

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the helper is forked on Linux")


def _children() -> set[str]:
    return set(open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split())


def test_the_answer_comes_back_whole() -> None:
    data = [(n, f"text {n}", ("a", "b"), None, n % 2 == 0) for n in range(20_000)]  # > a pipe
    helper = start(lambda: data)
    assert helper is not None
    assert helper.answer() == data
    assert str(helper.pid) not in _children()


def test_the_helper_reads_the_parents_memory() -> None:
    seen = {"made": "before the fork"}
    helper = start(lambda: seen["made"])
    assert helper is not None
    assert helper.answer() == "before the fork"


def test_an_exception_in_the_helper_is_no_answer() -> None:
    def fails() -> object:
        raise ValueError("bad")

    helper = start(fails)
    assert helper is not None
    assert helper.answer() is None
    assert helper.status == 1


def test_a_killed_helper_is_no_answer() -> None:
    def killed() -> object:
        os.kill(os.getpid(), signal.SIGKILL)
        return "never"

    helper = start(killed)
    assert helper is not None
    assert helper.answer() is None
    assert helper.status == -signal.SIGKILL


def test_an_answer_marshal_refuses_is_no_answer() -> None:
    helper = start(lambda: object())
    assert helper is not None
    assert helper.answer() is None


def test_a_truncated_answer_is_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    import marshal

    from argmap.base import helper as module

    def half(fd: int, answer: object) -> None:  # the helper's send, cut short (then exit 0)
        data = marshal.dumps(answer)
        os.write(fd, data[: len(data) // 2])

    monkeypatch.setattr(module, "_send", half)
    helper = start(lambda: list(range(1000)))
    assert helper is not None
    assert helper.answer() is None
    assert helper.status == 0


def test_cancel_kills_and_reaps_a_helper_still_working() -> None:
    def slow() -> object:
        time.sleep(30)
        return 1

    helper = start(slow)
    assert helper is not None
    started = time.monotonic()
    helper.cancel()
    assert time.monotonic() - started < 5
    assert str(helper.pid) not in _children()
    assert helper.answer() is None  # after cancel, nothing to wait for


def test_without_fork_there_is_no_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fork")
    assert start(lambda: 1) is None
