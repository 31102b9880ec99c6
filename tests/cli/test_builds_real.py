"""Real documents built with a pandoc defaults file, a metadata file, or several output formats
(``tests/data/named``, sources in its README), checked as a writer checks them: from the
repository's root, with the options their Makefile gives pandoc, no ``--bib``."""

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

DATA = Path(__file__).parents[1] / "data" / "named"
runner = CliRunner()


def check(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, Any, str]:
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["check-citations", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_md_ling_template_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With its defaults file (pandoc-crossref among the filters), the article's cross
    references are no citations: what is left is one typed citation of a work not in
    sources.bib, true."""
    root = shutil.copytree(DATA / "md-ling-template", tmp_path / "t")
    code, data, stderr = check(
        root, monkeypatch, "--defaults", "pandoc/defaults.yaml", "blueprints/article.md"
    )
    assert code == 1
    assert "bibliography blueprints/sources.bib" in stderr
    assert [(c["text"], c["status"]) for c in data["citations"] if c["status"] != "ok"] == [
        ("Smeets 2007", "missing")
    ]
    assert sum(c["status"] == "ok" for c in data["citations"]) == 6


def test_md_ling_template_slides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The slides' ``[@ex:nonlex]``, ``[@ex:agree]``, ``[@ex:zero]`` are references to its
    pandoc-ling examples (the defaults file runs pandoc/filters/pandoc-ling.lua): no findings
    (round 26 reported them as 3 unknown keys; pandoc 2.17 with the filter reports none)."""
    root = shutil.copytree(DATA / "md-ling-template", tmp_path / "t")
    code, data, _ = check(
        root, monkeypatch, "--defaults", "pandoc/defaults.yaml", "blueprints/slides.md"
    )
    assert code == 0
    assert [c["status"] for c in data["citations"]] == ["ok"] * 6


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="no pandoc on PATH (CI installs it)")
def test_md_ling_template_without_crossref_agrees_with_pandoc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pandoc-crossref (not installed here), pandoc's citeproc reports the cross
    references as citations not found: exactly argmap's unknown keys."""
    root = shutil.copytree(DATA / "md-ling-template", tmp_path / "t")
    (root / "plain.yaml").write_text(
        "citeproc: true\nmetadata-files:\n  - pandoc/crossref-en-US.yaml\n", encoding="utf-8"
    )
    pandoc = subprocess.run(
        ["pandoc", "-d", "plain.yaml", "blueprints/article.md", "-t", "plain", "-o", "/dev/null"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    expected = set(re.findall(r"[Cc]itation (\S+) not found", pandoc.stderr))
    assert len(expected) == 7
    _, data, _ = check(root, monkeypatch, "-d", "plain.yaml", "blueprints/article.md")
    assert {c["cited_key"] for c in data["citations"] if c["status"] == "unknown-key"} == expected


def test_markdown_cv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = shutil.copytree(DATA / "markdown-cv", tmp_path / "cv")
    code, data, stderr = check(root, monkeypatch, "--defaults", "defaults.yaml", "main.md")
    assert code == 0, stderr
    assert (
        "main.md: bibliographies publications/refereed.bib, publications/conference.bib, "
        "named in the metadata file meta.yaml" in stderr
    )
    assert data["citations"] == []


def test_bookdown_chapter_built_by_citeproc_and_natbib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = shutil.copytree(DATA / "bookdown-natbib", tmp_path / "book")
    code, data, stderr = check(root, monkeypatch, "02-literature.Rmd")
    assert code == 1
    assert (
        "built with pandoc's citeproc for bookdown::gitbook, BibTeX for bookdown::pdf_book "
        "(citation_package: natbib in _output.yml" in stderr
    )
    # typed author-year citations of works the one-entry book.bib lacks: all true
    assert {c["status"] for c in data["citations"]} == {"missing"}
    assert len(data["citations"]) == 8


def test_quarto_manuscript_csl_per_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """eidtg/manuscript names its CSL style under each format (typst, html, docx) of
    _quarto.yml: found, the check goes on; without the file, Quarto's typst render stops in
    Typst ("file not found": Quarto passes csl to its bibliography's style, Typst 0.15), and its
    html render in pandoc ("File draft.csl not found in resource path"): argmap names
    _quarto.yml's line of the typst format's csl, the first format (round 28: the html
    format's, taking the typst format's for a name of Typst's own styles)."""
    root = shutil.copytree(DATA / "quarto-manuscript-csl", tmp_path / "m")
    code, data, stderr = check(root, monkeypatch, "index.qmd")
    assert code == 0, stderr
    assert [c["status"] for c in data["citations"]] == ["ok"]
    (root / "draft.csl").unlink()
    result = runner.invoke(app, ["check-citations", "index.qmd"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "argmap: error: _quarto.yml:13 csl: 'draft.csl': no such CSL style"
    )
    assert 'Typst (format typst) stops on it ("file not found")' in result.stderr


def test_quarto_dissertation_project_csl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """bryanlockwald/quarto-dissertation: _quarto.yml's ``csl: styles/….csl`` names a file of
    the project's folder, which Quarto rewrites for a chapter in chapters/ (its
    toInputRelativePaths): no false stop from the chapter's folder."""
    root = shutil.copytree(DATA / "quarto-dissertation", tmp_path / "d")
    for doc in ("chapters/paper1.qmd", "index.qmd"):
        code, data, stderr = check(root, monkeypatch, doc)
        assert code == 0, stderr
        assert "bibliography chapters/references.bib, named in _quarto.yml (line 23)" in stderr
        assert [c["status"] for c in data["citations"]] == ["ok"]
    (root / "styles" / "american-political-science-association.csl").unlink()
    result = runner.invoke(app, ["check-citations", "chapters/paper1.qmd"])
    assert result.exit_code == 2
    assert "_quarto.yml:24 csl: 'styles/american-political-science-association.csl'" in (
        result.stderr
    )
