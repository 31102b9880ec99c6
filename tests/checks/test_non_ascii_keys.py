"""Keys that begin with (or hold) a non-ASCII letter — ``@пункт3``, ``[@müller2020]``,
``\\cite{Ångström1990}`` — read as pandoc reads them in Markdown and as BibTeX and biber read
them in LaTeX and .bib files. BibTeX 0.99d reads bytes: it finds a key in another case only by
its ASCII letters (``Müller2020`` for ``müller2020``, never ``MÜLLER2020``), and ``Ärger2001``
beside ``ärger2001`` is no "Repeated entry" to it; biber 2.18 reads every key and warns of such a
pair. All checked with ``bibtex``, ``biber`` and ``pandoc`` by hand; BibTeX is the oracle below."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pandoc_cites import pandoc_keys

from argmap.bib.reader import load_bibliography
from argmap.checks.citations import Report, check_bibliography, check_manuscript
from argmap.citations.matcher import Matcher

BIB = (
    "@article{Ångström1990, author = {Ångström, Anders}, title = {L}, journal = {J},"
    " year = {1990}}\n"
    "@article{müller2020, author = {Müller, Hans}, title = {U}, journal = {J}, year = {2020}}\n"
    "@article{пункт3, author = {Иванов, Иван}, title = {С}, journal = {J}, year = {2003}}\n"
    "@article{_under2001, author = {Under, U}, title = {U}, journal = {J}, year = {2001}}\n"
)
KEYS = ["Ångström1990", "müller2020", "пункт3", "_under2001"]


def check(tmp_path: Path, name: str, text: str, bib_text: str = BIB) -> Report:
    (tmp_path / "refs.bib").write_text(bib_text, encoding="utf-8")
    ms = tmp_path / name
    ms.write_text(text, encoding="utf-8")
    report = Report()
    check_manuscript(ms, Matcher(load_bibliography(tmp_path / "refs.bib", use_cache=False)), report)
    return report


@pytest.mark.parametrize("use_cache", [False, True], ids=["indexed", "cached"])
def test_the_bib_file_keeps_the_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    for _ in range(2 if use_cache else 1):
        bib = load_bibliography(tmp_path / "refs.bib", use_cache=use_cache)
        assert list(bib.entries) == KEYS
        assert bib.problems == []


def test_markdown_keys_are_pandocs(tmp_path: Path) -> None:
    text = "As shown [@müller2020] and by @пункт3, also [-@Ångström1990; @_under2001].\n"
    report = check(tmp_path, "paper.md", text)
    assert [c.key for c in report.citations] == pandoc_keys(text)
    assert [(c.status, c.key) for c in report.citations] == [
        ("ok", "müller2020"),
        ("ok", "пункт3"),
        ("ok", "Ångström1990"),
        ("ok", "_under2001"),
    ]


def test_an_unknown_non_ascii_key_is_named(tmp_path: Path) -> None:
    report = check(tmp_path, "paper.md", "See @пункт4 and @Angstrom1990.\n")
    assert [(c.status, c.cited_key) for c in report.citations] == [
        ("unknown-key", "пункт4"),
        ("unknown-key", "Angstrom1990"),
    ]


CASES = "\\cite{Ångström1990}, \\cite{ångström1990}, \\cite{MÜLLER2020} and \\cite{Müller2020}."


def test_latex_built_with_bibtex_folds_only_ascii_letters(tmp_path: Path) -> None:
    report = check(tmp_path, "t.tex", CASES + "\n\\bibliography{refs}\n")
    assert [(c.status, c.key) for c in report.citations] == [
        ("ok", "Ångström1990"),
        ("unknown-key", None),
        ("unknown-key", None),
        ("ok", "müller2020"),
    ]
    assert [(p.kind, p.key) for p in report.problems] == [
        ("unknown-key", None),
        ("unknown-key", None),
        ("key-case", "müller2020"),
    ]


def test_latex_built_with_biber_is_case_sensitive(tmp_path: Path) -> None:
    text = "\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n" + CASES + "\n"
    report = check(tmp_path, "t.tex", text)
    assert [c.status for c in report.citations] == ["ok"] + ["unknown-key"] * 3


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_finds_what_argmap_finds(tmp_path: Path) -> None:
    cited = ["Ångström1990", "ångström1990", "MÜLLER2020", "Müller2020", "пункт3", "_under2001"]
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "doc.aux").write_text(
        "".join(f"\\citation{{{k}}}\n" for k in cited) + "\\bibstyle{plain}\n\\bibdata{refs}\n",
        encoding="utf-8",
    )
    done = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True)
    not_found = {line.split('"')[1] for line in done.stdout.splitlines() if "didn't find" in line}
    text = "".join(f"\\cite{{{k}}}\n" for k in cited) + "\\bibliography{refs}\n"
    report = check(tmp_path, "t.tex", text)
    unknown = {c.cited_key for c in report.citations if c.status == "unknown-key"}
    assert not_found == unknown == {"ångström1990", "MÜLLER2020"}


PAIRS = (
    "@article{Ärger2001, author = {A, B}, title = {One}, journal = {J}, year = {2001}}\n"
    "@article{ärger2001, author = {A, C}, title = {Two}, journal = {J}, year = {2001}}\n"
    "@article{Zed2001, author = {Z, B}, title = {Z1}, journal = {J}, year = {2001}}\n"
    "@article{zed2001, author = {Z, C}, title = {Z2}, journal = {J}, year = {2001}}\n"
)


@pytest.mark.parametrize(
    ("preamble", "found"),
    [
        ("\\bibliography{refs}\n", [("zed2001", "error")]),
        (
            "\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n",
            [("ärger2001", "warning"), ("zed2001", "warning")],
        ),
    ],
    ids=["bibtex", "biber"],
)
def test_keys_equal_but_for_case_as_each_tool_folds_them(
    tmp_path: Path, preamble: str, found: list[tuple[str, str]]
) -> None:
    # bibtex: "Repeated entry---line 4" (zed2001) only; biber: "Possible typo (case mismatch)"
    # for both pairs
    report = check(tmp_path, "t.tex", preamble + "\\cite{Zed2001}\n", PAIRS)
    bib = load_bibliography(tmp_path / "refs.bib", use_cache=False)
    check_bibliography(bib, {"Zed2001"}, None, report, owned_by_map=False)
    clashes = [(p.key, str(p.severity)) for p in report.problems if p.kind == "key-case-clash"]
    assert clashes == found


def test_front_matter_and_example_labels_as_pandoc_reads_them(tmp_path: Path) -> None:
    from pandoc_cites import argmap_keys

    text = (
        '---\ntitle: "On @пункт3 and [@müller2020]"\nabstract: |\n  As [-@Ångström1990] says.\n'
        "---\n\nBody @_under2001 and user@пример.рф.\n\n(@ёж) An example.\n\nAs (@ёж) shows, @ёж.\n"
    )
    # pandoc lists the metadata's citations by field name (abstract before title)
    assert sorted(argmap_keys(tmp_path, text)) == sorted(pandoc_keys(text)) == sorted(KEYS)
