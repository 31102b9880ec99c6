"""BIB224 (pandoc-refuses-file): the openings pandoc's BibTeX reader refuses, as pandoc 2.17.1.1
and 3.9 were seen to answer, are found while the file is indexed and kept in the cache, so that
the check of a pandoc document reads no file."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.bib import reader
from argmap.bib.model import LazyEntries
from argmap.bib.reader import bibliography_from_text, load_bibliography
from argmap.cache import records as cache
from argmap.checks.citations import Report, check_bibliography

ARTICLE = "@article{k1,\n  title = {Hello},\n  author = {A, B},\n  year = {2000}\n}\n"


# Each opening put before ARTICLE, then `pandoc --citeproc` on a Markdown text citing [@k1],
# with pandoc 2.17.1.1 (Debian 12) and 3.9 (the pypandoc_binary 1.17 wheel): "Error reading
# bibliography file refs.bib: (line 1, column 8): unexpected '('" where refused, the reference
# printed where not.
@pytest.mark.parametrize(
    ("opening", "refused"),
    [
        ('@string(foo = "Bar")', True),
        ('@STRING (foo = "Bar")', True),
        ('@preamble("x")', True),
        ('@Preamble ("x")', True),
        ("@techreport(k6, title = {T})", True),
        ("@book_section{k3, title = {T}}", True),
        ("@article2{k5, title = {T}}", True),
        # "unexpected '-'" (2.17 and 3.9); BibTeX and biber read it (tests/bib/test_odd_types)
        ("@book-section{k8, title = {T}}", True),
        # pandoc takes any letter for a type, not only ASCII ones
        ("@ärticle{k4, title = {T}}", False),
        ('@string{foo = "Bar"}', False),
        ("@Book{k2, title = {T}}", False),
        ("@article {k7, title = {T}}", False),
        # pandoc 2.17 reads on; 3.9 refuses it (not reported: the rule names pandoc 2.11 on)
        ("@comment(hello)", False),
    ],
)
def test_what_pandoc_refuses(tmp_path: Path, opening: str, refused: bool) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(f"{opening}\n\n{ARTICLE}", encoding="utf-8")
    name = opening[1:].split("{")[0].split("(")[0].strip()
    want = {path: (1, name, "(" if "(" in opening else "{")} if refused else {}
    assert load_bibliography(path, use_cache=False).pandoc_refusals == want
    assert bibliography_from_text(path.read_text(encoding="utf-8"), path).pandoc_refusals == want


def _check(bib: object, path: Path) -> list[str]:
    report = Report(tools={"pandoc": {"ms.md": None}})
    check_bibliography(bib, set(), None, report, owned_by_map=False)  # type: ignore[arg-type]
    return [p.message for p in report.problems if p.kind == "pandoc-refuses-file"]


def test_the_check_reads_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "refs.bib"
    path.write_text(f'{ARTICLE}\n@preamble("x")\n@misc(m, title = {{T}})\n', encoding="utf-8")
    bib = load_bibliography(path, use_cache=False)
    path.unlink()  # the check used to read the file again, a megabyte at a time
    messages = _check(bib, path)
    assert messages == [
        "ms.md is built with pandoc, which refuses all of refs.bib at this @preamble: its reader "
        "wants '@preamble{': braces, not round brackets (pandoc 2.11 and later), so 0 "
        "citation(s) of the file's entries resolve to nothing"
    ]


def test_the_first_opening_is_kept_in_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    path = tmp_path / "refs.bib"
    path.write_text(
        f"{ARTICLE}\n@book_section{{m1, title = {{T}}}}\n\n@misc(m2, title = {{T}})\n",
        encoding="utf-8",
    )
    cold = load_bibliography(path)
    assert cold.pandoc_refusals == {path: (7, "book_section", "{")}
    assert cache.path_for("bib", cache.key_for(path.read_bytes())).exists()

    def never(*args: object) -> object:
        raise AssertionError("indexed again: the cache was not used")

    monkeypatch.setattr(reader, "_index_all", never)
    warm = load_bibliography(path)
    assert isinstance(warm.entries, LazyEntries)
    assert warm.pandoc_refusals == cold.pandoc_refusals


def test_each_file_keeps_its_own_first_opening(tmp_path: Path) -> None:
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text(
        "@misc{m0, title = {T}}\n@misc(m1, title = {T})\n@book_section{m2, title = {T}}\n",
        encoding="utf-8",
    )
    from argmap.bib.sources import merge

    bibs = reader.load_bibliographies([first, second], use_cache=False)
    assert merge(bibs).pandoc_refusals == {second: (2, "misc", "(")}


def test_a_round_bracket_inside_a_field_value_is_no_opening(tmp_path: Path) -> None:
    # pandoc 2.17 reads this file; bibtexparser takes the note's line for an entry that fails
    path = tmp_path / "refs.bib"
    path.write_text(
        "@misc{a,\n  author = {A, B},\n  note = {Written as\n@techreport(x, in the source)},\n"
        "  year = {2000}\n}\n",
        encoding="utf-8",
    )
    assert load_bibliography(path, use_cache=False).pandoc_refusals == {}


@pytest.mark.parametrize(
    ("opening", "found"),
    [
        ("@misc(late, title = {T})", (1801, "misc", "(")),
        ("@web_page{late, title = {T}}", (1801, "web_page", "{")),
        ("@web-page{late, title = {T}}", (1801, "web-page", "{")),
    ],
)
def test_the_opening_is_found_in_any_worker_s_stretch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opening: str, found: tuple[int, str, str]
) -> None:
    # the opening in the last of three stretches: found there, at its line in the whole file
    monkeypatch.setattr(reader, "INDEX_PARALLEL_FROM", 0)
    body = "".join(
        f"@article{{k{i},\n  author = {{Smith, A.}},\n  title = {{T}},\n  year = {{2000}}\n}}\n\n"
        for i in range(300)
    )
    path = tmp_path / "refs.bib"
    path.write_text(f"{body}{opening}\n\n{body.replace('{k', '{m')}", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert bibliography_from_text(text, path).pandoc_refusals == {path: found}
    for workers in (1, 2, 3):
        assert load_bibliography(path, use_cache=False, workers=workers).pandoc_refusals == {
            path: found
        }
