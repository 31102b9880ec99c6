"""BibLaTeX links resolved as biber resolves them: crossref chains, xdata, sets and ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from argmap.bib.model import BibEntry, Bibliography
from argmap.bib.reader import bibliography_from_text, load_bibliography

ZOTERO = Path(__file__).parents[1] / "data" / "biblatex" / "zotero.bib"


@pytest.fixture(scope="module")
def bib() -> Bibliography:
    return load_bibliography(ZOTERO, use_cache=False)


def test_a_zotero_biblatex_file_has_no_problem(bib: Bibliography) -> None:
    assert bib.problems == []
    assert len(bib.entries) == 23


def test_inbook_inherits_through_book_from_mvbook(bib: Bibliography) -> None:
    chapter = bib.get("kim2015ch")
    assert chapter is not None
    assert chapter.get("booktitle") == "Early Essays"  # the @book's title
    assert chapter.get("maintitle") == "Collected Works"  # the @mvbook's, through the @book
    assert chapter.get("author") == "Kim, Soo"
    assert chapter.get("bookauthor") == "Kim, Soo"
    assert chapter.year == "2015"
    assert chapter.surnames == ("kim",)
    assert chapter.get("title") == "On Cooperation"  # its own field wins
    assert chapter.get("crossref") == "kim2015"
    assert "crossref" not in chapter.inherited


def test_incollection_gets_booktitle_and_date_from_its_collection(bib: Bibliography) -> None:
    entry = bib.get("lopez2012")
    assert entry is not None
    assert entry.get("booktitle") == "Industrial Districts Today"
    assert entry.get("editor") == "Bauer, Karl"
    assert entry.year == "2012"
    assert entry.has("location") and entry.has("date")


def test_xdata_fields_count_as_the_entrys_own(bib: Bibliography) -> None:
    entry = bib.get("weber2018")
    assert entry is not None
    assert entry.get("publisher") == "Springer"
    assert entry.has("location")


def test_a_set_takes_author_and_year_from_its_first_member(bib: Bibliography) -> None:
    entry = bib.get("rossiset")
    assert entry is not None
    assert entry.year == "2010" and entry.surnames == ("rossi",)


def test_ids_are_aliases_of_their_entry(bib: Bibliography) -> None:
    assert bib.aliases == {"garza2000": "delagarza2000", "dlg2000": "delagarza2000"}
    assert "dlg2000" in bib
    found = bib.get("garza2000")
    assert found is not None and found.key == "delagarza2000"


def test_biblatex_date_gives_the_year(bib: Bibliography) -> None:
    dated = {k: bib.entries[k].year for k in ("rossi2010", "weber2018", "kim2015mv")}
    assert dated == {"rossi2010": "2010", "weber2018": "2018", "kim2015mv": "2015"}


def test_dangling_links_are_reported_with_their_lines() -> None:
    text = (
        "@book{a,\n  title = {A},\n  xdata = {nowhere},\n}\n"
        "@set{s,\n  entryset = {a, missing},\n}\n"
        "@book{b,\n  title = {B},\n  ids = {a},\n}\n"
    )
    bib = bibliography_from_text(text, Path("links.bib"))
    found = {(p.kind, p.line, p.key) for p in bib.problems}
    assert found == {
        ("missing-xdata", 1, "a"),
        ("missing-set-member", 5, "s"),
        ("alias-clash", 8, "b"),
    }


def test_a_related_key_that_names_no_entry_is_a_warning(tmp_path: Path) -> None:
    """As biber's "I didn't find a database entry for related entry" (pyhf's JOSS paper.bib);
    a related key defined in another --bib file is found there."""
    one = tmp_path / "one.bib"
    one.write_text(
        "@article{HIGG-2013-02,\n  title = {A},\n  related = {HIGG-2013-02-err, other},\n}\n"
        "@article{fine,\n  title = {F},\n  related = {HIGG-2013-02},\n}\n",
        encoding="utf-8",
    )
    two = tmp_path / "two.bib"
    two.write_text("@article{other,\n  title = {O},\n}\n", encoding="utf-8")
    from argmap.bib.sources import read_bibliographies

    bib = read_bibliographies([one, two], use_cache=False)
    found = [(p.kind, p.severity, p.line, p.key, p.message) for p in bib.problems]
    assert found == [
        (
            "missing-related",
            "warning",
            1,
            "HIGG-2013-02",
            "'HIGG-2013-02' has related 'HIGG-2013-02-err', which is in no bibliography read",
        )
    ]


def test_a_crossref_cycle_ends() -> None:
    text = "@book{a, crossref = {b}, title = {A}}\n@book{b, crossref = {a}, year = {2000}}\n"
    bib = bibliography_from_text(text, Path("cycle.bib"))
    entry = bib.get("a")
    assert entry is not None and entry.year == "2000"


def test_subset_takes_what_cited_entries_draw_on(bib: Bibliography) -> None:
    from argmap.bib.model import subset

    entries, missing = subset(bib, ["kim2015ch", "weber2018", "rossiset", "dlg2000", "nope"])
    assert [e.key for e in entries] == [
        "delagarza2000",
        "kim2015",
        "kim2015ch",
        "kim2015mv",
        "rossi2010",
        "rossi2010a",
        "rossiset",
        "springer",
        "weber2018",
    ]
    assert missing == ["nope"]


def test_a_dangling_related_key_is_reported_on_a_warm_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache's tables let a warm read skip linking entries that cannot link; an entry
    with ``related`` can."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "one.bib"
    path.write_text(
        "@article{HIGG-2013-02,\n  title = {A},\n  related = {HIGG-2013-02-err},\n}\n",
        encoding="utf-8",
    )
    for _ in range(2):  # cold, then warm from the cache
        bib = load_bibliography(path, use_cache=True)
        assert [(p.kind, p.key) for p in bib.problems] == [("missing-related", "HIGG-2013-02")]
    assert any((tmp_path / "cache").rglob("*"))


@pytest.mark.parametrize("cache", [False, True], ids=["cold", "warm"])
def test_merged_files_are_visited_again_only_when_an_entry_can_link(
    cache: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose entries cannot link is known so once read; files merged are linked
    without a visit of their entries unless one can — and a crossref across files still
    resolves."""
    from argmap.bib import inherit
    from argmap.bib.sources import read_bibliographies

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    plain = tmp_path / "plain.bib"
    plain.write_text("@book{whole, title = {Whole}, year = {2001}, author = {Roe, Al}}\n")
    other = tmp_path / "other.bib"
    other.write_text("@misc{lone, title = {Lone}, year = {2002}}\n")
    child = tmp_path / "child.bib"
    child.write_text("@inbook{part, crossref = {whole}, title = {Part}}\n")
    for _ in range(2 if cache else 1):
        bibs = [load_bibliography(p, use_cache=cache) for p in (plain, other, child)]
    assert [b.may_link for b in bibs] == [False, False, True]

    merged = read_bibliographies([plain, other], use_cache=cache)
    assert merged.may_link is False
    merged.entries = _NotVisited(merged.entries)
    inherit.link(merged)  # as the merge of several files links them: no entry is visited
    linked = read_bibliographies([plain, child], use_cache=cache)
    assert linked.may_link is True
    part = linked.get("part")
    assert part is not None and part.get("booktitle") == "Whole"


