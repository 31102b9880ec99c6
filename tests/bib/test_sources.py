"""Bibliographies in several formats and files: CSL-JSON and CSL-YAML read into the same model
with their lines, other formats refused with a way to convert, several files merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.bib.sources import BibFormat, detect_format, read_bibliographies, read_one
from argmap.errors import BibliographyError

DATA = Path(__file__).parents[1] / "data" / "biblatex"


def test_csl_json_items_become_entries_with_their_lines() -> None:
    bib = read_one(DATA / "refs.json")
    assert bib.problems == []
    assert {k: (e.type, e.line) for k, e in bib.entries.items()} == {
        "piore1984": ("book", 2),
        "humphrey1995": ("article", 14),
        "vonbulow1997": ("incollection", 26),
        "wb2020": ("report", 35),
    }
    piore = bib.entries["piore1984"]
    assert piore.surnames == ("piore", "sabel")
    assert piore.year == "1984"
    assert piore.get("location") == "New York"
    humphrey = bib.entries["humphrey1995"]
    assert humphrey.get("journaltitle") == "World Development"
    assert humphrey.get("date") == "1995-01"
    assert humphrey.get("number") == "1" and humphrey.get("doi")
    assert bib.entries["vonbulow1997"].surnames == ("von bulow",)
    assert bib.entries["vonbulow1997"].year == "1997"
    assert bib.entries["wb2020"].surnames == ("world bank",)
    assert bib.entries["wb2020"].get("institution") == "World Bank"


def test_csl_yaml_references_become_entries_with_their_lines() -> None:
    bib = read_one(DATA / "refs.yaml")
    assert {k: (e.type, e.line, e.year) for k, e in bib.entries.items()} == {
        "schmitz1995": ("article", 3, "1995"),
        "pyke1990": ("book", 15, "1990"),
    }
    assert bib.entries["pyke1990"].surnames == ("pyke", "sengenberger")


def test_bad_csl_json_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"id": "a", "type": "book"},\n  {"id": "b" "type": "book"}\n]\n')
    with pytest.raises(BibliographyError) as caught:
        read_one(path)
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{path}:3: not valid CSL-JSON")


def test_csl_json_items_without_id_or_twice_are_problems(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    path.write_text('[{"id": "a", "title": "A"},\n{"title": "no id"},\n{"id": "a"},\n7]\n')
    bib = read_one(path)
    assert [(p.kind, p.line) for p in bib.problems] == [
        ("no-key", 2),
        ("duplicate-key", 3),
        ("parse-failed", 4),
    ]


def test_format_by_content_when_the_extension_says_nothing(tmp_path: Path) -> None:
    json_file = tmp_path / "library"
    json_file.write_text('[{"id": "x", "type": "book", "title": "X"}]')
    yaml_file = tmp_path / "library2"
    yaml_file.write_text("references:\n- id: y\n  title: Y\n")
    bib_file = tmp_path / "library3"
    bib_file.write_text("@book{z, title = {Z}}\n")
    assert detect_format(json_file) is BibFormat.CSL_JSON
    assert detect_format(yaml_file) is BibFormat.CSL_YAML
    assert detect_format(bib_file) is BibFormat.BIBTEX
    assert list(read_one(json_file).entries) == ["x"]


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        pytest.param("refs.ris", b"TY  - JOUR\n", "pandoc refs.ris -f ris -t csljson", id="ris"),
        pytest.param("refs.xml", b"<?xml version='1.0'?>", "-f endnotexml", id="endnote-xml"),
        pytest.param("paper.pdf", b"%PDF-1.5", "a PDF is not a bibliography", id="pdf"),
        pytest.param("refs.txt", b"TY  - BOOK\n", "RIS is not a bibliography", id="ris-by-content"),
        pytest.param("notes.txt", b"just some words\n", "not a bibliography", id="text"),
    ],
)
def test_other_formats_get_one_clear_line(
    tmp_path: Path, name: str, content: bytes, fragment: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BibliographyError) as caught:
        read_one(path)
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message and "CSL-JSON" in message


def test_several_files_merge_and_a_key_in_two_is_a_duplicate_with_both_places() -> None:
    bib = read_bibliographies([DATA / "refs.json", DATA / "other.bib", DATA / "refs.yaml"])
    assert set(bib.entries) == {
        "piore1984",
        "humphrey1995",
        "vonbulow1997",
        "wb2020",
        "tokman1978",
        "schmitz1995",
        "pyke1990",
    }
    assert bib.path_of("tokman1978") == DATA / "other.bib"
    assert bib.path_of("piore1984") == DATA / "refs.json"  # the first one wins
    dup = next(p for p in bib.problems if p.kind == "duplicate-key")
    assert dup.source == str(DATA / "other.bib") and dup.line == 1
    assert "other.bib:1" in dup.message and "refs.json:2" in dup.message


def test_a_crossref_to_another_file_resolves(tmp_path: Path) -> None:
    child = tmp_path / "child.bib"
    child.write_text("@incollection{c, author = {A, B}, title = {T}, crossref = {p}}\n")
    parent = tmp_path / "parent.bib"
    parent.write_text("@collection{p, editor = {E, F}, title = {Book}, year = {2001}}\n")
    alone = read_one(child, use_cache=False)
    assert [p.kind for p in alone.problems] == ["missing-crossref"]
    both = read_bibliographies([child, parent], use_cache=False)
    assert both.problems == []
    entry = both.entries["c"]
    assert entry.get("booktitle") == "Book" and entry.year == "2001"


def test_strings_of_an_earlier_file_are_in_force_in_the_later_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    strings = tmp_path / "strings.bib"
    strings.write_text('@string{cup = {Cambridge University Press}}\n@string{cam = "Cambridge"}\n')
    books = tmp_path / "books.bib"
    books.write_text(
        "@string{place = cam # {, UK}}\n"
        "@book{b, author = {Rossi, Ana}, title = {T}, year = 2000, publisher = cup,"
        " address = place}\n"
    )
    alone = read_one(books, use_cache=False)
    assert [p.kind for p in alone.problems] == ["unresolved-string"]
    for use_cache in (False, True, True):  # without the cache, filling it, and from it
        both = read_bibliographies([strings, books], use_cache=use_cache)
        assert both.problems == []
        entry = both.entries["b"]
        assert entry.get("publisher") == "Cambridge University Press"
        assert entry.get("address") == "Cambridge, UK"
    # the later file alone, read after the cache holds it as read after the other, is not
    # given the other's strings: a file's record is kept under the strings it was read with
    again = read_one(books, use_cache=True)
    assert [p.kind for p in again.problems] == ["unresolved-string"]
    # in the other order the strings are not yet defined where they are used (as for BibTeX)
    reversed_ = read_bibliographies([books, strings], use_cache=False)
    assert {p.kind for p in reversed_.problems} == {"unresolved-string"}


def test_a_string_redefined_in_a_later_file_is_reported_only_with_another_value(
    tmp_path: Path,
) -> None:
    first = tmp_path / "a.bib"
    first.write_text("@string{cup = {Cambridge University Press}}\n")
    same = tmp_path / "b.bib"
    same.write_text("@string{cup = {Cambridge University Press}}\n")
    other = tmp_path / "c.bib"
    other.write_text(
        "@string{cup = {CUP}}\n@book{b, author = {R, A}, title = {T}, year = 1, publisher = cup}\n"
    )
    assert read_bibliographies([first, same], use_cache=False).problems == []
    found = read_bibliographies([first, other], use_cache=False)
    assert [(p.kind, p.source, p.line) for p in found.problems] == [
        ("duplicate-string", str(other), 1)
    ]
    assert "read before this one" in found.problems[0].message
    assert found.entries["b"].get("publisher") == "CUP"  # BibTeX uses the definition in force


def test_missing_comma_between_fields_is_reported_and_split() -> None:
    bib = read_one(DATA / "other.bib", use_cache=False)
    problem = next(p for p in bib.problems if p.kind == "missing-comma")
    assert problem.line == 12 and problem.key == "tokman1978"
    assert "'volume'" in problem.message and "'number'" in problem.message
    entry = bib.entries["tokman1978"]
    assert entry.get("volume") == "31" and entry.get("number") == "4"


def test_a_csl_item_is_asked_only_for_a_title_and_a_date(tmp_path: Path) -> None:
    from argmap.checks.citations import Report, check_bibliography

    path = tmp_path / "items.json"
    path.write_text(
        '[{"id": "web", "type": "webpage", "title": "A page"},\n'
        ' {"id": "art", "type": "article-journal", "title": "T", "issued": {"raw": "2001"}}]\n'
    )
    bib = read_one(path)
    report = Report()
    check_bibliography(bib, {"web", "art"}, None, report, owned_by_map=False)
    assert [(p.kind, p.key, p.line) for p in report.problems] == [("missing-field", "web", 1)]
    assert "has no issued" in report.problems[0].message


def test_content_wins_when_it_plainly_contradicts_the_extension(tmp_path: Path) -> None:
    misnamed = tmp_path / "refs.bib"
    misnamed.write_text('[{"id": "x", "type": "book", "title": "X"}]\n')
    assert detect_format(misnamed) is BibFormat.CSL_JSON
    assert list(read_one(misnamed).entries) == ["x"]
    bibtex_as_json = tmp_path / "refs.json"
    bibtex_as_json.write_text("@book{y, title = {Y}}\n")
    assert detect_format(bibtex_as_json) is BibFormat.BIBTEX


def test_the_same_bibliography_as_csl_json_matches_alike(tmp_path: Path) -> None:
    import json

    from argmap.bib.csl import entry_to_csl
    from argmap.bib.reader import load_bibliography
    from argmap.citations.matcher import Matcher
    from argmap.citations.scanner import scan

    tests = Path(__file__).parents[1] / "data"
    bib = load_bibliography(tests / "check" / "refs.bib", use_cache=False)
    as_json = tmp_path / "refs.json"
    as_json.write_text(json.dumps([entry_to_csl(e) for e in bib.entries.values()], indent=1))
    csl = read_one(as_json)
    found = scan((tests / "manuscripts" / "borrador.md").read_text(encoding="utf-8"))
    from_bib = [Matcher(bib).resolve(f) for f in found]
    from_csl = [Matcher(csl).resolve(f) for f in found]
    assert [(m.status, m.key) for m in from_csl] == [(m.status, m.key) for m in from_bib]
    assert len(found) > 20


@pytest.mark.parametrize(
    ("date", "year"),
    [
        pytest.param("2018-10-01", "2018", id="iso-day"),
        pytest.param("2015/2017", "2015", id="range"),
        pytest.param("1988/", "1988", id="open-end"),
        pytest.param("../2019", "2019", id="open-start"),
        pytest.param("2019-05~", "2019", id="approximate"),
    ],
)
def test_biblatex_dates_give_their_year(date: str, year: str) -> None:
    from argmap.bib.reader import bibliography_from_text

    bib = bibliography_from_text(f"@book{{a, title = {{A}}, date = {{{date}}}}}\n", Path("d.bib"))
    assert bib.entries["a"].year == year


# Reduced from Better BibTeX's export fixture "Season ranges should be exported as pseudo-months
# (13-16, or 21-24) #860.csl.yml" (retorquere/zotero-better-bibtex, MIT licence). pandoc 2.17
# --citeproc prints them "335BC", "375BC–370BC", "1BC" (year 0) and, for the literal with months
# out of range, "n.d.".
BC_DATES = """- id: aristotle
  type: book
  title: Poetics
  author: [{family: Aristotle}]
  issued: {date-parts: [[-335]]}
