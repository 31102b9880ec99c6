"""``Matcher.prepare`` makes the index and the year column before the first citation (while a
helper scans the manuscript), and matching answers exactly as without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.bib.reader import load_bibliography
from argmap.citations.matcher import Matcher
from argmap.citations.scanner import scan

BIB = Path(__file__).parents[1] / "data" / "check" / "refs.bib"
TEXT = "(Schmitz, 1995), (Schmitz, 1996), (Schmiz, 1995), (Zzyzx, 2001) and [@nokey]."


@pytest.mark.parametrize("warm", [False, True], ids=["parsed", "from-cache"])
def test_prepared_matching_answers_as_unprepared(
    warm: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    if warm:
        load_bibliography(BIB)  # fills the cache: the next read is from its columns
    bib = load_bibliography(BIB)
    prepared = Matcher(bib)
    prepared.prepare()
    assert prepared._built
    assert prepared._plain is not None or not warm
    plain = Matcher(bib)
    assert not plain._built
    found = scan(TEXT, pandoc=True)
    assert [prepared.resolve(f) for f in found] == [plain.resolve(f) for f in found]


@pytest.mark.parametrize("warm", [False, True], ids=["parsed", "from-cache"])
def test_matching_prepared_for_misspellings_answers_as_unprepared(
    warm: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``prepare_fuzzy`` (made while the helper still scans) makes the name blocks a misspelt
    surname is looked up in, and matching answers the same, misspellings included."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    if warm:
        load_bibliography(BIB)
    bib = load_bibliography(BIB)
    prepared = Matcher(bib)
    prepared.prepare_fuzzy()
    assert prepared._built and prepared._blocks is not None
    plain = Matcher(bib)
    found = scan(TEXT, pandoc=True)
    assert [prepared.resolve(f) for f in found] == [plain.resolve(f) for f in found]
    assert plain._blocks == prepared._blocks  # made by the misspelling (Schmiz), the same