class _NotVisited(dict[str, BibEntry]):
    """Entries that fail a test when walked."""

    def values(self) -> Any:
        raise AssertionError("the entries were visited")


# Reduced from Better BibTeX's import fixture "Unabbreviate on import #1436-3.bib"
# (retorquere/zotero-better-bibtex, MIT licence), lines 32996 and 33009, and (DeLuca_2013) from
# the same file's entries whose ids list their own key. biber 2.18: "Entry alias 'Jung2014a'
# already has an alias 'jung_2014', skipping"; "BAD RECURSION! Entry alias 'DeLuca_2013' is
# identical to the entry key, skipping".
SHARED_ALIAS = """@article{jung_2014,
  ids = {Jung2014a},
  author = {Jung, Ann},
  title = {One},
  journaltitle = {J},
  date = {2014}
}
@article{jung_2014a,
  ids = {Jung2014a},
  author = {Jung, Ann},
  title = {Two},
  journaltitle = {J},
  date = {2014}
}
@article{DeLuca_2013,
  ids = {DeLuca_2013, deluca2013},
  author = {De Luca, Marco},
  title = {Three},
  journaltitle = {J},
  date = {2013}
}
"""


def test_an_alias_two_entries_list_and_an_entrys_own_key_in_ids() -> None:
    bib = bibliography_from_text(SHARED_ALIAS, Path("refs.bib"))
    found = [(p.kind, p.severity, p.line, p.message) for p in bib.problems]
    assert found == [
        (
            "alias-clash",
            "error",
            8,
            "'jung_2014a' lists 'Jung2014a' in ids, which 'jung_2014' (line 1) also lists in its "
            "ids; biber resolves 'Jung2014a' to 'jung_2014'",
        ),
        (
            "alias-own-key",
            "warning",
            15,
            "'DeLuca_2013' lists its own key in ids: biber warns (\"BAD RECURSION\") and skips it",
        ),
    ]
    assert bib.get("Jung2014a") is bib.entries["jung_2014"]
    assert bib.get("deluca2013") is bib.entries["DeLuca_2013"]


def test_bibtex_inherits_fields_under_their_own_names_and_not_through_a_nested_crossref() -> None:
    from argmap.bib.inherit import link

    text = (
        "@inproceedings{c1, author = {Ann Alpha}, title = {Paper}, crossref = {p1}}\n"
        "@proceedings{p1, title = {Proc of Things}, note = {N}, crossref = {s1}}\n"
        "@proceedings{s1, title = {Series}, year = {2000}, publisher = {Pub}}\n"
    )
    bib = bibliography_from_text(text, Path("refs.bib"))
    paper = bib.get("c1")
    assert paper is not None
    assert bib.crossrefs
    assert paper.get("booktitle") == "Proc of Things"  # biber's mapping, linked for no tool
    assert paper.year == "2000"  # through the nested crossref
    link(bib, tool="bibtex")
    # BibTeX 0.99d: no booktitle from the title ("need editor, key, or booktitle"), the
    # parent's own note, and nothing of s1 ("you've nested cross references"; "empty year")
    assert paper.get("booktitle") is None
    assert paper.get("note") == "N"
    assert paper.get("year") is None
    link(bib, tool="biber")
    assert paper.get("booktitle") == "Proc of Things"
