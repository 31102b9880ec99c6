"""A field repeated under another case (``Title = ...`` then ``title = ...``): field names are
case-insensitive to BibTeX, biber and pandoc, so it is the same field repeated. biber 2.18 and
pandoc (2.17, 3.9) use the last value, BibTeX 0.99d the first ("I'm ignoring k1's extra "title"
field"), checked on this machine; argmap keeps the last, as for an exact repeat, and warns
(BIB205) naming each tool's value — whatever the reading path (in this process, indexed,
cached)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from argmap.bib.reader import bibliography_from_text, load_bibliography

BIB = (
    "@article{cased2001,\n"  # 1
    "  Title = {First Title},\n"  # 2
    "  author = {Doe, Jane},\n"  # 3
    "  journal = {J},\n"  # 4
    "  year = {2001},\n"  # 5
    "  title = {Second Title}\n"  # 6
    "}\n"  # 7
    "@book{upper2002, AUTHOR = {Roe, Ann}, title = {T}, publisher = {P}, YEAR = 2002,\n"  # 8
    "  Author = {Poe, Edgar}, year = {2003}}\n"  # 9
    "@misc{same2004, TITLE = {Same}, title = { Same }, year = {2004}}\n"  # 10
    "@misc{plain2005, title = {Plain}, Year = {2005}}\n"  # 11
)


def _check(bib: object) -> None:
    entries = bib.entries  # type: ignore[attr-defined]
    assert entries["cased2001"].fields["title"] == "Second Title"
    assert entries["upper2002"].fields["author"] == "Poe, Edgar"
    assert entries["upper2002"].year == "2003"
    assert entries["upper2002"].surnames == ("poe",)
    assert entries["same2004"].fields["title"].strip() == "Same"
    assert entries["plain2005"].year == "2005"
    found = [(p.kind, p.line, p.key) for p in bib.problems]  # type: ignore[attr-defined]
    assert found == [
        ("duplicate-field", 1, "cased2001"),
        ("duplicate-field", 8, "upper2002"),
        ("duplicate-field", 8, "upper2002"),
    ]
    message = bib.problems[0].message  # type: ignore[attr-defined]
    assert "biber and pandoc use the last ('Second Title')" in message
    assert "BibTeX the first ('First Title')" in message


def test_a_field_repeated_in_another_case_keeps_the_last_value_and_warns(tmp_path: Path) -> None:
    _check(bibliography_from_text(BIB, tmp_path / "refs.bib"))


@pytest.mark.parametrize("use_cache", [False, True], ids=["indexed", "cached"])
def test_the_same_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    for _ in range(2 if use_cache else 1):  # the second read comes from the cache
        _check(load_bibliography(path, use_cache=use_cache))


@pytest.mark.parametrize("engine", ["citeproc-py", "pandoc"])
def test_refs_prints_the_last_value_as_pandoc_does(tmp_path: Path, engine: str) -> None:
    from argmap.bib.refs import RefsEngine, format_references

    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    bib = load_bibliography(path, use_cache=False)
    [ref] = format_references(
        [bib.entries["cased2001"]], bib=bib, engine=RefsEngine(engine)
    ).references
    assert "Second title" in ref.text and "First" not in ref.text


def _pandoc_titles(pandoc: str, folder: Path) -> str:
    (folder / "n.md").write_text(
        '---\nbibliography: refs.bib\nnocite: "@*"\n---\n', encoding="utf-8"
    )
    done = subprocess.run(
        [pandoc, "--citeproc", "n.md", "-t", "plain"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_pandoc_uses_the_last_value_too(tmp_path: Path) -> None:
    import pypandoc

    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    out = _pandoc_titles(pypandoc.get_pandoc_path(), tmp_path)
    assert "Second Title" in out and "First Title" not in out
    assert "Poe" in out and "Roe" not in out


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_uses_the_first_value_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "doc.aux").write_text(
        "\\citation{cased2001}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="utf-8"
    )
    done = subprocess.run(
        ["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert "I'm ignoring cased2001's extra \"title\" field" in done.stdout
    assert "First title" in (tmp_path / "doc.bbl").read_text(encoding="utf-8")
