"""An entry type with a character other than a letter, digit or "_" (``@book-section{``):
BibTeX 0.99d reads the entry ("entry type for "hyph" isn't style-file defined") and so does
biber 2.18 (``\\entry{hyph}{book-section}``), checked on this machine; pandoc 2.17 and 3.9
refuse the whole file ("unexpected '-'"). bibtexparser passed the entry over as a comment, so a
citation of it was an unknown key (CIT204) and a pandoc document got no BIB224."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.bib.reader import bibliography_from_text, load_bibliography
from argmap.cli.app import app

BIB = (
    "@book{good, author = {Good, Ann}, title = {Good Book}, year = {2001}, publisher = {P}}\n"
    "\n"
    "@book-section{hyph,\n"  # 3
    "  author = {Hyph, Ben},\n"
    "  title = {A Section},\n"
    "  booktitle = {Some Book},\n"
    "  year = {2002}\n"
    "}\n"
    "@book{after, author = {After, Cy}, title = {After Book}, year = {2003}, publisher = {P}}\n"
)


def _entries(bib: object) -> list[tuple[str, str, int]]:
    return [
        (key, entry.type, entry.line)
        for key, entry in bib.entries.items()  # type: ignore[attr-defined]
    ]


WANT = [("good", "book", 1), ("hyph", "book-section", 3), ("after", "book", 9)]


def test_the_entry_is_read_with_its_type_as_written(tmp_path: Path) -> None:
    bib = bibliography_from_text(BIB, tmp_path / "refs.bib")
    assert sorted(_entries(bib), key=lambda e: e[2]) == WANT
    assert bib.entries["hyph"].fields["booktitle"] == "Some Book"


@pytest.mark.parametrize("use_cache", [False, True], ids=["indexed", "cached"])
def test_the_same_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    for _ in range(2 if use_cache else 1):  # the second read comes from the cache
        bib = load_bibliography(path, use_cache=use_cache)
        assert sorted(_entries(bib), key=lambda e: e[2]) == WANT
        assert bib.pandoc_refusals == {path: (3, "book-section", "{")}


@pytest.mark.parametrize(
    ("name", "manuscript", "code", "want"),
    [
        (
            "ms.tex",
            "\\cite{good} \\cite{hyph}\n\\bibliographystyle{plain}\n\\bibliography{refs}\n",
            0,
            "2 citations: 2 ok",
        ),
        (
            "ms.md",
            "As [@good] and [@hyph].\n",
            1,
            "refs.bib:3:1: error BIB224 ms.md is built with pandoc, which refuses all of "
            "refs.bib at this entry: its reader wants '@book-section': an entry type of "
            "letters only",
        ),
    ],
    ids=["bibtex", "pandoc"],
)
def test_a_document_gets_what_its_tool_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    manuscript: str,
    code: int,
    want: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / name).write_text(manuscript, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["check-citations", "--no-cache", "--format", "concise", "--bib", "refs.bib", name]
    )
    assert result.exit_code == code, result.stdout
    assert want in result.stdout
    assert "CIT204" not in result.stdout


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_reads_the_entry(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "doc.aux").write_text(
        "\\citation{hyph}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="utf-8"
    )
    done = subprocess.run(
        ["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert 'entry type for "hyph" isn\'t style-file defined' in done.stdout
    assert "\\bibitem{hyph}" in (tmp_path / "doc.bbl").read_text(encoding="utf-8")


def test_pandoc_refuses_the_file(tmp_path: Path) -> None:
    import pypandoc

    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "n.md").write_text("[@good]\n", encoding="utf-8")
    done = subprocess.run(
        [pypandoc.get_pandoc_path(), "--citeproc", "--bibliography", "refs.bib", "n.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "(line 3, column 6)" in done.stderr and "unexpected '-'" in done.stderr
