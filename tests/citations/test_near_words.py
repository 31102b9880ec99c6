"""The fuzzy look-up of a misspelt surname (``Matcher._near_words``) scores its two blocks of
index words apart; its suggestions are exactly those of one ``process.extract`` over the two
blocks joined without repeats (the way it was written before), on generated names, the test
bibliographies and the benchmark's."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from bench_inputs import bench_generator
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from argmap.bib.reader import load_bibliography
from argmap.citations.matcher import NAME_SIMILARITY, Matcher

DATA = Path(__file__).parents[1] / "data"


def joined_blocks(matcher: Matcher, word: str) -> list[str]:
    """The suggestions as one extract over the blocks joined, best first (the reference)."""
    blocks = matcher._fuzzy_blocks()
    block = dict.fromkeys(blocks.get(word[:1], []) + blocks.get("~" + word[-2:], []))
    return [
        near
        for near, _score, _ in process.extract(
            word, list(block), scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY, limit=5
        )
    ]


def misspellings(word: str, rng: random.Random) -> list[str]:
    """The word itself and slips of one or two letters: dropped, doubled, swapped, changed."""
    out = {word}
    for _ in range(4):
        w = list(word)
        for _ in range(rng.choice([1, 1, 2])):
            if not w:
                break
            i = rng.randrange(len(w))
            kind = rng.randrange(4)
            if kind == 0:
                del w[i]
            elif kind == 1:
                w.insert(i, w[i])
            elif kind == 2 and i + 1 < len(w):
                w[i], w[i + 1] = w[i + 1], w[i]
            else:
                w[i] = rng.choice("aeiourstnl")
        out.add("".join(w))
    return sorted(out)


def assert_same_suggestions(matcher: Matcher, words: list[str]) -> int:
    """Every word's suggestions equal the reference's; how many words had any."""
    matcher._build()
    with_any = 0
    for word in words:
        got = matcher._near_words(word)
        assert got == joined_blocks(matcher, word), word
        with_any += bool(got)
    return with_any


def bib_of(tmp_path: Path, surnames: list[str]) -> Matcher:
    """A matcher over a bibliography of one entry per surname (in that order)."""
    text = "".join(
        f"@article{{k{i}, author = {{{name}, A.}}, title = {{T}}, year = {{2000}}}}\n"
        for i, name in enumerate(surnames)
    )
    path = tmp_path / "names.bib"
    path.write_text(text, encoding="utf-8")
    return Matcher(load_bibliography(path, use_cache=False))


# Short names over few letters: many ties of score, many words in both blocks.
_NAME = st.text(alphabet="abcdeo", min_size=1, max_size=7)


@settings(max_examples=60, deadline=None)
@given(names=st.lists(_NAME, min_size=1, max_size=60), queries=st.lists(_NAME, max_size=10))
def test_generated_names(
    tmp_path_factory: pytest.TempPathFactory, names: list[str], queries: list[str]
) -> None:
    matcher = bib_of(tmp_path_factory.mktemp("near"), names)
    assert_same_suggestions(matcher, queries + names[:5])


# every .bib of the test data but the hostile ones, which do not read (binary, not UTF-8)
READABLE = sorted(p for p in DATA.rglob("*.bib") if "hostile" not in p.parts)


@pytest.mark.parametrize("path", READABLE, ids=lambda p: str(p.relative_to(DATA)))
def test_test_bibliographies(path: Path) -> None:
    matcher = Matcher(load_bibliography(path, use_cache=False))
    matcher._build()
    rng = random.Random(str(path.name))
    words = [m for w in list(matcher.by_word)[:200] for m in misspellings(w, rng)]
    assert_same_suggestions(matcher, words)


@pytest.mark.parametrize("kind", ["rich", "lean"])
def test_benchmark_bibliographies(tmp_path: Path, kind: str) -> None:
    generate = bench_generator()
    make = generate.bibliography if kind == "rich" else generate.lean_bibliography
    text, _cited = make(20_000)
    path = tmp_path / f"{kind}.bib"
    path.write_text(text, encoding="utf-8")
    matcher = Matcher(load_bibliography(path, use_cache=False))
    matcher._build()
    rng = random.Random(kind)
    # the benchmark manuscript's own misspellings (a last letter made "e") and other slips
    words = sorted({w[:-1] + "e" for w in matcher.by_word})[:400]
    words += [m for w in list(matcher.by_word)[:300] for m in misspellings(w, rng)]
    assert assert_same_suggestions(matcher, words) > 300
