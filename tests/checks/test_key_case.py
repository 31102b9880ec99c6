"""A key cited in another case than its entry's: found, with a warning, in a document built
with BibTeX (which matches keys regardless of case); an error where biber or pandoc build it."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.bib.reader import load_bibliography
from argmap.checks.citations import Report, check_manuscript
from argmap.citations.matcher import Matcher
from argmap.manuscripts.latex import bibliography_tool
from argmap.manuscripts.read import _read

# AdamSaleh/thesis and Akilan1999/phd-thesis cite these keys so; bibtex 0.99d prints both
BIB = (
    "@inproceedings{liefooghe2007paradiseo, author = {Liefooghe, A}, title = {P},"
    " booktitle = {EMO}, year = 2007}\n"
    "@misc{Morello, author = {Arm}, title = {CHERI Morello}, year = 2022}\n"
)


def check(tmp_path: Path, name: str, text: str) -> Report:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    ms = tmp_path / name
    ms.write_text(text, encoding="utf-8")
    report = Report()
    check_manuscript(ms, Matcher(load_bibliography(bib, use_cache=False)), report)
    return report


BODY = "\\begin{document}\n\\cite{liefooghe2007Paradiseo} and \\cite{morello}.\n"


def test_bibtex_finds_a_key_in_another_case_with_a_warning(tmp_path: Path) -> None:
    report = check(tmp_path, "t.tex", BODY + "\\bibliography{refs}\n\\end{document}\n")
    assert [(c.status, c.key) for c in report.citations] == [
        ("ok", "liefooghe2007paradiseo"),
        ("ok", "Morello"),
    ]
    assert [(p.kind, str(p.severity), p.line) for p in report.problems] == [
        ("key-case", "warning", 2),
        ("key-case", "warning", 2),
    ]
    assert "'morello' is 'Morello'" in report.problems[1].message


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("biber.tex", "\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n" + BODY),
        ("biber2.tex", "\\usepackage[style=apa]{biblatex}\n" + BODY + "\\bibliography{refs}\n"),
        ("chapter.tex", BODY),  # no tool named: a chapter checked on its own
        ("paper.md", "@liefooghe2007Paradiseo and @morello.\n"),  # pandoc: case-sensitive
    ],
    ids=["biblatex", "biblatex-bibliography", "no-tool", "pandoc"],
)
def test_elsewhere_a_key_in_another_case_is_unknown(tmp_path: Path, name: str, text: str) -> None:
    report = check(tmp_path, name, text)
    assert [c.status for c in report.citations] == ["unknown-key", "unknown-key"]


def test_one_key_cited_in_two_cases_is_bibtexs_case_mismatch_error(tmp_path: Path) -> None:
    text = "\\cite{morello} then \\cite{Morello}.\n\\bibliography{refs}\n"
    report = check(tmp_path, "t.tex", text)
    assert [(c.status, c.key) for c in report.citations] == [
        ("ok", "Morello"),
        ("unknown-key", None),
    ]
    error = report.problems[-1]
    assert error.kind == "unknown-key"
    assert "Case mismatch error between cite keys morello and Morello" in error.message


@pytest.mark.parametrize(
    ("files", "tool"),
    [
        ({"t.tex": "\\bibliography{refs}\n"}, "bibtex"),
        ({"t.tex": "\\usepackage[backend=bibtex]{biblatex}\n\\bibliography{refs}\n"}, "bibtex"),
        ({"t.tex": "\\usepackage{biblatex}\n\\printbibliography\n"}, "biber"),
        ({"t.tex": "% \\usepackage{biblatex}\n\\bibliography{refs}\n"}, "bibtex"),
        (
            {"t.tex": "\\input{pre}\n\\bibliography{refs}\n", "pre.tex": "\\usepackage{biblatex}"},
            "biber",
        ),
        ({"t.tex": "\\documentclass[biblatex]{thesis}\n\\bibliography{refs}\n"}, "biber"),
        ({"t.tex": "\\nobibliography{refs}\n"}, "bibtex"),
        ({"t.tex": "Text.\n"}, None),
    ],
    ids=[
        "bibliography",
        "backend-bibtex",
        "biblatex",
        "commented",
        "in-input",
        "class",
        "nobibliography",
        "none",
    ],
)
def test_the_bibliography_tool_is_read_from_the_document(
    tmp_path: Path, files: dict[str, str], tool: str | None
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    root = tmp_path / "t.tex"
    assert bibliography_tool(root, root.read_text(), _read) == tool


# Reduced from Better BibTeX's import fixture "Unabbreviate on import #1436-3.bib"
# (retorquere/zotero-better-bibtex, MIT licence; 16 such pairs): BibTeX 0.99d says "Repeated
# entry" and prints Wei Chen's paper for \cite{chen_2017}; biber 2.18 warns "Possible typo (case
# mismatch) between datasource keys".
CASE_PAIR = """@article{Chen_2017,
  author = {Chen, Wei},
  title = {First paper},
  journal = {Phys. Rev. B},
  year = {2017}
}
@article{chen_2017,
  author = {Chen, Li},
  title = {Second paper},
  journal = {Nano Lett.},
  year = {2017}
}
"""


@pytest.mark.parametrize(
    ("preamble", "severity"),
    [
        ("\\bibliography{refs}\n", "error"),
        ("\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n", "warning"),
    ],
    ids=["bibtex", "biber"],
)
def test_keys_equal_but_for_case_are_named_with_both_lines(
    tmp_path: Path, preamble: str, severity: str
) -> None:
    from argmap.checks.citations import check_bibliography

    (tmp_path / "refs.bib").write_text(CASE_PAIR, encoding="utf-8")
    ms = tmp_path / "ms.tex"
    ms.write_text(
        f"\\documentclass{{article}}\n{preamble}\\begin{{document}}\n\\cite{{chen_2017}}\n",
        encoding="utf-8",
    )
    bib = load_bibliography(tmp_path / "refs.bib", use_cache=False)
    report = Report()
    check_manuscript(ms, Matcher(bib), report)
    check_bibliography(bib, {"chen_2017"}, None, report, owned_by_map=False)
    [problem] = [p for p in report.problems if p.kind == "key-case-clash"]
    assert (problem.severity, problem.line, problem.key) == (severity, 7, "chen_2017")
    assert "'Chen_2017' (" in problem.message and "refs.bib:1)" in problem.message
