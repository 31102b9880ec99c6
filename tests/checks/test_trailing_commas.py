"""BIB110 on a name crowded only by commas at its end ("J. Zlatev, T. P. Racine, C. Sinha,",
AmandineMa/thesis's biblio.bib): BibTeX 0.99d drops them and reads the name without an error
(tests/bib/test_namelists.py asks BibTeX), pandoc 2.17 and 3.9 print the entry, and biber 2.18
drops it ("has too many commas, skipping entry", checked on this machine). So it is an error for
a document built with biber and a warning for one built with BibTeX or pandoc; a name with more
commas than that stays an error ("BibTeX stops")."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

BIB = (
    "@article{brinck_2008_role,\n"
    "  title = {The role of intersubjectivity},\n"
    "  author = {Brinck, Ingar},\n"
    "  editor = {J. Zlatev, T. P. Racine, C. Sinha, and E. Itkonen},\n"
    "  journal = {The shared mind},\n"
    "  year = {2008}\n"
    "}\n"
    "@book{crowded, editor = {Zlatev, J., Racine, T. P., Sinha, C.}, title = {T}, year = 2008}\n"
)
BIBTEX = (
    "\\documentclass{article}\n\\begin{document}\n\\cite{brinck_2008_role,crowded}\n"
    "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
)
BIBER = (
    "\\documentclass{article}\n\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n"
    "\\begin{document}\n\\cite{brinck_2008_role,crowded}\n\\end{document}\n"
)
MARKDOWN = "As [@brinck_2008_role; @crowded].\n"


@pytest.mark.parametrize(
    ("name", "text", "severity"),
    [("ms.tex", BIBTEX, "warning"), ("ms.md", MARKDOWN, "warning"), ("ms.tex", BIBER, "error")],
    ids=["bibtex", "pandoc", "biber"],
)
def test_a_trailing_comma_is_judged_by_the_tool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, severity: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["check-citations", "--no-cache", "--format", "concise", "--bib", "refs.bib", name]
    )
    assert (
        f"refs.bib:4:1: {severity} BIB110 @article 'brinck_2008_role' field editor: name 1 "
        "'J. Zlatev, T. P. Racine, C. Sinha,' has 3 commas, 1 at its end: BibTeX drops those "
        "and reads it without an error (as one name, garbled), pandoc reads it, biber drops "
        "the entry"
    ) in result.stdout
    # more commas than the one at the end: BibTeX stops, whatever the tool
    assert "error BIB110 @book 'crowded' field editor" in result.stdout
    assert "BibTeX stops and biber drops the entry" in result.stdout