- id: plato
  type: book
  title: Republic
  author: [{family: Plato}]
  issued: {date-parts: [[-375], [-370]]}
- id: zero
  type: webpage
  title: 0000-21/0000-24
  issued: [{year: 0, season: 1}, {year: 0, season: 4}]
- id: seasons
  type: webpage
  title: -2011-21/-2012-22
  issued: [{year: -2012, season: 1}, {year: -2013, season: 2}]
- id: monthsoutrange
  type: webpage
  title: months out of range
  issued: [{literal: 2017-14/2017-15}]
"""


def test_csl_bc_years_are_dates_and_no_missing_issued(tmp_path: Path) -> None:
    from argmap.checks.citations import Report, check_bibliography

    path = tmp_path / "refs.yaml"
    path.write_text(BC_DATES, encoding="utf-8")
    bib = read_one(path, use_cache=False)
    dates = {key: entry.get("date") for key, entry in bib.entries.items()}
    assert dates == {
        "aristotle": "-0335",
        "plato": "-0375/-0370",
        "zero": "0000/0000",
        "seasons": "-2012/-2013",
        "monthsoutrange": None,
    }
    report = Report()
    check_bibliography(bib, set(dates), None, report, owned_by_map=False)
    assert [(p.code, p.key) for p in report.problems] == [("BIB101", "monthsoutrange")]


def test_a_csl_yaml_date_given_as_one_mapping_is_a_date(tmp_path: Path) -> None:
    # jgm/pandoc test/command (e.g. 10983.md, pandoc-citeproc-152.md) write ``issued: {year:
    # 2004}``, which pandoc 2.17 prints "2004"; argmap warned "has no issued" (15 of 85 such
    # warnings on pandoc's citeproc tests, stop 24 F1)
    from argmap.checks.citations import Report, check_bibliography

    path = tmp_path / "refs.yaml"
    path.write_text(
        "- id: map\n  type: book\n  title: A book\n  issued:\n    year: 2004\n"
        "- id: full\n  type: book\n  title: B\n  issued: {day: 14, month: 8, year: 2011}\n"
        "- id: none\n  type: book\n  title: C\n",
        encoding="utf-8",
    )
    bib = read_one(path, use_cache=False)
    assert {key: entry.get("date") for key, entry in bib.entries.items()} == {
        "map": "2004",
        "full": "2011-08-14",
        "none": None,
    }
    report = Report()
    check_bibliography(bib, {"map", "full", "none"}, None, report, owned_by_map=False)
    assert [(p.code, p.key) for p in report.problems] == [("BIB101", "none")]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("empty.bib", ""),
        ("comments.bib", "% Zotero's export of this collection was never run\n\n"),
        ("items.json", "[]\n"),
        ("items.yaml", "references: []\n"),
    ],
    ids=["empty-bib", "comments-only-bib", "empty-csl-json", "empty-csl-yaml"],
)
def test_a_bibliography_without_entries_is_reported_once_at_the_file(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    bib = read_bibliographies([path], use_cache=False)
    assert [(p.kind, p.source, p.severity.value) for p in bib.problems] == [
        ("empty-bibliography", str(path), "warning")
    ]


def test_a_file_of_strings_alone_is_no_empty_bibliography(tmp_path: Path) -> None:
    strings = tmp_path / "journals.bib"
    strings.write_text("@string{jas = {Journal of Applied Stuff}}\n", encoding="utf-8")
    assert read_bibliographies([strings], use_cache=False).problems == []


def _cached_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *texts: str) -> list[Path]:
    """``texts`` as .bib files, each read once so that the cache (in ``tmp_path``) holds it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    paths = []
    for number, text in enumerate(texts):
        path = tmp_path / f"f{number}.bib"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    read_bibliographies(paths)
    return paths


