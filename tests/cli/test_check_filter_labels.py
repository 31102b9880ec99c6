"""`check-citations` leaves out the ``@`` references a filter resolves before pandoc's citeproc:
pandoc-crossref's labels (a defaults file's or Quarto's ``filters``), pandoc-ling's examples and
``@next``/``@last``, Quarto's cross-references in any case and its custom types
(``crossref: custom: - key: vid``)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()
BIB = "@book{real1, author={A, B}, title={T}, year={2020}, publisher={P}}\n"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QUARTO_PROFILE", raising=False)


def write(files: dict[str, str]) -> None:
    for name, text in files.items():
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(text, encoding="utf-8")


def unknown(*args: str) -> tuple[int, set[str]]:
    result = runner.invoke(app, ["check-citations", "--format", "json", *args])
    data: dict[str, Any] = json.loads(result.stdout)
    keys = {c["cited_key"] for c in data["citations"] if c["status"] == "unknown-key"}
    return result.exit_code, keys


LING_DOC = (
    "---\nbibliography: refs.bib\n---\n\n"
    "::: {#ex:one .ex}\nA first example.\n:::\n\n"
    ":::ex\na.\n| head {#ex:suba}\n| ina-ne\n| follow-have\n| 'while'\n"
    "b.\n| head\n| kiɲe\n| one\n| 'one'\n:::\n\n"
    "::: {#note .aside}\nNot an example {#fig-like}\n:::\n\n"
    "As [@ex:one] and [@ex:suba] and [@last] and [@llast] show [@real1], unlike [@ex:none] "
    "and [@note].\n"
)


def test_pandoc_ling_in_defaults_filters() -> None:
    write(
        {
            "refs.bib": BIB,
            "paper.md": LING_DOC,
            "d.yaml": "filters:\n  - filters/pandoc-ling.lua\n  - citeproc\n",
        }
    )
    code, keys = unknown("-d", "d.yaml", "paper.md")
    # an identifier no example declares, and a div that is no example, are still citations
    assert keys == {"ex:none", "note"}
    assert code == 1


LING = Path(__file__).parents[1] / "data/named/md-ling-template/pandoc/filters/pandoc-ling.lua"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="no pandoc on PATH (CI installs it)")
@pytest.mark.parametrize("with_filter", [True, False], ids=["pandoc-ling", "citeproc-alone"])
def test_pandoc_ling_agrees_with_pandoc(with_filter: bool) -> None:
    """pandoc with pandoc-ling's filter (as md-ling-template vendors it) then citeproc reports
    "not found" for exactly argmap's unknown keys; without the filter, for every reference."""
    write({"refs.bib": BIB, "paper.md": LING_DOC})
    filters = ["filters/pandoc-ling.lua"] if with_filter else []
    write({"d.yaml": f"filters: {json.dumps([*filters, 'citeproc'])}\n"})
    write({"filters/pandoc-ling.lua": LING.read_text(encoding="utf-8")})
    pandoc = subprocess.run(
        ["pandoc", "-d", "d.yaml", "paper.md", "-t", "plain", "-o", "/dev/null"],
        capture_output=True,
        text=True,
        check=True,
    )
    expected = set(re.findall(r"[Cc]itation (\S+) not found", pandoc.stderr))
    assert len(expected) == (2 if with_filter else 6)
    _, keys = unknown("-d", "d.yaml", "paper.md")
    assert keys == expected


def test_without_pandoc_ling_every_example_reference_is_a_citation() -> None:
    write({"refs.bib": BIB, "paper.md": LING_DOC, "d.yaml": "citeproc: true\n"})
    _, keys = unknown("-d", "d.yaml", "paper.md")
    assert keys == {"ex:one", "ex:suba", "last", "llast", "ex:none", "note"}


def test_pandoc_crossref_capitalized_reference() -> None:
    """pandoc-crossref lowers a reference's first letter to find its prefix (``@Fig:x`` prints
    "Fig. 1"); ``@FIG:x`` and ``@fog:x`` are not its."""
    write(
        {
            "refs.bib": BIB,
            "paper.md": "---\nbibliography: refs.bib\n---\n\n"
            "[@Fig:a; @tbl:b; @Sec:c; @FIG:d; @fog:e; @real1]\n",
            "d.yaml": "filters: [pandoc-crossref]\n",
        }
    )
    _, keys = unknown("-d", "d.yaml", "paper.md")
    assert keys == {"FIG:d", "fog:e"}


