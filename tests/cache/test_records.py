"""The bibliography cache: the same result as a fresh parse, keyed by the bytes parsed and the code
that parsed them, and never a wrong answer, an error, a hang or a stray file whatever is done to
it (issue 17)."""

from __future__ import annotations

import json
import os
import signal
import stat
import zlib
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from argmap.bib.reader import bibliography_from_text, load_bibliography
from argmap.cache import records as cache

BIB = (
    '@string{j = "Journal"}\n@article{a2001, author = {P{\\\'e}rez, Ana}, journal = j,'
    " year = 2001, abstract = {Long text}}\n@article{a2001, title = {dup}}\n"
    "@misc{b, note = undefined}\n@book{c, author = {Doe, J}, title = {A \\{weird\\} one},"
    " year = 1999}\n"
)


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    cache._warned.clear()
    return home / "argmap"


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail instead of hanging for ever."""

    def alarm(signum: int, frame: object) -> None:
        raise TimeoutError("argmap hung")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def bib_file(tmp_path: Path, text: str = BIB) -> Path:
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    return path


def cache_file(path: Path) -> Path:
    return cache.path_for("bib", cache.key_for(path.read_bytes()))


def same(bib: object, path: Path) -> bool:
    """Whether ``bib`` is what bibtexparser's parse of the whole file gives."""
    full = bibliography_from_text(path.read_text(encoding="utf-8"), path)
    return bib.entries == full.entries and bib.problems == full.problems  # type: ignore[attr-defined]


def cache_files(home: Path) -> list[str]:
    return sorted(p.name for p in home.rglob("*") if p.is_file() or p.is_fifo())


def test_cached_result_equals_a_fresh_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = bib_file(tmp_path)
    assert same(load_bibliography(path, use_cache=False), path)
    assert not cache_file(path).exists()
    assert same(load_bibliography(path), path)
    assert cache_file(path).exists()
    from argmap.bib import index

    def never(*args: object) -> object:
        raise AssertionError("indexed again: the cache was not used")

    monkeypatch.setattr(index, "index_text", never)
    second = load_bibliography(path)
    assert same(second, path)
    assert [p.kind for p in second.problems] == ["duplicate-key", "unresolved-string"]
    assert second.entries["a2001"].surnames == ("perez",)
    assert second.entries["a2001"].fields["abstract"] == "Long text"


def test_cache_is_keyed_by_content_not_path(tmp_path: Path) -> None:
    path = bib_file(tmp_path)
    load_bibliography(path)
    other = tmp_path / "elsewhere.bib"
    other.write_bytes(path.read_bytes())
    bib = load_bibliography(other)
    assert bib.path == other and all(p.source == str(other) for p in bib.problems)
    path.write_text("@misc{changed, year = 2020}\n", encoding="utf-8")
    assert list(load_bibliography(path).entries) == ["changed"]


def test_a_symlink_switched_to_another_file_is_read_afresh(tmp_path: Path) -> None:
    one = bib_file(tmp_path)
    two = tmp_path / "two.bib"
    two.write_text("@misc{other, year = 2020}\n", encoding="utf-8")
    link = tmp_path / "link.bib"
    link.symlink_to(one)
    assert "a2001" in load_bibliography(link).entries
    link.unlink()
    link.symlink_to(two)
    assert list(load_bibliography(link).entries) == ["other"]


def test_the_key_covers_code_and_library_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = bib_file(tmp_path)
    data = path.read_bytes()
    before = cache.key_for(data)
    for name, value in (("code_stamp", "changed"), ("_library_versions", "bibtexparser=9.9")):
        with monkeypatch.context() as patch:
            patch.setattr(cache, name, lambda value=value: value)
            cache.magic.cache_clear()
            try:
                assert cache.key_for(data) != before
            finally:
                cache.magic.cache_clear()
    assert cache.key_for(data) == before
    assert "bibtexparser=" in cache.magic().decode()


