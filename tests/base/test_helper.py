"""A forked helper: its answer comes back whole, and any failure of it (an exception, a kill,
an answer marshal refuses) is None for the caller, with the process reaped; a streaming
helper's frames come as they are made, and only whole ones."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from argmap.base.helper import held, start, stream

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
        os.write(fd, len(data).to_bytes(8, "little") + data[: len(data) // 2])

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


def test_frames_come_as_they_are_made(tmp_path: Path) -> None:
    """A streaming helper's first frame is read while it is still making the next: it waits
    for a file this process writes on reading the first (with a time limit)."""
    signal_file = tmp_path / "first-read"

    def frames() -> Iterator[object]:
        yield ("first", list(range(10)))
        deadline = time.monotonic() + 20
        while not signal_file.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        yield "second, after the first was read" if signal_file.exists() else "too late"

    helper = stream(frames)
    assert helper is not None
    got = []
    for frame in helper.frames():
        got.append(frame)
        signal_file.touch()
    assert got == [("first", list(range(10))), "second, after the first was read"]
    assert helper.whole and helper.status == 0
    assert str(helper.pid) not in _children()


def test_frames_of_a_killed_helper_are_those_sent_whole() -> None:
    def frames() -> Iterator[object]:
        yield 1
        yield [2] * 50_000  # more than a pipe holds
        os.kill(os.getpid(), signal.SIGKILL)
        yield 3

    helper = stream(frames)
    assert helper is not None
    assert list(helper.frames()) == [1, [2] * 50_000]
    assert not helper.whole
    assert helper.status == -signal.SIGKILL


def test_a_frame_cut_short_or_undecodable_ends_the_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    from argmap.base import helper as module

    real = module._send

    def spoilt(fd: int, item: object) -> None:
        if item == "bad":
            os.write(fd, (4).to_bytes(8, "little") + b"\xff\xff\xff\xff")  # not marshal data
        elif item == "short":
            os.write(fd, (1000).to_bytes(8, "little") + b"abc")  # then the helper ends
        else:
            real(fd, item)

    monkeypatch.setattr(module, "_send", spoilt)
    for bad in ("bad", "short"):
        helper = stream(lambda bad=bad: ["one", "two", bad, "after"])  # type: ignore[misc]
        assert helper is not None
        assert list(helper.frames()) == ["one", "two"]
        assert not helper.whole
        assert str(helper.pid) not in _children()


def test_frames_left_unread_end_the_helper() -> None:
    helper = stream(lambda: iter(range(100_000)))
    assert helper is not None
    frames = helper.frames()
    assert next(frames) == 0
    frames.close()  # the caller stops reading: the helper is killed and reaped
    assert helper.done and not helper.whole
    assert str(helper.pid) not in _children()


def test_the_helper_finishes_while_the_parent_reads_nothing(tmp_path: Path) -> None:
    """An answer larger than a pipe's default 64 KiB (the benchmark's manuscript sends 119 KB)
    is written whole while the parent is busy elsewhere (a cold parse), so the helper's work
    is done when the parent comes to read it: it marks a file once it has sent every frame,
    which this process waits for (with a time limit) before reading anything."""
    done = tmp_path / "all-sent"
    items = [[n, f"text {n}", ("a", "b")] * 10 for n in range(1_000)]  # ~300 KB of frames

    def frames() -> Iterator[object]:
        yield from items
        done.touch()  # after the last frame was written: not reached while a write waits

    helper = stream(frames)
    assert helper is not None
    deadline = time.monotonic() + 20
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert done.exists()
    assert list(helper.frames()) == items
    assert helper.whole and helper.status == 0


def _made(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def test_a_held_helper_stops_after_its_frame_and_goes_on(tmp_path: Path) -> None:
    """Held before its first frame (it starts once a file this process writes after holding it
    is there), the helper makes that one and no other until told to go on; then every frame
    comes, whole and in order."""
    made = tmp_path / "made"
    made.mkdir()
    start = tmp_path / "start"

    def frames() -> Iterator[object]:
        deadline = time.monotonic() + 20
        while not start.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        for n in range(5):
            (made / str(n)).touch()
            yield n

    helper = stream(frames)
    assert helper is not None
    go_on = held()
    assert helper.held
    start.touch()
    time.sleep(0.5)  # time enough to make them all, were it not held
    assert _made(made) <= {"0"}
    go_on()
    go_on()  # (a second call changes nothing)
    assert list(helper.frames()) == list(range(5))
    assert helper.whole and helper.status == 0
    assert _made(made) == {"0", "1", "2", "3", "4"}


def test_a_helper_held_when_the_parent_ends_it_goes_on(tmp_path: Path) -> None:
    """The parent's end of the control pipe closed (the parent gone) lets a held helper go on
    to its end (here: a file it writes after its last frame)."""
    done = tmp_path / "done"

    def frames() -> Iterator[object]:
        yield 1
        yield 2
        done.touch()

    helper = stream(frames)
    assert helper is not None
    held()
    os.close(helper.control)  # as the parent's exit would
    helper.control = -1
    deadline = time.monotonic() + 20
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert done.exists()
    assert list(helper.frames()) == [1, 2]


def test_held_holds_no_helper_already_reaped() -> None:
    helper = stream(lambda: iter([1]))
    assert helper is not None
    assert list(helper.frames()) == [1]
    held()
    assert not helper.held


def test_running_is_asked_without_reaping(tmp_path: Path) -> None:
    """``running`` is True while the helper works, False once it has ended, and leaves an
    ended helper for ``frames`` to reap (its answer and its exit code kept)."""
    go = tmp_path / "go"

    def frames() -> Iterator[object]:
        deadline = time.monotonic() + 20
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        yield "done"

    helper = stream(frames)
    assert helper is not None
    assert helper.running()
    go.touch()
    deadline = time.monotonic() + 20
    while helper.running() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not helper.running()
    assert str(helper.pid) in _children()  # ended, not reaped
    assert list(helper.frames()) == ["done"]
    assert helper.whole and helper.status == 0
    assert not helper.running()
