"""What the document's bibliography tool really does with a file it cannot read: biber 2.18
stops at an entry key with an apostrophe or at a @comment without braces and keeps no entry of
the file, so a document built with biber gets an error (BIB222) naming the cause and how many
of its citations come out undefined; BibTeX and pandoc documents do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()

# Reduced from Better BibTeX's import fixtures (retorquere/zotero-better-bibtex, MIT licence):
# "Maintain the JabRef group and subgroup structure when importing a BibTeX db #97.bib" (a
# JabRef library with 12 keys such as Dobrovol'skii_1963) and "Some bibtex entries quietly
# discarded on import from bib file #873.bib" (line 1954: "@Comment Len Schubert"). biber 2.18
# on each: "ERROR - BibTeX subsystem: ... syntax error", a .bbl with 0 entries.
APOSTROPHE = """@article{Dobrovol'skii_1963,
  title = {Use of the Hall current},
  author = {Dobrovol'skii, V. N.},
  journal = {Soviet Physics},
  year = {1963}
}

@article{Smith_1970,
  title = {Another paper},
  author = {Smith, A.},
  journal = {Phys. Rev.},
  year = {1970}
}
"""
COMMENT = """@Comment Len Schubert

@article{Smith_1970,
  title = {Another paper},
  author = {Smith, A.},
  journal = {Phys. Rev.},
  year = {1970}
}
"""
BIBER = (
    "\\documentclass{article}\n\\usepackage[backend=biber]{biblatex}\n"
    "\\addbibresource{refs.bib}\n\\begin{document}\n\\cite{Smith_1970}\n\\end{document}\n"
)
BIBTEX = (
    "\\documentclass{article}\n\\begin{document}\n\\cite{Smith_1970}\n"
    "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
)


def run(tmp_path: Path, bib: str, name: str, manuscript: str) -> tuple[int, str]:
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    (tmp_path / name).write_text(manuscript, encoding="utf-8")
    result = runner.invoke(
        app,
        ["check-citations", "--no-cache", "--format", "concise", "--bib", "refs.bib", name],
    )
    return result.exit_code, result.stdout


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("bib", "line", "cause"),
    [
        (APOSTROPHE, 1, "an entry key with an apostrophe"),
        (COMMENT, 1, "a @comment without braces"),
        # as Mendeley exports an entry it has no key for (biber 2.18: syntax error, 0 entries)
        (
            "@article{,\n  title = {X},\n  year = {2000}\n}\n" + COMMENT.split("\n", 2)[2],
            1,
            "an entry without a key",
        ),
    ],
    ids=["apostrophe-key", "unbraced-comment", "no-key"],
)
def test_a_biber_document_gets_an_error_when_biber_reads_no_entry(
    tmp_path: Path, bib: str, line: int, cause: str
) -> None:
    code, out = run(tmp_path, bib, "ms.tex", BIBER)
    assert code == 1
    assert (
        f"refs.bib:{line}:1: error BIB222 ms.tex is built with biber, which stops here "
        f"({cause}) and reads no entry of refs.bib: its 1 citation(s) of entries of this file "
        "come out undefined"
    ) in out


@pytest.mark.parametrize(
    ("name", "manuscript"),
    [("ms.tex", BIBTEX), ("ms.md", "As shown [@Smith_1970].\n")],
    ids=["bibtex", "pandoc"],
)
@pytest.mark.parametrize("bib", [APOSTROPHE, COMMENT], ids=["apostrophe-key", "unbraced-comment"])
def test_bibtex_and_pandoc_documents_get_the_warning_only(
    tmp_path: Path, bib: str, name: str, manuscript: str
) -> None:
    code, out = run(tmp_path, bib, name, manuscript)
    assert code == 0
    assert "BIB222" not in out
    assert ("BIB210" if bib is APOSTROPHE else "BIB221") in out


@pytest.mark.parametrize(
    "comment",
    ["@comment{Len Schubert}", "@comment(x)", "% @Comment Len"],
)
def test_a_braced_or_commented_out_comment_is_no_finding(tmp_path: Path, comment: str) -> None:
    code, out = run(tmp_path, COMMENT.replace("@Comment Len Schubert", comment), "ms.tex", BIBER)
    assert code == 0 and "BIB221" not in out and "BIB222" not in out


def test_only_the_first_unbraced_comment_is_reported_as_biber_reports_it(tmp_path: Path) -> None:
    """biber 2.18 stops at the first @comment without braces ("line 1, syntax error: found
    'Len'") and pandoc 3 likewise, so one warning stands there, naming the lines of the others
    (stop 24: Better BibTeX's #873.bib got 30 warnings, one per comment)."""
    more = "\n@comment another remark\n\n@Comment and a third\n"
    code, out = run(tmp_path, COMMENT + more, "ms.md", "As shown [@Smith_1970].\n")
    assert code == 0
    assert out.count("BIB221") == 1
    assert (
        "refs.bib:1:1: warning BIB221 @comment without braces: biber stops here and reads no "
        "entry of the file (pandoc 3 refuses the file; BibTeX and pandoc 2 skip it); 2 more "
        "follow (lines 10, 12)"
    ) in out


def test_a_quoted_comment_stops_biber_too(tmp_path: Path) -> None:
    # biber 2.18 on '@comment "Len"': two ERRORs, no entry kept
    code, out = run(
        tmp_path, COMMENT.replace("@Comment Len Schubert", '@comment "Len"'), "ms.tex", BIBER
    )
    assert code == 1 and "BIB221" in out and "BIB222" in out


# Reduced from Better BibTeX's import fixtures "Issues with round instead of curly braces do not
# import correctly #871.bib" and "web_page and other mendeley idiocy.bib": pandoc 2.17 and 3.9
# both say "Error reading bibliography file ... unexpected '('" (or '_') and build no
# bibliography; BibTeX and biber read them.
PAREN = (
    "@techreport(McDermott:72,\n  author = {McDermott, Drew},\n  year = {1972},\n  title = {T}\n)\n"
)
MENDELEY = "@book_section{Mills2010,\n  author = {Mills, A.},\n  year = {2010},\n  title = {T}\n}\n"


@pytest.mark.parametrize(
    ("bib", "key", "wants"),
    [
        (PAREN, "McDermott:72", "'@techreport(': an entry in braces, not round brackets"),
        (MENDELEY, "Mills2010", "'@book_section': an entry type of letters only"),
    ],
    ids=["round-brackets", "mendeley-type"],
)
def test_a_pandoc_document_gets_an_error_when_pandoc_refuses_the_file(
    tmp_path: Path, bib: str, key: str, wants: str
) -> None:
    code, out = run(tmp_path, bib, "ms.md", f"As shown [@{key}].\n")
    assert code == 1
    assert (
        "refs.bib:1:1: error BIB224 ms.md is built with pandoc, which refuses all of refs.bib at "
        f"this entry: its reader wants {wants} (pandoc 2.11 and later), so 1 citation(s)"
    ) in out
    # a LaTeX document is not built with pandoc
    _, out = run(tmp_path, bib, "ms.tex", BIBER.replace("Smith_1970", key))
    assert "BIB224" not in out


def test_text_inside_a_field_value_is_not_taken_for_an_entry(tmp_path: Path) -> None:
    # pandoc 2.17 reads this file: the note's line is no entry (bibtexparser, argmap's parser,
    # takes it for one and reports BIB201: another matter)
    bib = (
        "@misc{a,\n  author = {A, B},\n  note = {Written as\n@techreport(x, in the source)},\n"
        "  year = {2000}\n}\n"
    )
    _, out = run(tmp_path, bib, "ms.md", "As shown [@a].\n")
    assert "BIB224" not in out


@pytest.mark.parametrize(
    ("opening", "block"),
    [
        ('@string(phys = "Phys. Rev.")', "string"),
        ('@Preamble ("\\newcommand{\\x}{x}")', "preamble"),
    ],
    ids=["string", "preamble"],
)
def test_a_string_or_preamble_in_round_brackets_is_refused_too(
    tmp_path: Path, opening: str, block: str
) -> None:
    # pandoc 2.17 and 3.9: "Error reading bibliography file ... unexpected '('"
    code, out = run(tmp_path, f"{opening}\n\n{COMMENT.split(chr(10), 2)[2]}", "ms.md", CITES)
    assert code == 1
    assert (
        f"refs.bib:1:1: error BIB224 ms.md is built with pandoc, which refuses all of refs.bib at "
        f"this @{block}: its reader wants '@{opening[1:].split('(')[0].strip()}{{': braces, not "
        "round brackets (pandoc 2.11 and later), so 1 citation(s)"
    ) in out


def test_a_type_of_letters_beyond_ascii_is_read_by_pandoc(tmp_path: Path) -> None:
    # pandoc 2.17 and 3.9 print the reference of an @ärticle (any letter makes a type)
    bib = COMMENT.split("\n", 2)[2].replace("@article", "@ärticle")
    _, out = run(tmp_path, bib, "ms.md", CITES)
    assert "BIB224" not in out


CITES = "As shown [@Smith_1970].\n"