def test_the_bytes_parsed_are_the_bytes_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .bib saved while it is being parsed: the result and the cache entry both describe the
    bytes that were read, and the new content gets an entry of its own."""
    from argmap.bib import parallel

    path = bib_file(tmp_path)
    original = path.read_bytes()
    decode = parallel.decode_bib

    def save_meanwhile(data: bytes) -> str:
        path.write_text("@misc{saved, year = 2024}\n", encoding="utf-8")
        return decode(data)

    with monkeypatch.context() as patch:
        patch.setattr(parallel, "decode_bib", save_meanwhile)
        bib = load_bibliography(path)
    assert "a2001" in bib.entries and "saved" not in bib.entries
    assert cache.path_for("bib", cache.key_for(original)).exists()
    assert list(load_bibliography(path).entries) == ["saved"]


def _frame(value: object) -> bytes:
    payload = json.dumps(value).encode()
    return len(payload).to_bytes(8, "little") + zlib.crc32(payload).to_bytes(4, "little") + payload


@pytest.mark.parametrize(
    "damage",
    [
        "empty",
        "foreign",
        "another format",
        "truncated",
        "one byte more",
        "records of the wrong shape",
        "spans out of range",
        "a crafted huge record size",
        "a deeply nested record",
    ],
)
def test_damaged_or_foreign_cache_is_rebuilt(tmp_path: Path, damage: str) -> None:
    path = bib_file(tmp_path)
    load_bibliography(path)
    target = cache_file(path)
    good = target.read_bytes()
    bad = {
        "empty": b"",
        "foreign": b"not a cache at all",
        "another format": b"argmap-cache 1 0.0.0\n\xe3\x00",
        "truncated": good[: len(good) // 2],
        "one byte more": good + b"\x00",
        "records of the wrong shape": cache.magic()
        + _frame(["strings", {}, []])
        + _frame([["not", "entries"], ["spans", [[0, 10**9]]], []])
        + _frame(cache._END),
        "spans out of range": cache.magic()
        + _frame(["strings", {}, []])
        + _frame([[["k", "misc", 1, [], {}, None]], ["spans", [[5, 10**9]]], []])
        + _frame(cache._END),
        # 12 bytes claiming a record of 2**62 bytes: refused before anything is allocated
        "a crafted huge record size": cache.magic() + (2**62).to_bytes(8, "little") + b"\0" * 9,
        "a deeply nested record": cache.magic()
        + (lambda p: len(p).to_bytes(8, "little") + zlib.crc32(p).to_bytes(4, "little") + p)(
            b"[" * 100_000 + b"]" * 100_000
        )
        + _frame(cache._END),
    }[damage]
    target.write_bytes(bad)
    bib = load_bibliography(path)
    assert same(bib, path)
    assert target.read_bytes() == good  # rebuilt
    assert same(load_bibliography(path), path)  # and read back from the rebuilt file


def test_every_flipped_byte_means_a_rebuild(tmp_path: Path) -> None:
    path = bib_file(tmp_path)
    load_bibliography(path)
    target = cache_file(path)
    good = target.read_bytes()
    for position in range(len(cache.magic()), len(good), max(1, len(good) // 60)):
        data = bytearray(good)
        data[position] ^= 0x20
        target.write_bytes(bytes(data))
        bib = load_bibliography(path)
        assert same(bib, path), position
        for entry in bib.entries.values():
            entry.fields  # noqa: B018 - every field readable: no damage surfaces later


def test_a_forged_span_is_read_from_the_text_not_trusted(tmp_path: Path) -> None:
    """Spans are only positions in the very text that was hashed: one pointing at the wrong
    place (a record forged with a valid checksum) gives that place's fields, never an error."""
    path = bib_file(tmp_path, "@misc{x, note = {one}}\n@misc{y, note = {two}}\n")
    load_bibliography(path)
    target = cache_file(path)
    records = cache.decode(target.read_bytes())
    assert records is not None
    spans = array("q")
    spans.frombytes(records[-1])
    assert list(spans) == [0, 23, 23, 46]
    spans[1] = 3  # x's span cut short
    records[-1] = spans.tobytes()
    cache.write("bib", cache.key_for(path.read_bytes()), records)
    bib = load_bibliography(path)
    assert bib.entries["y"].fields["note"] == "two"
    assert isinstance(bib.entries["x"].fields, dict)


