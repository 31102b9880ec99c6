"""The matcher's surname index made at C speed (``_word_places``) is exactly what a loop over
the entries made (the reference below, the code it replaced): the same words, in the same
order, with the same places — on generated first surnames (particles, words of several
names, a word twice, none, the empty one), types cited by key only and excluded keys; and on
the test bibliographies and the benchmark's, read afresh and from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench_inputs import bench_generator
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.bib.names import PARTICLES
from argmap.bib.reader import load_bibliography
from argmap.citations.matcher import _KEY_ONLY_TYPES, Matcher, _word_places

DATA = Path(__file__).parents[1] / "data"


def loop_places(
    keys: list[str], types: list[str], firsts: list[str | None], excluded: set[str]
) -> dict[str, list[int]]:
    """The index as the loop over the entries made it."""
    places: dict[str, list[int]] = {}
    for place, (key, entry_type, first) in enumerate(zip(keys, types, firsts, strict=True)):
        if first is None or entry_type in _KEY_ONLY_TYPES or (excluded and key in excluded):
            continue
        if " " not in first and first not in PARTICLES:
            places.setdefault(first, []).append(place)
            continue
        for word in first.split():
            if word not in PARTICLES:
                places.setdefault(word, []).append(place)
    return places


def assert_same(
    keys: list[str], types: list[str], firsts: list[str | None], excluded: set[str]
) -> None:
    want = loop_places(keys, types, firsts, excluded)
    before = list(firsts)
    got = _word_places(keys, types, firsts, excluded)
    assert list(got.items()) == list(want.items())
    assert firsts == before  # the caller's list is left as it is


_WORD = st.sampled_from(["garcia", "lopez", "van", "de", "la", "dam", "smith", "", "von"])
_FIRST = st.one_of(
    st.none(),
    st.lists(_WORD, min_size=1, max_size=4).map(" ".join),
    _WORD,
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(_FIRST, st.sampled_from(["article", "book", "set", "xdata"]), st.booleans()),
        max_size=40,
    )
)
def test_generated_first_surnames(rows: list[tuple[str | None, str, bool]]) -> None:
    keys = [f"k{i}" for i in range(len(rows))]
    types = [entry_type for _, entry_type, _ in rows]
    firsts = [first for first, _, _ in rows]
    excluded = {key for key, (_, _, out) in zip(keys, rows, strict=True) if out}
    assert_same(keys, types, firsts, excluded)
    assert_same(keys, types, firsts, set())


def rows_of(matcher: Matcher) -> tuple[list[str], list[str], list[str | None]]:
    entries = list(matcher.bib.entries.values())
    return (
        [e.key for e in entries],
        [e.type for e in entries],
        [e.surnames[0] if e.surnames else None for e in entries],
    )


READABLE = sorted(p for p in DATA.rglob("*.bib") if "hostile" not in p.parts)


@pytest.mark.parametrize("path", READABLE, ids=lambda p: str(p.relative_to(DATA)))
def test_test_bibliographies(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    for _ in range(2):  # read afresh, then from the cache's columns
        matcher = Matcher(load_bibliography(path))
        matcher._build()
        keys, types, firsts = rows_of(matcher)
        assert list(matcher._places.items()) == list(
            loop_places(keys, types, firsts, set()).items()
        )
        some = set(keys[::3])
        assert_same(keys, types, firsts, some)


@pytest.mark.parametrize("kind", ["rich", "lean"])
def test_benchmark_bibliographies(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    generate = bench_generator()
    make = generate.bibliography if kind == "rich" else generate.lean_bibliography
    text, _cited = make(20_000)
    path = tmp_path / f"{kind}.bib"
    path.write_text(text, encoding="utf-8")
    for _ in range(2):  # read afresh, then from the cache's columns
        matcher = Matcher(load_bibliography(path))
        matcher._build()
        keys, types, firsts = rows_of(matcher)
        want = loop_places(keys, types, firsts, set())
        assert list(matcher._places.items()) == list(want.items())
        assert any(" " in f for f in firsts if f)  # particles and compound names among them
