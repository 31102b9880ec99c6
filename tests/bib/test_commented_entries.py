"""An entry commented out with '%' ("%@ARTICLE{key," as JabRef and BibDesk users write): BibTeX
has no comments outside entries and reads it (and stops on one whose fields are commented out
too); biber 2.18 and pandoc skip the line. argmap reads the entries as BibTeX does and warns
(BIB211), whatever the reading path (in this process, indexed, cached)."""

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
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "doc.aux").write_text(
        "\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="utf-8"
    )
    done = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True)
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    for key in ("commented2001", "oneline2002", "spaced2003"):
        assert f"\\bibitem{{{key}}}" in bbl
    assert "You're missing a field name---line 4" in done.stdout
