"""Compiled patterns kept between runs: a run of ``check-citations`` compiles no pattern a
run before it compiled (the helper's too), the patterns it finds are the ones ``re`` compiles,
and a damaged or foreign file only means compiling as usual."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from argmap.cache import compiled as patterns
from argmap.cache import records as cache

# Patterns of every kind the engine's code has: groups named and not, flags, look-arounds,
# possessive and lazy repeats, back references, character classes with accents, alternation.
SAMPLES = [
    (r"(?P<surname>[A-ZÁÉÍÓÚÑÜ][\w'’.-]*),?\s+(?P<year>(?:1[5-9]|20)\d\d)([a-z])?", 0),
    (r"^[ \t]*+@(\w++)[ \t]*+\{\s*+([^\s,{}\"=@\\]++)\s*+,", re.IGNORECASE),
    (r"^ {0,3}([-*_])(?: *\1){2,} *$", re.MULTILINE),
    (r"(?<!\w)(?:s\.\s?f|n\.\s?d)\.(?!\w)", re.IGNORECASE | re.UNICODE),
    (r"\\([a-zA-Z]+)\s*|\\.", 0),
    (r"(.*?)\s+and\s+(?=\S)", re.DOTALL),
]
TEXTS = [
    "Pérez, 1999a y Núñez 2004 and Smith",
    "  @Article{key2001, title = x}\n@book{b,",
    "para\n- - -\n***\n",
    "(s. f.) y (n.d.) pero no sn.d.",
    "\\'e \\emph {x} \\\\ end",
    "A and B and\nC",
]


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private cache, a process that ran ``prefill``, and ``re``'s cache as it was."""
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    monkeypatch.setattr(sys, "argv", ["argmap", "check-citations"])
    monkeypatch.setattr(patterns, "_known", set())
    monkeypatch.setattr(patterns, "_active", False)
    monkeypatch.setattr(patterns, "_elsewhere", [])
    monkeypatch.setattr(cache, "written", set())
    cache._warned.clear()
    saved = dict(re._cache)  # type: ignore[attr-defined]
    yield home / "argmap"
    re.purge()
    re._cache.update(saved)  # type: ignore[attr-defined]


def stored(home: Path) -> list[list[object]]:
    """The items of the one pattern file."""
    (path,) = (home / patterns.KIND).glob("*.json")
    records = cache.decode(path.read_bytes())
    assert records is not None
    return records[0]  # type: ignore[no-any-return]


def compile_samples() -> None:
    re.purge()
    for pattern, flags in SAMPLES:
        re.compile(pattern, flags)


def test_remembered_patterns_are_given_to_re_and_match_as_compiled(cache_home: Path) -> None:
    patterns.prefill()  # no file yet: nothing given
    compile_samples()
    assert patterns.remember()
    assert {(item[0], item[1]) for item in stored(cache_home)} >= set(SAMPLES)
    re.purge()
    patterns._known.clear()
    assert patterns.prefill() >= len(SAMPLES)
    for (pattern, flags), text in zip(SAMPLES, TEXTS, strict=True):
        given = re.compile(pattern, flags)  # found in re's cache, not compiled
        assert given is re._cache[str, pattern, int(flags)]  # type: ignore[attr-defined]
        fresh = re._compiler.compile(pattern, flags)  # type: ignore[attr-defined]
        assert (given.pattern, given.flags, given.groups, given.groupindex) == (
            fresh.pattern,
            fresh.flags,
            fresh.groups,
            fresh.groupindex,
        )
        for probe in (text, *TEXTS):
            assert [m.span() for m in given.finditer(probe)] == [
                m.span() for m in fresh.finditer(probe)
            ]
            assert [m.groups() for m in given.finditer(probe)] == [
                m.groups() for m in fresh.finditer(probe)
            ]


def test_nothing_is_written_when_every_pattern_was_given(cache_home: Path) -> None:
    patterns.prefill()
    compile_samples()
    assert patterns.remember()
    (path,) = (cache_home / patterns.KIND).glob("*.json")
    before = path.stat().st_mtime_ns
    re.purge()
    patterns._known.clear()
    patterns.prefill()
    for pattern, flags in SAMPLES:
        re.compile(pattern, flags)
    assert not patterns.remember()
    assert path.stat().st_mtime_ns == before


