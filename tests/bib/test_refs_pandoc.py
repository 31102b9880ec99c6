"""argmap's reference lists against pandoc's citeproc, entry by entry, on the shipped
bibliography in APA and Chicago author-date.

With pandoc (the test extra ships it) argmap formats through pandoc's citeproc, so the two must
agree exactly. citeproc-py, used when there is no pandoc, must agree too, up to the differences
listed in KNOWN_DIFFERENCES, each with its reason; nothing else may differ.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from argmap.bib.model import BibEntry, Bibliography
from argmap.bib.pandoc import find_pandoc
from argmap.bib.reader import load_bibliography
from argmap.bib.refs import RefsEngine, RefsFormat, format_references, style_path

SHIPPED = Path(__file__).parents[2] / "refs.bib"
STYLES = ["apa", "chicago-author-date"]
PANDOC = find_pandoc()
needs_pandoc = pytest.mark.skipif(
    PANDOC is None, reason="pandoc ≥ 2.11 not found (pip install '.[test]' brings it)"
)


def pandoc_by_itself(bib_file: Path, style: str) -> dict[str, str]:
    """The reference list pandoc makes from the .bib file directly, by key (from its HTML ids)
    — no argmap code between the file and pandoc."""
    assert PANDOC is not None
    html = subprocess.run(
        [
            str(PANDOC),
            "-f",
            "markdown",
            "-t",
            "html",
            "--wrap=none",
            "--citeproc",
            f"--bibliography={bib_file}",
            f"--csl={style_path(style)}",
        ],
        input="---\nnocite: '@*'\n---\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    keys = re.findall(r'<div id="ref-([^"]+)" class="csl-entry"', html)
    plain = subprocess.run(
        [
            str(PANDOC),
            "-f",
            "markdown",
            "-t",
            "plain",
            "--wrap=none",
            "--citeproc",
            f"--bibliography={bib_file}",
            f"--csl={style_path(style)}",
        ],
        input="---\nnocite: '@*'\n---\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    texts = [" ".join(t.split()) for t in plain.strip().split("\n\n")]
    assert len(keys) == len(texts)
    return dict(zip(keys, texts, strict=True))


def argmap_refs(bib: Bibliography, style: str, engine: RefsEngine) -> dict[str, str]:
    formatted = format_references(list(bib.entries.values()), style, bib=bib, engine=engine)
    assert formatted.engine is engine
    return {ref.key: ref.text for ref in formatted.references}


# Each known difference between citeproc-py and pandoc's citeproc: why, and how the test makes
# the two comparable (a normalisation applied to both), or which entries it leaves out.
def _casefold(text: str) -> str:
    return text.casefold()


KNOWN_DIFFERENCES: dict[str, tuple[str, Callable[[str], str]]] = {
    "case": (
        "citeproc-py's title case (Chicago) leaves the parts of a hyphenated word after the "
        "first, and a word after an opening quote, in lower case ('Inter-firm', 'Emilia-"
        "romagna', '‘industrial'), where pandoc capitalises them, and capitalises short words "
        "of untagged non-English titles that pandoc leaves ('Y', 'De'); it also ignores "
        "text-case on terms, so APA's editor label stays 'eds.' for pandoc's 'Eds.'",
        _casefold,
    ),
}
SUBSTITUTED_EDITORS = (
    "an entry with editors and no author: citeproc-py prints the editors in the author's place "
    "and again after the title (CSL's substitute should suppress them there)"
)


def substituted_editors(entry: BibEntry) -> bool:
    return "editor" in entry.fields and "author" not in entry.fields


@needs_pandoc
@pytest.mark.parametrize("style", STYLES)
def test_pandoc_engine_agrees_with_pandoc_entry_by_entry(style: str) -> None:
    bib = load_bibliography(SHIPPED)
    ours = argmap_refs(bib, style, RefsEngine.PANDOC)
    theirs = pandoc_by_itself(SHIPPED, style)
    assert list(ours) == list(theirs)  # same entries, same order
    for key, text in theirs.items():
        assert ours[key] == text, key


@needs_pandoc
@pytest.mark.parametrize("style", STYLES)
def test_citeproc_py_agrees_with_pandoc_but_for_known_differences(style: str) -> None:
    bib = load_bibliography(SHIPPED)
    ours = argmap_refs(bib, style, RefsEngine.CITEPROC_PY)
    theirs = pandoc_by_itself(SHIPPED, style)
    assert set(ours) == set(theirs)
    left_out = {key for key in theirs if substituted_editors(bib.entries[key])}
    assert len(left_out) < len(theirs) / 5, SUBSTITUTED_EDITORS
    exact = 0
    for key, text in theirs.items():
        if key in left_out:
            continue
        mine, pandocs = ours[key], text
        exact += mine == pandocs
        for _reason, normalise in KNOWN_DIFFERENCES.values():
            mine, pandocs = normalise(mine), normalise(pandocs)
        assert mine == pandocs, key
    # Most entries agree without any allowance (measured: see the README).
    assert exact >= len(theirs) // 2


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("engine", [RefsEngine.CITEPROC_PY, RefsEngine.AUTO])
def test_no_latex_markup_reaches_the_output(style: str, engine: RefsEngine) -> None:
    bib = load_bibliography(SHIPPED)
    for fmt in (RefsFormat.TEXT, RefsFormat.HTML):
        formatted = format_references(
            list(bib.entries.values()), style, bib=bib, fmt=fmt, engine=engine
        )
        for ref in formatted.references:
            assert not set(ref.text) & set("\\{}`"), ref
    text = "\n".join(
        r.text
        for r in format_references([bib.entries["rabellotti1995"]], style, engine=engine).references
    )
    assert "Industrial District Model" in text.title()


ODD = r"""
@book{a:b/c+d.e, author = {One, Ann}, title = {First}, publisher = {P}, year = {2001}}
@book{Müller2018, author = {M{\"u}ller, J{\"o}rg}, title = {Zweites {B}uch},
  publisher = {P}, year = {2018}, langid = {german}}
@book{key_with-dash, author = {Two, Bo}, title = {A Title in {NASA} Case}, publisher = {P},
  year = {2002}}
@incollection{ch1, author = {Green, Pat}, title = {Chapter}, crossref = {bk}, pages = {1--2}}
@book{bk, editor = {Green, Pat}, booktitle = {The Book}, title = {The Book}, publisher = {P},
  year = {2001}}
"""


@pytest.mark.parametrize("engine", [RefsEngine.CITEPROC_PY, RefsEngine.AUTO])
@pytest.mark.parametrize("fmt", list(RefsFormat))
def test_keys_of_any_form_and_each_reference_whole(
    tmp_path: Path, engine: RefsEngine, fmt: RefsFormat
) -> None:
    path = tmp_path / "odd.bib"
    path.write_text(ODD, encoding="utf-8")
    bib = load_bibliography(path)
    chosen = [bib.entries[k] for k in ("a:b/c+d.e", "Müller2018", "key_with-dash", "ch1")]
    refs = format_references(chosen, fmt=fmt, bib=bib, engine=engine).references
    # every entry asked for, once, with its own key; the crossref'd book only lends fields
    assert sorted(r.key for r in refs) == sorted(e.key for e in chosen)
    surname = {"a:b/c+d.e": "One", "Müller2018": "Müller", "key_with-dash": "Two", "ch1": "Green"}
    for ref in refs:
        assert ref.text.startswith(surname[ref.key]), ref
        assert "</div>" not in ref.text and ":::" not in ref.text and "@@" not in ref.text


@pytest.mark.parametrize("engine", [RefsEngine.CITEPROC_PY, RefsEngine.AUTO])
def test_html_ids_name_the_entry_each_item_formats(engine: RefsEngine) -> None:
    from argmap.bib.refs import render_references

    bib = load_bibliography(SHIPPED)
    html = render_references(
        format_references(list(bib.entries.values()), bib=bib, fmt=RefsFormat.HTML, engine=engine),
        RefsFormat.HTML,
    )
    items = re.findall(r'<li id="ref-([^"]+)">(.*?)</li>', html)
    assert len(items) == len(bib.entries)
    for key, text in items:
        surname = bib.entries[key].authors[0].last if bib.entries[key].authors else ""
        assert surname in text, (key, text)


REAL = Path(__file__).parents[1] / "data" / "real" / "biblatex-examples.bib"


@needs_pandoc
@pytest.mark.parametrize("style", STYLES)
def test_pandoc_engine_on_biblatexs_own_examples(style: str) -> None:
    # 92 entries of every biblatex type (see tests/data/real/README.md): argmap hands them to
    # pandoc re-written from its own reading of the file, and must lose nothing on the way.
    bib = load_bibliography(REAL)
    ours = argmap_refs(bib, style, RefsEngine.PANDOC)
    theirs = pandoc_by_itself(REAL, style)
    assert len(theirs) == len(bib.entries) == 92
    assert ours == theirs and list(ours) == list(theirs)


@pytest.mark.parametrize("style", STYLES)
def test_citeproc_py_on_biblatexs_own_examples_leaves_no_markup(style: str) -> None:
    bib = load_bibliography(REAL)
    refs = argmap_refs(bib, style, RefsEngine.CITEPROC_PY)
    assert len(refs) == 92
    for key, text in refs.items():
        assert not set(text) & set("\\{}`"), (key, text)
    assert refs["knuth:ct:b"].count("TeX") == 1  # {\TeX}: The Program — the logo is kept


CSL_JSON = """[{"id": "doe2020", "type": "book", "author": [{"family": "Doe", "given": "Jane"}],
  "title": "R&D: $5 at 100% of {all} and a back\\\\slash", "publisher": "P & Q",
  "issued": {"date-parts": [[2020]]}}]
"""


@needs_pandoc
def test_csl_json_text_reaches_pandoc_as_written(tmp_path: Path) -> None:
    # A CSL-JSON file's text is not LaTeX: pandoc reads the file itself, so "%" starts no
    # comment and "$" no formula; and a brace it holds is not reported as LaTeX left over.
    from argmap.bib.sources import read_bibliographies

    path = tmp_path / "refs.json"
    path.write_text(CSL_JSON, encoding="utf-8")
    bib = read_bibliographies([path])
    formatted = format_references(list(bib.entries.values()), bib=bib, engine=RefsEngine.PANDOC)
    assert [r.text for r in formatted.references] == [
        "Doe, J. (2020). R&D: $5 at 100% of {all} and a back\\slash. P & Q."
    ]
    assert formatted.problems == []
    by_citeproc_py = format_references(
        list(bib.entries.values()), bib=bib, engine=RefsEngine.CITEPROC_PY
    )
    assert by_citeproc_py.references[0].text.startswith(
        "Doe, J. (2020). R&D: $5 at 100% of {all} and a back\\slash."
    )
    assert by_citeproc_py.problems == []
    # with a .bib beside it, each file's entries are read as their format says
    merged = read_bibliographies([path, SHIPPED])
    refs = format_references(list(merged.entries.values()), bib=merged, engine=RefsEngine.PANDOC)
    texts = {r.key: r.text for r in refs.references}
    assert texts["doe2020"].startswith("Doe, J. (2020). R&D: $5 at 100%")
    assert texts["piore1984"].startswith("Piore, M. J., & Sabel, C. F. (1984).")
