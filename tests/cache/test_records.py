"""The bibliography cache: same result as a fresh parse, keyed by content, never trusted blindly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from argmap.bib.reader import load_bibliography
from argmap.cache import records as cache


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    return home / "argmap"


def bib_file(tmp_path: Path, text: str = "") -> Path:
    path = tmp_path / "refs.bib"
    path.write_text(
        text
        or '@string{j = "Journal"}\n@article{a2001, author = {P{\\\'e}rez, Ana}, journal = j,'
        " year = 2001}\n@article{a2001, title = {dup}}\n@misc{b, note = undefined}\n",
        encoding="utf-8",
    )
    return path


def cache_file(path: Path) -> Path:
    return cache.path_for("bib", hashlib.sha256(path.read_bytes()).hexdigest())


def test_cached_result_equals_a_fresh_parse(tmp_path: Path) -> None:
    path = bib_file(tmp_path)
    fresh = load_bibliography(path, use_cache=False)
    assert not cache_file(path).exists()
    first = load_bibliography(path)
    assert cache_file(path).exists()
    second = load_bibliography(path)
    for bib in (first, second):
        assert bib.entries == fresh.entries
        assert bib.problems == fresh.problems
    assert [p.kind for p in second.problems] == ["duplicate-key", "unresolved-string"]
    assert second.entries["a2001"].surnames == ("perez",)


def test_cache_is_keyed_by_content_not_path(tmp_path: Path) -> None:
    path = bib_file(tmp_path)
    load_bibliography(path)
    other = tmp_path / "elsewhere.bib"
    other.write_bytes(path.read_bytes())
    bib = load_bibliography(other)
    assert bib.path == other and all(p.source == str(other) for p in bib.problems)
    path.write_text("@misc{changed, year = 2020}\n", encoding="utf-8")
    assert list(load_bibliography(path).entries) == ["changed"]


@pytest.mark.parametrize(
    "damage",
    [
        b"",  # empty
        b"not a cache at all",  # foreign
        b"argmap-cache 0 0.0.0\n\xe3\x00",  # another format and version
        "truncated",
        "wrong shape",
        "records of the wrong shape",
        "blob file missing",
        "blob file cut short",
    ],
)
def test_corrupt_or_foreign_cache_is_ignored_and_rebuilt(tmp_path: Path, damage: object) -> None:
    path = bib_file(tmp_path)
    fresh = load_bibliography(path, use_cache=False)
    load_bibliography(path)
    target = cache_file(path)
    good = target.read_bytes()
    if damage == "truncated":
        target.write_bytes(good[: len(good) // 2])
    elif damage == "wrong shape":
        import marshal

        target.write_bytes(cache.magic() + marshal.dumps({"entries": [("k", 1, 2)], "problems": 7}))
    elif damage == "records of the wrong shape":
        import marshal
        import zlib

        def frame(value: object) -> bytes:
            payload = marshal.dumps(value)
            crc = zlib.crc32(payload).to_bytes(4, "little")
            return len(payload).to_bytes(8, "little") + crc + payload

        records = [(["not", "entries"], (0, 10**9, 0), []), ("strings", []), ("rest", 5)]
        target.write_bytes(cache.magic() + b"".join(map(frame, [*records, cache._END])))
    elif damage == "blob file missing":
        target.with_suffix(".rest").unlink()
    elif damage == "blob file cut short":
        blobs = target.with_suffix(".rest")
        blobs.write_bytes(blobs.read_bytes()[:-3])
    else:
        assert isinstance(damage, bytes)
        target.write_bytes(damage)
    bib = load_bibliography(path)
    assert bib.entries == fresh.entries and bib.problems == fresh.problems
    assert target.read_bytes() == good  # rebuilt
    again = load_bibliography(path)  # and read back from the rebuilt cache
    assert again.entries == fresh.entries and again.problems == fresh.problems


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
    assert len(list((cache.root() / "bib").glob("*.marshal"))) == 2


def test_damage_inside_the_files_is_caught(tmp_path: Path) -> None:
    from argmap.errors import BibliographyError

    path = bib_file(tmp_path)
    fresh = load_bibliography(path, use_cache=False)
    load_bibliography(path)
    target = cache_file(path)
    # a flipped byte inside a record of the core file: the record's checksum catches it
    data = bytearray(target.read_bytes())
    data[len(cache.magic()) + 20] ^= 0xFF
    target.write_bytes(bytes(data))
    assert load_bibliography(path).entries == fresh.entries
    # a flipped byte in the blob file: caught when the entry's other fields are read
    blobs = target.with_suffix(".rest")
    data = bytearray(blobs.read_bytes())
    data[-2] ^= 0xFF
    blobs.write_bytes(bytes(data))
    bib = load_bibliography(path)
    with pytest.raises(BibliographyError, match="damaged"):
        bib.entries["a2001"].fields  # noqa: B018 - reading it is the test
    assert not target.exists()  # removed, so the next run rebuilds it
    assert load_bibliography(path).entries == fresh.entries


def test_cache_from_other_code_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = bib_file(tmp_path)
    load_bibliography(path)
    target = cache_file(path)
    written = target.stat().st_mtime_ns
    # argmap's code changes (an editable install keeps its version): the header differs
    monkeypatch.setattr(cache, "code_stamp", lambda: "changed")
    cache.magic.cache_clear()
    try:
        assert cache.read_stream("bib", hashlib.sha256(path.read_bytes()).hexdigest()) is None
        load_bibliography(path)
        assert target.stat().st_mtime_ns >= written
        assert cache.read_stream("bib", hashlib.sha256(path.read_bytes()).hexdigest()) is not None
    finally:
        cache.magic.cache_clear()