def test_files_merged_from_the_cache_stay_lazy_and_answer_as_read_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several files read from the cache are merged without making their entries (a warm check
    of four files made all 20,000, where one file's made only those cited): the matcher indexes
    their columns, file after file, and every answer is the fresh read's."""
    from argmap.bib.model import LazyEntries
    from argmap.citations.matcher import Matcher

    paths = _cached_files(
        tmp_path,
        monkeypatch,
        "@article{rossi2010, author = {Rossi, Ana}, title = {T}, year = {2010}}\n"
        "@misc{anon2001, title = {Untitled Work}, year = {2001}}\n",
        "@book{Piore1984, author = {Piore, Michael and Sabel, Charles}, year = {1984}}\n",
        "@article{rossi2019, author = {Rossi, Ana}, title = {U}, year = {2019}}\n",
    )
    warm = read_bibliographies(paths)
    fresh = read_bibliographies(paths, use_cache=False)
    assert isinstance(warm.entries, LazyEntries) and warm.entries.source is not None
    assert list(warm.entries) == list(fresh.entries)
    assert not any(warm.entries.is_made(place) for place in range(len(warm.entries)))
    assert [warm.path_of(key) for key in warm.entries] == [paths[0], paths[0], *paths[1:]]
    for key in fresh.entries:
        made, read = warm.entries[key], fresh.entries[key]
        assert (made.key, made.type, made.line, made.surnames, made.fields) == (
            read.key,
            read.type,
            read.line,
            read.surnames,
            read.fields,
        )
    assert warm.entries.at(3) is warm.entries["rossi2019"]  # places run on from file to file
    matcher = Matcher(warm)
    matcher.prepare()
    assert [e.key for e in matcher.by_word["rossi"]] == ["rossi2010", "rossi2019"]
    assert [e.key for e in matcher._authorless()] == ["anon2001"]
    assert warm.problems == fresh.problems == []


def test_a_key_in_two_cached_files_is_reported_as_read_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key defined in two files, both from the cache: the first file's entry is used and the
    later one is a duplicate naming both places, as on a fresh read."""
    paths = _cached_files(
        tmp_path,
        monkeypatch,
        "@article{rossi2010, author = {Rossi, Ana}, year = {2010}}\n",
        "@misc{other2000, year = {2000}}\n\n"
        "@article{rossi2010, author = {Bauer, Eva}, year = {2011}}\n",
    )
    warm = read_bibliographies(paths)
    fresh = read_bibliographies(paths, use_cache=False)
    assert warm.problems == fresh.problems
    (dup,) = warm.problems
    assert (dup.kind, dup.source, dup.line) == ("duplicate-key", str(paths[1]), 3)
    assert "f1.bib:3 (first defined in" in dup.message and "f0.bib:1" in dup.message
    assert warm.entries["rossi2010"].year == "2010"
    assert warm.path_of("rossi2010") == paths[0] and warm.path_of("other2000") == paths[1]


def test_merged_files_keep_each_keys_file_and_the_order_of_their_entries(tmp_path: Path) -> None:
    """Files merged (taken whole when no key of theirs came before): entries in file order, the
    first definition of a key used, and each key's file the one whose entry is used."""
    paths = []
    for number, text in enumerate(
        (
            "@misc{a1, year = 2001}\n@misc{a2, year = 2002}\n",
            "@misc{b1, year = 2003}\n@misc{a1, year = 1999}\n@misc{b2, year = 2004}\n",
            "@misc{c1, year = 2005}\n",
        )
    ):
        path = tmp_path / f"f{number}.bib"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    bib = read_bibliographies(paths, use_cache=False)
    assert list(bib.entries) == ["a1", "a2", "b1", "b2", "c1"]
    assert bib.entries["a1"].year == "2001"
    assert dict(bib.origins) == {
        "a1": paths[0],
        "a2": paths[0],
        "b1": paths[1],
        "b2": paths[1],
        "c1": paths[2],
    }
    assert [(p.kind, p.source, p.line) for p in bib.problems] == [
        ("duplicate-key", str(paths[1]), 2)
    ]
