"""A field that is nothing but an undefined @string, read as the document's tool reads it:
empty for BibTeX and biber, the name itself for pandoc (tests/data/tools/undefined, built with
BibTeX 0.99d, biber 2.18 and pandoc 2.17 and 3.9: see its README)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tex_styles import require_style
from typer.testing import CliRunner

from argmap.bib.reader import bibliography_from_text
from argmap.bib.undefined import blank_undefined
from argmap.cli.app import app

UNDEFINED = Path(__file__).parents[1] / "data" / "tools" / "undefined"
runner = CliRunner()
# BibTeX 0.99d's warnings for bibtex.tex with plain.bst, but its "string name ... is undefined"
BIBTEX = {
    "to sort, need author, editor, or key in auth",
    "empty author or editor in auth",
    "empty year in auth",
    "empty journal in und",
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "undefined"
    shutil.copytree(UNDEFINED, root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return root


def findings(document: str, *options: str) -> list[dict[str, str]]:
    """The problems check-citations reports for ``document``."""
    result = runner.invoke(app, ["check-citations", document, "--output-format", "json", *options])
    assert result.exit_code in (0, 1), result.output
    return list(json.loads(result.stdout)["problems"])


def missing(problems: list[dict[str, str]]) -> set[str]:
    """The BIB101 findings, in BibTeX's words."""
    out: set[str] = set()
    for p in problems:
        if p["code"] != "BIB101":
            continue
        quoted = re.search(r'warns "([^"]+)"', p["message"])
        if quoted:
            out.add(quoted[1])
            continue
        fields = re.search(r"lacks required field\(s\): ([^(\[]*)", p["message"])
        assert fields is not None, p["message"]
        out |= {f"empty {f.strip()} in {p['key']}" for f in fields[1].split(", ")}
    return out


def test_bibtex_reads_them_empty(folder: Path) -> None:
    require_style("plain.bst")
    problems = findings("bibtex.tex", "--no-cache")
    assert missing(problems) == BIBTEX
    undefined = {
        (p["line"], p["message"].split("@string '")[1].split("'")[0])
        for p in problems
        if p["code"] == "BIB206"
    }
    assert undefined == {(4, "jgr"), (13, "jgr"), (18, "nobody"), (21, "yr")}


def test_biber_reads_them_empty(folder: Path) -> None:
    # biber's .bbl: no journaltitle for und, no author and no year for auth
    assert missing(findings("biber.tex", "--no-cache")) == {
        "empty journaltitle or journal in und",
        "empty author or editor in auth",
        "empty date or year in auth",
    }


def test_pandoc_prints_the_names(folder: Path) -> None:
    assert missing(findings("pandoc.md", "--no-cache")) == set()


@pytest.mark.parametrize("first", ["bibtex.tex", "biber.tex", "pandoc.md"])
def test_the_cache_keeps_no_tools_reading(folder: Path, first: str) -> None:
    documents = ("bibtex.tex", "biber.tex", "pandoc.md")
    fresh = {d: findings(d, "--no-cache") for d in documents}
    findings(first)
    for document in documents:
        assert findings(document) == fresh[document], document


@pytest.mark.parametrize(
    ("document", "und", "cat"),
    [
        (
            "bibtex.tex",
            'BibTeX warns ("string name "jgr" is undefined") and leaves it out: \'und\' prints '
            "without its journal",
            # BibTeX's .bbl: {\\em J. Letters}
            'BibTeX warns ("string name "jgr" is undefined") and leaves it out: its journal '
            "prints without the name",
        ),
        (
            "biber.tex",
            'biber warns ("undefined macro "jgr"") and leaves it out: \'und\' prints without '
            "its journal",
            # biber's .bbl: \\field{journaltitle}{J. Letters}
            'biber warns ("undefined macro "jgr"") and leaves it out: its journal prints '
            "without the name",
        ),
        (
            "pandoc.md",
            "pandoc prints the name as the text, silently",  # "Jgr"
            "pandoc prints the name as the text, silently",  # "J. Jgr Letters"
        ),
    ],
    ids=["bibtex", "biber", "pandoc"],
)
def test_each_tool_warns_and_builds(folder: Path, document: str, und: str, cat: str) -> None:
    # none of the three stops on an undefined @string: a warning, saying what is printed
    if document == "bibtex.tex":
        require_style("plain.bst")
    said = {
        p["key"]: (p["severity"], p["message"].split("': ", 1)[1])
        for p in findings(document, "--no-cache")
        if p["code"] == "BIB206" and p["key"] in ("und", "cat")
    }
    assert said == {"und": ("warning", und), "cat": ("warning", cat)}


def test_a_bst_macro_is_no_undefined_string() -> None:
    # plain.bst defines cacm (MACRO {cacm} {"Communications of the ACM"}): BibTeX reads it
    text = "@article{a, author = {A, B}, journal = cacm, title = {T}, year = 2000, note = nope}"
    bib = bibliography_from_text(text, Path("r.bib"))
    assert blank_undefined(bib, {"cacm"}) == ["a"]
    entry = bib.get("a")
    assert entry is not None
    assert entry.get("journal") == "cacm" and entry.get("note") is None


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_itself_says_so(folder: Path) -> None:
    require_style("plain.bst")
    (folder / "bibtex.aux").write_text(
        "\\citation{und}\n\\citation{cat}\n\\citation{auth}\n\\bibstyle{plain}\n\\bibdata{refs}\n"
    )
    done = subprocess.run(["bibtex", "bibtex"], cwd=folder, capture_output=True, text=True)
    warned = set(re.findall(r"^Warning--(.*)$", done.stdout, re.M))
    assert {w.replace(" and editor", " or editor") for w in warned if "string name" not in w} == (
        BIBTEX
    )
