"""BIB110 on biblatex's extended name format (``family=..., given=..., prefix=de``): biber 2.18
and pandoc 2.17 read it, BibTeX stops ("Too many commas in name"); so it is nothing for a
document built with biber or pandoc, an error for one built with BibTeX, a warning when no
document tells its tool."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()

# Reduced from Better BibTeX's export fixture "Option to omit last name prefixes #3295.biblatex"
# (retorquere/zotero-better-bibtex, MIT licence); biber 2.18 puts the entry in the .bbl with
# family, given and prefix, pandoc prints "Pina-Cabral, João de. 2018".
BIB = """@article{Pina-Cabral_2018,
  title = {Modes of Participation},
  author = {family=Pina-Cabral, given=João, prefix=de, useprefix=true},
  date = {2018-12-01},
  journaltitle = {Anthropological Theory},
}
@manual{recordr,
  author = {Peter Slaughter, Matthew B. Jones, Christopher Jones, Lauren Palmer},
  title = {recordr},
  year = {2017},
}
"""
BIBER = (
    "\\documentclass{article}\n\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n"
    "\\begin{document}\n\\cite{Pina-Cabral_2018,recordr}\n\\end{document}\n"
)
BIBTEX = (
    "\\documentclass{article}\n\\begin{document}\n\\cite{Pina-Cabral_2018,recordr}\n"
    "\\bibliography{refs}\n\\end{document}\n"
)


@pytest.mark.parametrize(
    ("name", "text", "level"),
    [
        ("ms.tex", BIBER, None),
        ("ms.md", "See [@Pina-Cabral_2018; @recordr].\n", None),
        ("ms.tex", BIBTEX, "error"),
        ("ms.txt", "See Pina-Cabral (2018) and Slaughter et al. (2017).\n", "warning"),
    ],
    ids=["biber", "pandoc", "bibtex", "tool-unknown"],
)
def test_the_extended_name_format_is_judged_by_the_documents_tool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, level: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["check-citations", "--no-cache", "--format", "concise", "--bib", "refs.bib", name]
    )
    found = [line for line in result.stdout.splitlines() if "BIB110" in line]
    extended = [line for line in found if "Pina-Cabral" in line]
    # names separated by commas stay an error for every tool
    assert any("error BIB110 @manual 'recordr'" in line for line in found)
    if level is None:
        assert extended == []
    else:
        [line] = extended
        assert f"{level} BIB110" in line and "extended name format" in line
