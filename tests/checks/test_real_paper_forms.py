"""Forms met in 111 real JOSS papers (issue 21): each checked end to end, from the manuscript's
text and a bibliography to the statuses and problems argmap reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.bib.reader import load_bibliography
from argmap.checks.citations import Report, check_bibliography, check_manuscript
from argmap.citations.matcher import Matcher

BIB = """\
@book{cohen1988statistical,
  title = {Statistical Power Analysis for the Behavioral Sciences},
  author = {Cohen, Jacob},
  year = {1988},
  publisher = {Routledge}
}
"""


def _check(tmp_path: Path, text: str, bib: str = BIB) -> Report:
    (tmp_path / "paper.bib").write_text(bib, encoding="utf-8")
    ms = tmp_path / "paper.md"
    ms.write_text(text, encoding="utf-8")
    report = Report()
    check_manuscript(
        ms, Matcher(load_bibliography(tmp_path / "paper.bib", use_cache=False)), report
    )
    return report


@pytest.mark.parametrize(
    "text", ["Cohen's (1988)", "Cohen’s (1988)"], ids=["apostrophe", "curly-apostrophe"]
)
def test_possessive_of_an_exact_surname_is_ok(tmp_path: Path, text: str) -> None:
    report = _check(tmp_path, f"Effect sizes follow rules of thumb, such as {text}.\n")
    assert [(c.text, c.status, c.key) for c in report.citations] == [
        (text, "ok", "cohen1988statistical")
    ]
    assert report.problems == []


def test_possessive_of_a_misspelt_surname_still_warns(tmp_path: Path) -> None:
    report = _check(tmp_path, "Such as Cohne's (1988).\n")
    assert [(c.text, c.status) for c in report.citations] == [("Cohne's (1988)", "name-mismatch")]


def test_remark_ending_in_year_is_no_citation(tmp_path: Path) -> None:
    text = (
        "As interest in GPUs grew (with early support added to Microphysics in 2015), "
        "Castro moved (Cohen 1988).\n"
    )
    report = _check(tmp_path, text)
    assert [(c.text, c.status) for c in report.citations] == [("Cohen 1988", "ok")]
    assert report.problems == []


def test_missing_citation_is_quoted_as_printed(tmp_path: Path) -> None:
    report = _check(tmp_path, "(Wolery and Jove Colon 2018)\n")
    [problem] = report.problems
    assert problem.message == "no entry for Wolery and Jove Colon 2018"


CROWDED = """\
@manual{recordr,
  author = {Peter Slaughter, Matthew B. Jones, Christopher Jones, Lauren Palmer (NCEAS)},
  title = {recordr},
  year = {2019},
}
@book{edited,
  author = {Roe, Jane},
  editor = {Liu, Zhenfeng, Hu, Sarah K, Caron, David},
  translator = {{Barnes, Noble, and Sons} and Doe, John},
  title = {T},
  year = {2020},
}
@manual{uncited,
  author = {A. One, B. Two, C. Three, D. Four},
  title = {U},
  year = {2020},
}
"""


@pytest.mark.parametrize("reads", [1, 2], ids=["parsed", "warm-cache"])
def test_names_listed_with_commas_are_an_error_on_cited_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: int
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "paper.bib"
    path.write_text(CROWDED, encoding="utf-8")
    for _ in range(reads):  # the second read comes from the cache
        bib = load_bibliography(path, use_cache=True)
    report = Report()
    cited = {"recordr", "edited"}
    check_bibliography(bib, cited, None, report, owned_by_map=False)
    found = [(p.kind, p.severity, p.line, p.key) for p in report.problems]
    assert found == [
        ("too-many-commas", "error", 8, "edited"),  # the editor field's line, not the entry's
        ("too-many-commas", "error", 2, "recordr"),
    ]
    messages = [p.message for p in report.problems]
    assert messages[0].startswith("@book 'edited' field editor: name 1 'Liu, Zhenfeng, Hu,")
    assert "has 5 commas" in messages[0]
    assert "field author: name 1 'Peter Slaughter, Matthew B. Jones" in messages[1]


MULLER = """\
@article{muller2015,
  author = {M{\\"u}ller, Hans and Roe, Jane and Doe, John},
  title = {T},
  journal = {J},
  year = {2015},
}
"""


@pytest.mark.parametrize(
    "printed",
    [
        "Müller et al. 2015",
        "Müller u. a. 2015",
        "Müller u.a. 2015",
        "Müller e.a. 2015",
        "Müller et coll. 2015",
        "Müller and colleagues 2015",
        "Müller and co-workers 2015",
    ],
)
def test_et_al_in_other_words_resolves(tmp_path: Path, printed: str) -> None:
    """An author phrase may end in a lower-case word only when it is "et al." or its kin: those
    are citations, and resolve."""
    report = _check(tmp_path, f"As found ({printed}).\n", MULLER)
    assert [(c.text, c.status) for c in report.citations] == [(printed, "ok")]


# A multi-line entry whose author field is far below its @: one the index tokenizes, one it
# leaves to bibtexparser (the escaped braces, which BibTeX counts as braces), and one whose field
# name is in capitals.
FAR = """\
@article{plain,
  title = {A title
    over two lines},
  journal = {J},
  year = {2020},

  author = {Roe, Jane, Doe, John},
}
@misc{escaped, note = {a \\{b\\}},
  year = 2021,
  AUTHOR = "Liu, Zhenfeng, Hu, Sarah K, Caron, David"}
"""


@pytest.mark.parametrize("reads", [1, 2], ids=["parsed", "warm-cache"])
def test_too_many_commas_points_at_the_fields_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: int
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "paper.bib"
    path.write_text(FAR, encoding="utf-8")
    for _ in range(reads):
        bib = load_bibliography(path, use_cache=True)
    report = Report()
    check_bibliography(bib, {"plain", "escaped"}, None, report, owned_by_map=False)
    lines = FAR.splitlines()
    found = sorted((p.key, p.line) for p in report.problems if p.kind == "too-many-commas")
    assert found == [("escaped", 11), ("plain", 7)]
    assert lines[6].lstrip().startswith("author") and lines[10].lstrip().startswith("AUTHOR")


# Entries the index reads: most with at most two commas in their author and editor lists, one
# crowded author, one crowded editor (its author is fine), one whose commas are in braces only.
FEW = """\
@article{one, author = {Roe, Jane}, title = {T, with, commas, in, it}, year = {2001}}

@article{two, author = {Roe, Jane and Doe, John}, editor = {Poe, Edgar}, year = {2002}}

@article{many, author = {Roe, Jane and Doe, John and Poe, Edgar}, year = {2003}}

@article{crowded, author = {Slaughter, Peter, Jones, Matthew}, year = {2004}}

@book{edited, author = {Roe, Jane},
  editor = {Doe, John, Roe, Jane},
  year = {2005}}

@misc{braced, author = {{Acme, Inc., Ltd., Co.}}, year = {2006}}

@misc{translated, author = {Roe, Jane}, translator = {Doe, John, Roe, Jane}, year = {2007}}
"""


@pytest.mark.parametrize("reads", [1, 2], ids=["parsed", "warm-cache"])
def test_too_many_commas_reads_only_the_entries_that_may_have_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: int
) -> None:
    """BIB110 reads again only the entries whose author or editor list the index found may have
    a name of more than two commas (or that have another name-list field); the others are
    answered from what the index kept, cold or from the cache, and the problems are the same."""
    from argmap.bib.index import SpanRest

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "few.bib"
    path.write_text(FEW, encoding="utf-8")
    for _ in range(reads):
        bib = load_bibliography(path, use_cache=True)
    read: list[int] = []
    real = SpanRest.__getitem__

    def counting(self: SpanRest, index: object) -> object:
        read.append(index)  # type: ignore[arg-type]
        return real(self, index)

    monkeypatch.setattr(SpanRest, "__getitem__", counting)
    report = Report()
    check_bibliography(bib, set(bib.entries), None, report, owned_by_map=False)
    found = [(p.key, p.line, p.message) for p in report.problems if p.kind == "too-many-commas"]
    assert [(key, line) for key, line, _ in found] == [
        ("crowded", 7),
        ("edited", 10),
        ("translated", 15),
    ]
    assert "field editor: name 1 'Doe, John, Roe, Jane' has 3 commas" in found[1][2]
    # crowded, edited and translated are read; not many (three commas, one in each name) nor
    # braced (its commas within braces)
    assert sorted(read) == [3, 4, 6]


MONTHS_AND_PRODUCTS = """\
@book{march1991, author = {March, James G.}, title = {Exploration}, year = {1991},
  publisher = {P}}
@book{may2010, author = {May, Robert}, title = {Stability}, year = {2010}, publisher = {P}}
"""


def test_a_month_surname_and_a_product_count_only_as_entries(tmp_path: Path) -> None:
    """ "(May, 2010)" and "(March, 1991)" resolve; "(June, 2019)" (a date, or a June the
    bibliography lacks), "(TeX Live 2024)" and "(Windows 2000)" are no CIT203 (jmrplens/
    TFG-TFM_EPS's "LuaLaTeX (TeX Live 2024)" was one)."""
    report = _check(
        tmp_path,
        "Stable (May, 2010), explored (March, 1991), released (June, 2019).\n\n"
        "Built with LuaLaTeX (TeX Live 2024) on (Windows 2000).\n",
        MONTHS_AND_PRODUCTS,
    )
    assert [(c.text, c.status.value, c.key) for c in report.citations] == [
        ("May, 2010", "ok", "may2010"),
        ("March, 1991", "ok", "march1991"),
    ]
    assert [p.code for p in report.problems if p.severity != "info"] == []
