"""An entry commented out with '%' ("%@ARTICLE{key," as JabRef and BibDesk users write): BibTeX
has no comments outside entries and reads it (and stops on one whose fields are commented out
too); biber 2.18 and pandoc skip the line. argmap reads the entries as BibTeX does, but for a
commented-out copy of an entry the file also holds live (below), and warns (BIB211), whatever
the reading path (in this process, indexed, cached)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from argmap.bib.reader import bibliography_from_text, load_bibliography

BIB = (
    "@article{live2000, author = {Live, Ann}, title = {Live}, journal = {J}, year = {2000}}\n"  # 1
    "\n"  # 2
    "%@ARTICLE{commented2001,\n"  # 3
    "%  author = {Gone, Bob},\n"  # 4
    "%  title = {Commented out},\n"  # 5
    "%}\n"  # 6
    "%@article{oneline2002, author = {One, L}, title = {One}, journal = {J}, year = {2002}}\n"  # 7
    "% @book{spaced2003, author = {Space, S}, title = {S}, publisher = {P}, year = {2003}}\n"  # 8
    "% @comment{not an entry}\n"  # 9
    "% a comment line with an e-mail, a@b.org\n"  # 10
    "@misc{url2004, url = {https://x.org/a%20b}, title = {U}, year = {2004}}\n"  # 11
)


def _problems(bib: object) -> list[tuple[str, int | None, str | None]]:
    return [(p.kind, p.line, p.key) for p in bib.problems]  # type: ignore[attr-defined]


def _bibtex(folder: Path, bib: str) -> subprocess.CompletedProcess[str]:
    """BibTeX 0.99d run on ``bib`` as refs.bib, every entry cited, in ``folder``."""
    (folder / "refs.bib").write_text(bib, encoding="utf-8")
    (folder / "doc.aux").write_text(
        "\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="utf-8"
    )
    return subprocess.run(["bibtex", "doc"], cwd=folder, capture_output=True, text=True)


EXPECTED = [
    ("commented-entry", 3, "commented2001"),
    ("commented-entry", 7, "oneline2002"),
    ("commented-entry", 8, "spaced2003"),
]


def test_commented_entries_are_read_as_bibtex_reads_them_and_warned(tmp_path: Path) -> None:
    bib = bibliography_from_text(BIB, tmp_path / "refs.bib")
    # the one-line entries are entries to BibTeX; the one whose fields are commented out is
    # not read (BibTeX makes an empty entry of it, with an error)
    assert sorted(bib.entries) == ["live2000", "oneline2002", "spaced2003", "url2004"]
    assert _problems(bib) == EXPECTED
    [broken, oneline, _] = bib.problems
    assert "'%@ARTICLE{commented2001'" in broken.message
    assert "You're missing a field name" in broken.message
    assert "finds it only in a document built with BibTeX" in oneline.message
    assert "@comment" in oneline.suggestion  # type: ignore[operator]


@pytest.mark.parametrize("use_cache", [False, True], ids=["indexed", "cached"])
def test_the_same_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    for _ in range(2 if use_cache else 1):  # the second read comes from the cache
        bib = load_bibliography(path, use_cache=use_cache)
        assert sorted(bib.entries) == ["live2000", "oneline2002", "spaced2003", "url2004"]
        assert _problems(bib) == EXPECTED


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_reads_the_commented_entries(tmp_path: Path) -> None:
    done = _bibtex(tmp_path, BIB)
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    for key in ("commented2001", "oneline2002", "spaced2003"):
        assert f"\\bibitem{{{key}}}" in bbl
    assert "You're missing a field name---line 4" in done.stdout


# A commented-out old copy above the live entry, as a Better BibTeX user's file had it (BBT
# "Import error with character '+'" #2660, lines 809-831; stop 23's F5): biber and pandoc use the
# live entry; argmap took the commented copy for the entry and reported a false BIB101, BIB206
# ("% url") and BIB204 for a biber document, and `argmap refs` printed "(n.d.)".
COPY = (
    "%@ARTICLE{doe2019,\n"  # 1
    "%  AUTHOR         = {Doe, Jane},\n"  # 2
    "%  TITLE          = {An old title},\n"  # 3
    "%  JOURNALTITLE   = {The Washington Post},\n"  # 4
    "%  DATE           = {2019-01-15},\n"  # 5
    "%  URL            = {https://example.org/x}\n"  # 6
    "%}\n"  # 7
    "\n"  # 8
    "@ARTICLE{doe2019,\n"  # 9
    "  AUTHOR         = {Doe, Jane},\n"  # 10
    "  TITLE          = {The new title},\n"  # 11
    "  JOURNALTITLE   = {The Washington Post},\n"  # 12
    "  DATE           = {2019-01-15},\n"  # 13
    "  URL            = {https://example.org/x}\n"  # 14
    "}\n"  # 15
    "%@misc{old2000, title = {Old}, year = {2000}}\n"  # 16
    "@misc{old2000, title = {Live}, year = {2000}, note = {kept}}\n"  # 17
    "@misc{then2001, title = {Then}, year = {2001}}\n"  # 18
    "%@misc{then2001, title = {Copy, after}, year = {2001}}\n"  # 19
)


@pytest.mark.parametrize("how", ["text", "indexed", "cached"])
def test_a_commented_copy_of_a_live_entry_gives_way_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "refs.bib"
    path.write_text(COPY, encoding="utf-8")
    if how == "text":
        bib = bibliography_from_text(COPY, path)
    else:
        for _ in range(2 if how == "cached" else 1):
            bib = load_bibliography(path, use_cache=how == "cached")
    assert list(bib.entries) == ["doe2019", "old2000", "then2001"]
    assert bib.entries["doe2019"].line == 9
    assert bib.entries["doe2019"].get("title") == "The new title"
    assert bib.entries["old2000"].get("note") == "kept"
    assert bib.entries["then2001"].get("title") == "Then"
    # no BIB206 for '% url', no BIB204: one warning each, saying what each tool does
    assert _problems(bib) == [
        ("commented-entry", 1, "doe2019"),
        ("commented-entry", 16, "old2000"),
        ("commented-entry", 19, "then2001"),
    ]
    first, _, after = bib.problems
    assert 'skips the entry at line 9 ("Repeated entry")' in first.message
    assert "biber and pandoc use that entry" in first.message
    assert "a repeat of 'then2001' (line 18)" in after.message


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_says_repeated_entry_for_the_live_copy(tmp_path: Path) -> None:
    done = _bibtex(tmp_path, COPY)
    assert "Repeated entry---line 9" in done.stdout
    assert "Repeated entry---line 17" in done.stdout
    assert "Repeated entry---line 19" in done.stdout


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_uses_the_live_entries(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(COPY, encoding="utf-8")
    (tmp_path / "p.md").write_text("[@doe2019; @old2000; @then2001]\n", encoding="utf-8")
    done = subprocess.run(
        ["pandoc", "p.md", "--citeproc", "--bibliography", "refs.bib", "-t", "plain"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    text = " ".join(done.stdout.split())
    assert "The New Title" in text and "Live" in text and "Then" in text
    assert "Old Title" not in text and "Copy, After" not in text
