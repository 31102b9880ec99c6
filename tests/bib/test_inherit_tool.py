"""A crossref naming its parent in another case, resolved as the tool that builds the document
resolves it (tests/data/tools/crossref, built with BibTeX, biber and pandoc: see its README)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.bib.inherit import link
from argmap.bib.reader import bibliography_from_text
from argmap.cli.app import app

CROSSREF = Path(__file__).parents[1] / "data" / "tools" / "crossref"
runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the crossref documents, as the working directory, with a cache of its own."""
    root = tmp_path / "crossref"
    shutil.copytree(CROSSREF, root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return root


def findings(document: str, *options: str) -> list[dict[str, object]]:
    """The problems check-citations reports for one document, as JSON."""
    result = runner.invoke(app, ["check-citations", document, "--output-format", "json", *options])
    assert result.exit_code in (0, 1), result.output
    return list(json.loads(result.stdout)["problems"])


def of_child(problems: list[dict[str, object]]) -> list[tuple[object, object]]:
    """The codes and severities of the problems of the entry whose crossref is in another case."""
    return sorted((p["code"], p["severity"]) for p in problems if p.get("key") == "child")


def test_bibtex_finds_the_parent_in_another_case(folder: Path) -> None:
    # BibTeX 0.99d prints the parent's journal and year: no missing crossref, no missing field
    assert of_child(findings("bibtex.tex", "--no-cache")) == []


@pytest.mark.parametrize(
    ("document", "tool"),
    [("biber.tex", "biber, which builds the document"), ("pandoc.md", "pandoc, which builds")],
)
def test_biber_and_pandoc_do_not(folder: Path, document: str, tool: str) -> None:
    problems = findings(document, "--no-cache")
    assert of_child(problems) == [("BIB101", "warning"), ("BIB105", "error")]
    [crossref] = [p for p in problems if p["code"] == "BIB105"]
    message = str(crossref["message"])
    assert "'WHOLE-JOURNAL', which is 'whole-journal' (line 7) in another case" in message
    assert tool in message


def test_a_bibliography_checked_alone_warns(folder: Path) -> None:
    bib = bibliography_from_text((folder / "refs.bib").read_text(), folder / "refs.bib")
    [problem] = [p for p in bib.problems if p.kind == "missing-crossref"]
    assert problem.severity == "warning"
    assert "BibTeX finds it, but biber and pandoc do not" in problem.message
    assert bib.case_crossrefs
    assert bib.get("child") is not None and bib.get("child").get("journal") is None  # type: ignore[union-attr]
    link(bib, tool="bibtex")
    assert not [p for p in bib.problems if p.kind == "missing-crossref"]
    assert bib.get("child").get("journal") == "Gnus Journal"  # type: ignore[union-attr]


@pytest.mark.parametrize("first", ["biber.tex", "bibtex.tex", "pandoc.md"])
def test_the_cache_does_not_carry_one_tools_links_to_another(folder: Path, first: str) -> None:
    # whichever document fills the cache first, each gets what it gets without the cache
    fresh = {d: findings(d, "--no-cache") for d in ("bibtex.tex", "biber.tex", "pandoc.md")}
    findings(first)
    for document, expected in fresh.items():
        assert findings(document) == expected, document


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_itself_inherits_across_the_case(folder: Path) -> None:
    (folder / "bibtex.aux").write_text(
        "\\citation{child}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="utf-8"
    )
    subprocess.run(["bibtex", "-terse", "bibtex"], cwd=folder, capture_output=True, check=False)
    assert "Gnus Journal" in (folder / "bibtex.bbl").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("biber") is None, reason="biber is not installed")
def test_biber_itself_does_not(folder: Path) -> None:
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (it writes the .bcf biber reads)")
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "biber.tex"],
        cwd=folder,
        capture_output=True,
        check=False,
    )
    if not (folder / "biber.bcf").exists():
        pytest.skip("biblatex is not installed (no .bcf written)")
    done = subprocess.run(["biber", "biber"], cwd=folder, capture_output=True, text=True)
    assert "Possible typo (case mismatch)" in done.stdout
    assert "Gnus Journal" not in (folder / "biber.bbl").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("documents", "said"),
    [
        (
            ("bibtex.tex", "biber.tex"),
            'biber, which builds some of the documents checked with it, does not find it ("Possible'
            ' typo (case mismatch)") and the entry inherits nothing there; BibTeX, which builds '
            "others, finds it",
        ),
        (
            ("bibtex.tex", "pandoc.md"),
            "pandoc, which builds some of the documents checked with it, does not find it and the "
            "entry inherits nothing there; BibTeX, which builds others, finds it",
        ),
        (
            ("biber.tex", "pandoc.md"),
            "biber, which builds some of the documents checked with it, does not find it "
            '("Possible typo (case mismatch)") and the entry inherits nothing there; pandoc, '
            "which builds others, does not find it",
        ),
    ],
)
def test_documents_built_with_two_tools_get_each_tools_reading(
    folder: Path, documents: tuple[str, str], said: str
) -> None:
    # round 26: one warning, "BibTeX finds it, but biber and pandoc do not", whichever tools
    # built the documents, where the document built with biber or pandoc loses the parent
    problems = findings(documents[0], documents[1], "--no-cache")
    assert of_child(problems) == [("BIB101", "warning"), ("BIB105", "error")]
    [crossref] = [p for p in problems if p["code"] == "BIB105"]
    assert str(crossref["message"]).endswith(f"in another case: {said}")