def test_code_the_engine_refuses_is_compiled_as_usual(cache_home: Path) -> None:
    patterns.prefill()
    compile_samples()
    patterns.remember()
    items = stored(cache_home)
    broken = next(i for i in items if i[0] == SAMPLES[0][0])
    broken[3] = [999_999, 7]  # not the engine's code: _sre.compile refuses it
    (path,) = (cache_home / patterns.KIND).glob("*.json")
    key = path.stem
    assert cache.write(patterns.KIND, key, [items])
    re.purge()
    patterns._known.clear()
    given = patterns.prefill()
    assert given == len(items) - 1
    assert (str, SAMPLES[0][0], SAMPLES[0][1]) not in re._cache  # type: ignore[attr-defined]
    found = re.compile(*SAMPLES[0]).search(TEXTS[0])  # compiled from the pattern
    assert found is not None and found.group("year") == "1999"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[:-3], id="cut-short"),
        pytest.param(lambda data: data[:-40] + b"x" + data[-39:], id="checksum"),
        pytest.param(lambda data: b"", id="empty"),
    ],
)
def test_a_damaged_file_gives_nothing(cache_home: Path, damage: object) -> None:
    patterns.prefill()
    compile_samples()
    patterns.remember()
    (path,) = (cache_home / patterns.KIND).glob("*.json")
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    re.purge()
    patterns._known.clear()
    assert patterns.prefill() == 0


def test_items_not_of_the_written_shape_are_left_out(cache_home: Path) -> None:
    patterns.prefill()
    compile_samples()
    patterns.remember()
    items = stored(cache_home)
    (path,) = (cache_home / patterns.KIND).glob("*.json")
    odd: list[object] = [["x", 0, 0, [], 0, {}], 5, ["y", "0", 0, [], 0, {}, []]]
    assert cache.write(patterns.KIND, path.stem, [odd + items])
    re.purge()
    patterns._known.clear()
    assert patterns.prefill() == len(items)


@pytest.mark.parametrize("off", ["env", "option"])
def test_no_cache_neither_reads_nor_writes(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch, off: str
) -> None:
    if off == "env":
        monkeypatch.setenv("ARGMAP_NO_CACHE", "1")
    else:
        monkeypatch.setattr(sys, "argv", ["argmap", "check-citations", "--no-cache"])
    assert patterns.prefill() == 0
    compile_samples()
    assert not patterns.remember()
    assert not (cache_home / patterns.KIND).exists()


def test_a_run_that_parsed_a_bibliography_writes_nothing(cache_home: Path) -> None:
    patterns.prefill()
    compile_samples()
    cache.written.add("bib")  # a cold check: the next, warm, run keeps its patterns
    assert not patterns.remember()
    assert not (cache_home / patterns.KIND).exists()


def test_a_helpers_patterns_are_kept_with_this_process(cache_home: Path) -> None:
    patterns.prefill()
    re.purge()
    helper = [SAMPLES[0], (SAMPLES[1][0], int(SAMPLES[1][1]))]
    assert not patterns.heard([("x", "0")])
    assert not patterns.heard("x")
    assert patterns.heard(helper)
    assert patterns.remember()
    assert {(item[0], item[1]) for item in stored(cache_home)} >= set(helper)