def test_a_fifo_in_the_cache_does_not_hang(tmp_path: Path, no_hang: None) -> None:
    path = bib_file(tmp_path)
    target = cache_file(path)
    target.parent.mkdir(parents=True, mode=0o700)
    os.mkfifo(target)
    assert same(load_bibliography(path), path)


def test_a_symlinked_cache_file_is_not_followed(tmp_path: Path) -> None:
    path = bib_file(tmp_path)
    elsewhere = tmp_path / "forged.json"
    load_bibliography(path)
    target = cache_file(path)
    elsewhere.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(elsewhere)
    assert cache.read("bib", cache.key_for(path.read_bytes())) is None
    assert same(load_bibliography(path), path)


def test_the_cache_directory_is_created_private(tmp_path: Path, cache_home: Path) -> None:
    load_bibliography(bib_file(tmp_path))
    for directory in (cache_home, cache_home / "bib"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700


@pytest.mark.parametrize("unsafe", ["writable by others", "another user's", "a symlink"])
def test_an_unsafe_cache_directory_is_refused_with_one_warning(
    tmp_path: Path,
    cache_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    unsafe: str,
) -> None:
    path = bib_file(tmp_path)
    load_bibliography(path)
    target = cache_file(path)
    # A forged entry: the same key, answering with a key the file does not hold.
    records = cache.decode(target.read_bytes())
    assert records is not None
    keys = bytes(records[1]).split(b"\x00")
    keys[0] = b"forged"
    records[1] = b"\x00".join(keys)
    cache.write("bib", target.stem, records)
    forged = target.read_bytes()
    if unsafe == "writable by others":
        cache_home.chmod(0o777)
    elif unsafe == "another user's":
        uid = os.getuid()
        monkeypatch.setattr(cache.os, "getuid", lambda: uid + 1)
    else:
        real = tmp_path / "real-cache"
        cache_home.rename(real)
        cache_home.symlink_to(real)
    capsys.readouterr()
    for _ in range(3):
        bib = load_bibliography(path)
        assert "forged" not in bib.entries and same(bib, path)
    err = capsys.readouterr().err
    assert err.count("argmap: warning:") == 1 and "running without the cache" in err
    if unsafe != "a symlink":
        assert target.read_bytes() == forged  # nothing written there either


def test_a_full_disk_means_no_cache_and_no_stray_file(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle: object) -> None:
            self.handle = handle

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd: int, mode: str = "r", **kw: object) -> object:
        # Only writes fill the disk: argmap still reads its inputs through os.fdopen.
        return Full(real_fdopen(fd, mode)) if "w" in mode else real_fdopen(fd, mode, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(cache.os, "fdopen", fdopen)
    path = bib_file(tmp_path)
    assert same(load_bibliography(path), path)
    assert cache_files(cache_home) == []


def test_an_interrupted_write_leaves_no_file(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    dumps = json.dumps

    def interrupted(value: object, **kw: object) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return dumps(value, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(cache.json, "dumps", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_bibliography(bib_file(tmp_path))
    assert cache_files(cache_home) == []


def test_a_dead_workers_parse_leaves_no_file(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argmap.bib import parallel
    from argmap.errors import BibliographyError

    def die(run: tuple[int, int, int]) -> object:
        os._exit(9)

    monkeypatch.setattr(parallel, "_run_work", die)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(parallel, "PART_BYTES", 100)
    text = "".join(f"@misc{{k{i}, note = {{a\\{{b}}}}\n" for i in range(400))  # no plain entry
    path = bib_file(tmp_path, text)
    # the worker really dies (its function is inherited, not pickled: before base/workers.py
    # this local function failed to pickle and no worker died)
    with pytest.raises(
        BibliographyError, match=r"worker process ended abruptly \(exit code 9\)"
    ) as raised:
        load_bibliography(path, workers=2)
    # the file is not to blame: the hint says what to do, not "check the file's braces"
    assert raised.value.hint is not None and "ARGMAP_WORKERS=1" in raised.value.hint
    assert cache_files(cache_home) == []


def test_stale_temporary_files_are_pruned(tmp_path: Path, cache_home: Path) -> None:
    path = bib_file(tmp_path)
    load_bibliography(path)
    folder = cache_home / "bib"
    stale, live = folder / ".tmp-dead.json", folder / ".tmp-live.json"
    stale.write_bytes(b"partial")
    live.write_bytes(b"being written")
    old = stale.stat().st_mtime - cache.STALE_TMP - 60
    os.utime(stale, (old, old))
    load_bibliography(bib_file(tmp_path, "@misc{new, year = 2000}\n"))
    assert not stale.exists() and live.exists()


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = bib_file(tmp_path)
    load_bibliography(path, use_cache=False)
    assert not cache_file(path).exists()
    monkeypatch.setenv("ARGMAP_NO_CACHE", "1")
    load_bibliography(path)
    assert not cache_file(path).exists()


def test_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = bib_file(tmp_path)
    assert "a2001" in load_bibliography(path).entries


def test_cache_keeps_only_recent_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(cache.KEEP, "bib", 2)
    for i in range(4):
        load_bibliography(bib_file(tmp_path, f"@misc{{k{i}, year = {2000 + i}}}\n"))
    assert len(list((cache.root() / "bib").glob("*.json"))) == 2


def test_a_dead_index_worker_is_one_message_and_no_file(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several files indexed together: a worker killed mid-way is reported once, naming a file,
    and nothing is cached."""
    from argmap.bib import reader
    from argmap.errors import BibliographyError

    def die(job: tuple[int, int, int]) -> bytes:
        os._exit(9)

    monkeypatch.setattr(reader, "_index_piece", die)
    monkeypatch.setattr(reader, "INDEX_PARALLEL_FROM", 0)
    paths = []
    for number in range(3):
        path = tmp_path / f"f{number}.bib"
        path.write_text(
            "".join(f"@misc{{k{number}x{i}, year = 2000}}\n" for i in range(50)), encoding="utf-8"
        )
        paths.append(path)
    with pytest.raises(
        BibliographyError, match=r"worker process ended abruptly \(exit code 9\)"
    ) as raised:
        reader.load_bibliographies(paths, workers=2)
    assert "f0.bib" in str(raised.value.path)
    assert raised.value.hint is not None and "braces" not in raised.value.hint
    assert cache_files(cache_home) == []


def test_a_cache_file_is_private_and_written_without_tempfile(tmp_path: Path) -> None:
    """The file (created under a fresh temporary name, then renamed) is readable by its owner
    only, and writing it imports no ``tempfile`` (with ``shutil`` and ``random``, 4-8 ms)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from argmap.cache import records\n"
        "assert records.write('bib', 'k' * 64, [{'a': 1}, b'xyz'])\n"
        "print('tempfile' in sys.modules)\n"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "home"))
    env.pop("ARGMAP_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "False"
    (written,) = (tmp_path / "home" / "argmap" / "bib").iterdir()
    assert written.name == "k" * 64 + ".json"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_a_cache_directory_that_cannot_be_written_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    (home / "argmap").mkdir(parents=True, mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    cache._warned.clear()

    def full(*_: object) -> tuple[int, str]:
        raise OSError(28, os.strerror(28))  # ENOSPC: a full disk

    monkeypatch.setattr(cache, "_create_temporary", full)
    assert cache.write("bib", "k", [1]) is False
    assert cache.write("bib", "k2", [1]) is False
    err = capsys.readouterr().err
    assert err.count("argmap: warning: cannot write in the cache directory") == 1
    assert "No space left on device" in err and "running without the cache" in err
