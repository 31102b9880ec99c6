"""An entry the index read keeps its year and surnames; its other fields are read from the text
only when asked for, and then give exactly what bibtexparser's parse gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.bib.reader import bibliography_from_text, load_bibliography

TEXT = (
    "@article{full, author = {Roe, Ann and Poe, Bo}, title = {T}, year = {2001},"
    " journal = {J}}\n"
    "@book{blank, editor = {Doe, Cy}, title = {B}, year = 1999, note = {}}\n"
    "@misc{odd, Author = {Zed, Al}, AUTHOR = {Ignored, B}, year = {20}#{05}}\n"
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    found = tmp_path / "refs.bib"
    found.write_text(TEXT, encoding="utf-8")
    return found


@pytest.mark.parametrize("use_cache", [False, True], ids=["cold", "warm"])
def test_only_the_year_is_read_without_the_text(
    path: Path, use_cache: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    if use_cache:
        load_bibliography(path)
    bib = load_bibliography(path, use_cache=use_cache)
    entry = bib.entries["full"]
    assert entry._fields is None  # nothing but the year and the surnames kept
    assert entry.get("year") == "2001" and entry.surnames == ("roe", "poe")
    # a core field the entry lacks is known absent from the names of its fields
    assert entry.get("x-incomplete") is None and entry.get("crossref") is None
    assert entry._fields is None
    assert entry.get("author") == "Roe, Ann and Poe, Bo"
    # one reading of its text gave every field, kept for the next question
    assert entry._rest is None
    assert entry._fields == {
        "author": "Roe, Ann and Poe, Bo",
        "title": "T",
        "year": "2001",
        "journal": "J",
    }


@pytest.mark.parametrize("use_cache", [False, True], ids=["cold", "warm"])
def test_fields_read_from_the_text_are_bibtexparsers(
    path: Path, use_cache: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    if use_cache:
        load_bibliography(path)
    bib = load_bibliography(path, use_cache=use_cache)
    want = bibliography_from_text(TEXT, path)
    for key, expected in want.entries.items():
        got = bib.entries[key]
        for name in ("author", "editor", "year", "date", "note", "title", "x-incomplete"):
            assert got.get(name) == expected.get(name), (key, name)
        assert got.has("note") == expected.has("note"), key
        assert got.fields == expected.fields and list(got.fields) == list(expected.fields), key
    assert bib.entries["odd"].get("year") == "2005"
    assert bib.entries["blank"].surnames == ("doe",)  # an editor stands for the authors