def test_quarto_filters_in_project_and_front_matter() -> None:
    write(
        {
            "_quarto.yml": "project:\n  type: default\nbibliography: refs.bib\n"
            "filters:\n  - cysouw/pandoc-ling\n",
            "refs.bib": BIB,
            "a.qmd": LING_DOC.replace("bibliography: refs.bib\n", "title: a\n"),
            "b.qmd": "---\nfilters:\n  - path: pandoc-crossref\n---\n\n[@fig:x; @real1; @ex:one]\n",
        }
    )
    _, keys = unknown("a.qmd")
    assert keys == {"ex:none", "note"}
    # b.qmd: the project's pandoc-ling runs (it declares no example), and its own pandoc-crossref
    _, keys = unknown("b.qmd")
    assert keys == {"ex:one"}


def test_quarto_cross_references_in_any_case_and_custom_types() -> None:
    write(
        {
            "_quarto.yml": "project:\n  type: default\nbibliography: refs.bib\n"
            "crossref:\n  custom:\n    - kind: float\n      key: vid\n"
            "      reference-prefix: Video\n",
            "refs.bib": BIB,
            "a.qmd": "---\ntitle: a\n---\n\n[@Fig-a; @TBL-b; @vid-c; @Vid-d; @aud-e; @real1]\n",
        }
    )
    _, keys = unknown("a.qmd")
    assert keys == {"aud-e"}


@pytest.mark.parametrize("fast", [False, True], ids=["typer", "quick-reader"])
def test_filter_option_as_pandocs_command_line(
    fast: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--filter pandoc-crossref`` / ``--filter pandoc-ling.lua`` stand for pandoc's
    ``--filter``/``--lua-filter`` on a Makefile's command line (no defaults file)."""
    write({"refs.bib": BIB, "paper.md": LING_DOC.replace("[@note]", "[@fig:x]")})
    args = ["--filter", "pandoc-crossref", "--filter", "pandoc-ling.lua", "paper.md"]
    if fast:
        from argmap.cli.checking import run_check_citations
        from argmap.cli.quick import check_arguments

        values = check_arguments([*args, "--format", "json"], {})
        assert values is not None and values["filters"] == ["pandoc-crossref", "pandoc-ling.lua"]
        with pytest.raises(SystemExit):
            run_check_citations(**values)
        data = json.loads(capsys.readouterr().out)
        keys = {c["cited_key"] for c in data["citations"] if c["status"] == "unknown-key"}
    else:
        _, keys = unknown(*args)
    assert keys == {"ex:none"}


def test_filter_alone_keeps_the_documents_beside_a_staged_bibliography() -> None:
    """pre-commit with ``args: [--filter, pandoc-crossref]`` passes only refs.bib: the document
    beside it that names it is still checked (a key it cites, gone), its @fig:x no citation."""
    write(
        {
            "refs.bib": "@book{other, author={A, B}, title={T}, year={2020}, publisher={P}}\n",
            "paper.md": "---\nbibliography: refs.bib\n---\n\n[@real1; @fig:x]\n",
        }
    )
    code, keys = unknown("--filter", "pandoc-crossref", "refs.bib")
    assert keys == {"real1"}
    assert code == 1


def test_filter_alone_looks_for_the_bibliography_as_without_it() -> None:
    """``--filter`` says nothing of where pandoc runs: a document in a folder of its own, run
    from above, finds its ``bibliography: refs.bib`` beside it as without the option (after
    round 27's merge it stopped with "pandoc run here does not find it", exit 2)."""
    write(
        {
            "sub/refs.bib": BIB,
            "sub/paper.md": "---\nbibliography: refs.bib\n---\n\n[@real1; @fig:x]\n",
        }
    )
    assert unknown("sub/paper.md") == (1, {"fig:x"})
    assert unknown("--filter", "pandoc-crossref", "sub/paper.md") == (0, set())
