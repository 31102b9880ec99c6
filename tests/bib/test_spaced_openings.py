"""An entry whose brace follows its type on another line, or after a ``%`` comment
(``@article`` then ``{nl,``), read as the tools read it (tests/data/tools/spaced, built with
BibTeX 0.99d, biber 2.18 and pandoc 2.17 and 3.9: see its README). bibtexparser passes such an
entry over as a comment; argmap shows it the brace moved up, lines unchanged."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.bib.junk import toplevel_junk
from argmap.bib.reader import bibliography_from_text, load_bibliography
from argmap.cli.app import app

SPACED = Path(__file__).parents[1] / "data" / "tools" / "spaced"
runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "spaced"
    shutil.copytree(SPACED, root)
    monkeypatch.chdir(root)
    return root


def statuses(document: str) -> dict[str, str]:
    """The status of each citation check-citations gives ``document``, by key."""
    result = runner.invoke(
        app, ["check-citations", document, "--no-cache", "--output-format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    return {c["key"]: c["status"] for c in json.loads(result.stdout)["citations"]}


def test_each_entry_is_read_at_its_line(folder: Path) -> None:
    bib = load_bibliography(folder / "refs.bib", use_cache=False)
    got = {key: (e.type, e.line, e.get("title")) for key, e in bib.entries.items()}
    assert got == {
        "nl": ("article", 1, "Newline before brace"),
        "pc": ("book", 9, "Percent comment between"),
        "bl": ("misc", 17, "Blank line between"),
    }
    assert bib.problems == []


@pytest.mark.parametrize("document", ["biber.tex", "pandoc.md"])
def test_biber_and_pandoc_documents_find_all_three(folder: Path, document: str) -> None:
    # biber's .bbl has \entry{nl}, \entry{pc} and \entry{bl}; pandoc prints the three
    assert statuses(document) == {"nl": "ok", "pc": "ok", "bl": "ok"}


def test_a_bibtex_document_finds_the_entries_after_new_lines(folder: Path) -> None:
    # BibTeX's .bbl prints nl and bl (pc, after a "%", it skips: "I was expecting a `{' or a
    # `('", which argmap does not say yet)
    got = statuses("bibtex.tex")
    assert (got["nl"], got["bl"]) == ("ok", "ok")


def test_btxdoc_fake_entry_is_read() -> None:
    # BibTeX's own btxdoc.bib: a type with a hyphen, then the brace on the next line
    text = (
        "@FAKE-ENTRY\n        {fake-database-key,\n"
        '        never-to-be-used-field = "Even if"\n        }\n'
    )
    bib = bibliography_from_text(text, Path("btxdoc.bib"))
    entry = bib.get("fake-database-key")
    assert entry is not None and (entry.type, entry.line) == ("fake-entry", 1)


def test_biber_counts_no_junk_at_such_an_entry() -> None:
    # the text after it is judged as after any entry
    text = "@article\n{a, title = {T}}\nstray }\n@misc{b, title = {U}}\n"
    # biber 2.18: "line 4, warning: 6 characters of junk seen at toplevel"
    assert toplevel_junk(text) == [(4, 6, 3)]


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_itself_reads_the_new_lines_but_not_the_comment(folder: Path) -> None:
    if not subprocess.run(["kpsewhich", "plain.bst"], capture_output=True).stdout.strip():
        pytest.skip("TeX Live's plain.bst is not installed (kpsewhich finds none)")
    (folder / "bibtex.aux").write_text(
        "\\citation{nl}\n\\citation{pc}\n\\citation{bl}\n\\bibstyle{plain}\n\\bibdata{refs}\n"
    )
    done = subprocess.run(["bibtex", "bibtex"], cwd=folder, capture_output=True, text=True)
    assert "I was expecting a `{' or a `('---line 9 of file refs.bib" in done.stdout
    bbl = (folder / "bibtex.bbl").read_text()
    assert "\\bibitem{nl}" in bbl and "\\bibitem{bl}" in bbl and "\\bibitem{pc}" not in bbl


@pytest.mark.parametrize(
    "opening", ["@string\n{jn = {Spaced Journal}}", "@STRING\n  (jn = {Spaced Journal})"]
)
def test_a_string_whose_brace_follows_on_another_line_is_defined(opening: str) -> None:
    # BibTeX 0.99d (plain.bst) printed "Spaced Journal" for 'a'; so did pandoc 2.17. argmap read
    # the entry but not the @string: a false "undefined @string 'jn'" and "lacks journal"
    text = opening + "\n@article\n{a, author = {A. Author}, title = {T}, journal = jn}\n"
    bib = bibliography_from_text(text, Path("spaced.bib"))
    entry = bib.get("a")
    assert entry is not None and entry.get("journal") == "Spaced Journal"
    assert bib.problems == []
