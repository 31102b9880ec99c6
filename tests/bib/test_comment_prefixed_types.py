"""Entry types that start with "comment", "preamble" or "string" (biblatex's ``@commentary``,
jurabib's ``@COMMENTED``, as TeX Live's ``bibtex/bib/jurabib/comment.bib`` writes its four
entries): BibTeX 0.99d and biber 2.18 read them as entries, and so does argmap — bibtexparser
takes them for comment, preamble or string blocks, and argmap's index did too, losing them and
warning of an unbraced ``@comment`` (BIB221) that is none."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from argmap.bib.reader import bibliography_from_text, load_bibliography

BIB = """@COMMENTED{erm,
  author = {Walther Erman},
  title = {Handkommentar zum B{\\"u}rgerlichen Gesetzbuch},
  year = 1993,
}
@commentary{com1, author = {Cy Commentator}, title = {On It}, year = {2001}}
@commentary{com2, author = "Ann" # " Bee", title = {Joined}, year = 1999}
@stringent{str1, author = {Sam Str}, title = {Y}, note = {a} # {b}, year = {1998}}
@PreambleX{pre1, author = {Pre Amb}, title = {Z}, year = 1997}
@comment{a real comment}
@string{j = {Journal}}
@article{a1, author = {A B}, title = {T}, journal = j, year = {2000}}
"""
WANT = {
    "erm": "commented",
    "com1": "commentary",
    "com2": "commentary",
    "str1": "stringent",
    "pre1": "preamblex",
    "a1": "article",
}


def test_parsed_whole_they_are_entries(tmp_path: Path) -> None:
    bib = bibliography_from_text(BIB, tmp_path / "refs.bib")
    assert {key: entry.type for key, entry in bib.entries.items()} == WANT
    assert bib.entries["com2"].fields["author"] == "Ann Bee"
    assert not [p for p in bib.problems if p.kind in ("unbraced-comment", "parse-failed")]


@pytest.mark.parametrize("use_cache", [False, True], ids=["indexed", "cached"])
def test_indexed_and_cached_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    for _ in range(2 if use_cache else 1):
        bib = load_bibliography(path, use_cache=use_cache)
        assert {key: bib.entries[key].type for key in bib.entries} == WANT
        assert bib.entries["erm"].get("year") == "1993"
        assert not [p for p in bib.problems if p.kind == "unbraced-comment"]


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_reads_them_as_entries(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    cites = "".join(f"\\citation{{{key}}}\n" for key in WANT)
    (tmp_path / "doc.aux").write_text(cites + "\\bibstyle{plain}\n\\bibdata{refs}\n")
    subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, check=False)
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert all(f"\\bibitem{{{key}}}" in bbl for key in WANT)
