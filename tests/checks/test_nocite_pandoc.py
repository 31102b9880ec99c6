"""pandoc's ``nocite`` (front matter, a later metadata block, ``_quarto.yml``, ``_metadata.yml``,
a ``--metadata-file``) cites entries the text does not: none of them is "never cited", ``@*``
cites every entry, and a key the bibliography lacks is a ``nocite-unknown-key`` warning, which
pandoc gives no word of (tests/data/tools/pandoc-nocite: pandoc 2.17 and 3.9 printed the same,
see its README)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

NOCITE = Path(__file__).parents[1] / "data" / "tools" / "pandoc-nocite"
runner = CliRunner()


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "nocite"
    shutil.copytree(NOCITE, root)
    monkeypatch.chdir(root)
    return root


def problems(*args: str) -> list[dict[str, Any]]:
    result = runner.invoke(
        app, ["check-citations", *args, "--unused", "--no-cache", "--output-format", "json"]
    )
    assert result.exit_code == 0, result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)["problems"]
    return found


def never_cited(found: list[dict[str, Any]]) -> set[str]:
    return {p["key"] for p in found if p["code"] == "BIB103"}


@pytest.mark.parametrize(("document", "line"), [("keys.md", 4), ("list.md", 5), ("late.md", 9)])
def test_a_listed_key_is_cited_and_an_absent_one_warned_of(document: str, line: int) -> None:
    found = problems(document)
    assert never_cited(found) == {"other"}  # "listed" was one before
    [absent] = [p for p in found if p["code"] == "CIT206"]
    assert absent["key"] == "absent"
    assert absent["line"] == line
    assert "pandoc's citeproc leaves it out of the references without a word" in absent["message"]
    # (a later metadata block's nocite was read as text: "absent" an unknown key's error)
    assert not [p for p in found if p["code"] == "CIT204"]


def test_every_entry_is_cited_by_an_asterisk() -> None:
    found = problems("every.md")
    assert not [p for p in found if p["code"] in ("BIB103", "BIB109")]


def test_a_metadata_files_nocite_counts() -> None:
    found = problems("plain.md", "--metadata-file", "meta.yaml")
    assert never_cited(found) == {"other"}
    assert [(p["code"], p["key"]) for p in found if p["key"] == "absent"] == [("CIT206", "absent")]


@pytest.mark.parametrize(
    ("files", "unused"),
    [
        ({"_quarto.yml": "nocite: |\n  @listed\n"}, {"other"}),
        ({"_quarto.yml": "nocite: '@listed'\n", "_metadata.yml": "nocite: ['@other']\n"}, set()),
        ({"_quarto.yml": "nocite: '@listed'\n", "_metadata.yml": "nocite: '@other'\n"}, {"listed"}),
        ({"_quarto.yml": "nocite: '@*'\n"}, set()),
    ],
    ids=["project", "list-joins", "string-replaces", "every"],
)
def test_a_quarto_projects_nocite_is_merged_as_quarto_merges_it(
    folder: Path, files: dict[str, str], unused: set[str]
) -> None:
    for name, text in files.items():
        head = "project:\n  type: default\n" if "quarto" in name else ""
        (folder / name).write_text(head + text)
    (folder / "paper.qmd").write_text("---\nbibliography: refs.bib\n---\n\nText [@cited].\n")
    assert never_cited(problems("paper.qmd")) == unused


def test_bibtex_says_it_for_a_natbib_build(folder: Path) -> None:
    # pandoc writes \nocite{listed, absent} for natbib (natbib.out), and BibTeX warns
    text = (folder / "keys.md").read_text().replace("---\n\n", "cite-method: natbib\n---\n\n")
    (folder / "paper.qmd").write_text(text.replace("bibliography", "format: pdf\nbibliography"))
    [absent] = [p for p in problems("paper.qmd") if p["code"] == "CIT206"]
    assert 'BibTeX warns "I didn\'t find a database entry for "absent""' in absent["message"]


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("document", ["keys", "every", "list", "late"])
def test_pandoc_prints_what_the_fixture_says(folder: Path, document: str) -> None:
    done = subprocess.run(
        ["pandoc", "-C", f"{document}.md", "-t", "plain"], capture_output=True, text=True
    )
    assert done.stdout + done.stderr == (folder / f"{document}.out").read_text()


def test_a_nocite_line_under_a_rule_no_line_closes_is_text(folder: Path) -> None:
    # "---" after a blank line and no closing line: pandoc 2.17 reads a rule and a paragraph,
    # whose @absent it warns of ("citation absent not found"): no nocite, a citation
    (folder / "rule.md").write_text(
        "---\nbibliography: refs.bib\n---\n\nText [@cited].\n\n---\nnocite: is @listed, @absent\n"
    )
    result = runner.invoke(
        app, ["check-citations", "--no-cache", "--output-format", "json", "rule.md"]
    )
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["problems"]
    assert [(p["code"], p["line"]) for p in found] == [("CIT204", 8)]
    assert "'absent'" in found[0]["message"]