def test_two_installs_of_argmap_keep_a_file_each(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each would find the other's file unreadable (its header names another argmap) and, if
    they shared one, write its own over it on every run."""
    patterns.prefill()
    compile_samples()
    assert patterns.remember()
    (mine,) = (cache_home / patterns.KIND).glob("*.json")
    monkeypatch.setattr(cache, "magic", lambda: b"argmap-cache 8 9.9 other install\n")
    monkeypatch.setattr(patterns, "_known", set())
    assert patterns.prefill() == 0  # the other install's file: not found
    assert patterns.remember()
    assert len(list((cache_home / patterns.KIND).glob("*.json"))) == 2
    assert mine.exists()


def test_a_program_that_did_not_prefill_writes_nothing(cache_home: Path) -> None:
    compile_samples()  # argmap's modules imported by another program (the tests, an editor)
    assert not patterns.remember()
    assert not (cache_home / patterns.KIND).exists()


# Runs argmap's entry point in a fresh interpreter and lists, as JSON, the patterns of
# argmap's own modules that ``re`` had to compile (not found in its cache). (The standard
# library's, such as json's, are compiled at their import, before argmap's entry point runs.)
_COUNTING = """
import json, os, re, sys
compiled = []
real = re._compile
def counting(pattern, flags):
    if isinstance(pattern, str) and (type(pattern), pattern, flags) not in re._cache:
        caller = sys._getframe(1)
        while caller.f_code.co_filename.endswith(os.path.join("re", "__init__.py")):
            caller = caller.f_back
        if os.sep + "argmap" + os.sep in caller.f_code.co_filename:
            compiled.append(pattern)
    return real(pattern, flags)
re._compile = counting
sys.argv = ["argmap", *sys.argv[1:]]
from argmap.entry import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nCOMPILED " + json.dumps(compiled) + "\\n")
"""


def _run(tmp_path: Path, cache_home: Path, *args: str, workers: str) -> list[str]:
    env = dict(
        os.environ,
        XDG_CACHE_HOME=str(cache_home.parent),
        ARGMAP_WORKERS=workers,
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("ARGMAP_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", _COUNTING, "check-citations", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.rsplit("COMPILED ", 1)[1])  # type: ignore[no-any-return]


def test_a_second_check_compiles_none_of_the_patterns_the_first_did(
    tmp_path: Path, cache_home: Path
) -> None:
    (tmp_path / "refs.bib").write_text(
        "@book{perez2001, author = {P{\\'e}rez, Ana}, title = {T}, year = 2001}\n",
        encoding="utf-8",
    )
    (tmp_path / "paper.md").write_text("As shown (Pérez, 2001), and [@perez2001].\n")
    args = ("--bib", "refs.bib", "--manuscript", "paper.md", "--format", "json")
    cold = _run(tmp_path, cache_home, *args, workers="1")
    assert len(cold) > 30  # the scanner's, the reader's, the bibliography's...
    # a cold check (it parsed the bibliography) keeps none: it costs what it did
    assert not (cache_home / patterns.KIND).exists()
    warm = _run(tmp_path, cache_home, *args, workers="1")
    assert set(warm) <= set(cold)  # (those of the bibliography's parse are not compiled)
    assert len(warm) > 30
    assert _run(tmp_path, cache_home, *args, workers="1") == []


def test_the_helpers_patterns_are_kept_too(tmp_path: Path, cache_home: Path) -> None:
    """A manuscript long enough for the helper: the scanner's patterns are compiled in the
    helper only, which keeps them for the next run (forked from it, the helper finds them)."""
    from argmap.checks.ahead import SHARE_FROM_BYTES

    if not hasattr(os, "fork") or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("the helper is forked only on a machine of two cores or more")
    (tmp_path / "refs.bib").write_text(
        "@book{perez2001, author = {P{\\'e}rez, Ana}, title = {T}, year = 2001}\n",
        encoding="utf-8",
    )
    line = "As shown by Pérez (2001), the work holds (Pérez, 2001).\n\n"
    (tmp_path / "paper.md").write_text(line * (SHARE_FROM_BYTES // len(line) + 1))
    args = ("--bib", "refs.bib", "--manuscript", "paper.md", "--format", "json")
    _run(tmp_path, cache_home, *args, workers="2")  # cold: the bibliography's cache written
    warm = _run(tmp_path, cache_home, *args, workers="2")
    kept = {item[0] for item in stored(cache_home)}
    from argmap.citations import scanner

    assert scanner._YEAR_TOKEN.pattern not in warm  # compiled by the helper alone...
    assert scanner._YEAR_TOKEN.pattern in kept  # ...which told this process
    assert _run(tmp_path, cache_home, *args, workers="2") == []
