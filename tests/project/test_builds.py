"""The output formats, bibliographies and tools of Quarto and R Markdown documents
(``argmap.project.builds``), read from their configuration files alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.manuscripts.named import NamedFile
from argmap.project.builds import quarto_builds, quarto_project, rmarkdown_builds


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def builds(path: Path, own: list[str] | None = None) -> dict[str, tuple[list[str], str]]:
    text = path.read_text(encoding="utf-8")
    project = quarto_project(path.parent)
    found = quarto_builds(path, text, project, None, [])
    return {
        b.output: ([n.written for n in b.files or []], b.tool.name if b.tool else "") for b in found
    }


@pytest.fixture(autouse=True)
def no_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUARTO_PROFILE", raising=False)


def test_each_format_merges_top_level_then_its_own(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "_quarto.yml": "bibliography: [a.bib]\nformat:\n  html: default\n  pdf:\n"
            "    bibliography: [b.bib]\n    cite-method: biblatex\n",
            "doc.qmd": "text\n",
        },
    )
    assert builds(tmp_path / "doc.qmd") == {
        "html": (["a.bib"], "pandoc"),
        "pdf": (["a.bib", "b.bib"], "biber"),
    }


def test_first_named_profile_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "_quarto.yml": "bibliography: base.bib\n",
            "_quarto-one.yml": "bibliography: one.bib\n",
            "_quarto-two.yml": "bibliography: two.bib\n",
            "doc.qmd": "text\n",
        },
    )
    monkeypatch.setenv("QUARTO_PROFILE", "one,two")
    assert builds(tmp_path / "doc.qmd") == {"html": (["one.bib"], "pandoc")}
    monkeypatch.setenv("QUARTO_PROFILE", "two one")
    assert builds(tmp_path / "doc.qmd") == {"html": (["two.bib"], "pandoc")}


def test_a_format_switched_off_is_not_rendered(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"_quarto.yml": "format:\n  html: default\n  pdf: false\n", "doc.qmd": "text\n"},
    )
    assert list(builds(tmp_path / "doc.qmd")) == ["html"]


def test_natbib_in_an_html_format_is_citeproc(tmp_path: Path) -> None:
    write(tmp_path, {"doc.qmd": "---\nformat:\n  html:\n    cite-method: natbib\n---\n"})
    assert builds(tmp_path / "doc.qmd") == {"html": ([], "pandoc")}


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("output: html_document\n", [("", "pandoc")]),
        (
            "output:\n  pdf_document:\n    citation_package: biblatex\n",
            [("pdf_document", "biber")],
        ),
        (
            "output:\n  html_document: default\n  pdf_document:\n    citation_package: natbib\n",
            [("html_document", "pandoc"), ("pdf_document", "bibtex")],
        ),
        (
            "output:\n  word_document:\n    citation_package: natbib\n",
            [("word_document", "pandoc")],
        ),
        # rticles' own defaults (R/article.R: elsevier_article's citation_package = "natbib")
        ("output: rticles::elsevier_article\n", [("rticles::elsevier_article", "bibtex")]),
        ("output:\n  rticles::plos_article: default\n", [("rticles::plos_article", "pandoc")]),
        ("output: rticles::pihph_article\n", [("rticles::pihph_article", "biber")]),
        (
            "output:\n  rticles::elsevier_article:\n    citation_package: default\n",
            [("rticles::elsevier_article", "pandoc")],
        ),
        (
            "output:\n  rticles::elsevier_article:\n    citation_package: biblatex\n",
            [("rticles::elsevier_article", "biber")],
        ),
        # ams_article passes natbib whatever is written; oup's depends on oup_version
        (
            "output:\n  rticles::ams_article:\n    citation_package: default\n",
            [("rticles::ams_article", "bibtex")],
        ),
        ("output: rticles::oup_article\n", [("rticles::oup_article", "pandoc")]),
        (
            "output:\n  rticles::oup_article:\n    oup_version: 1\n",
            [("rticles::oup_article", "bibtex")],
        ),
        (
            "output:\n  bookdown::pdf_book:\n    base_format: rticles::elsevier_article\n",
            [("bookdown::pdf_book", "bibtex")],
        ),
        # pandoc_args
        (
            "output:\n  pdf_document:\n    pandoc_args: [--natbib]\n",
            [("pdf_document", "bibtex")],
        ),
        (
            "output:\n  pdf_document:\n    pandoc_args: ['--biblatex']\n",
            [("pdf_document", "biber")],
        ),
        (
            "output:\n  rticles::elsevier_article:\n    pandoc_args: [--citeproc]\n",
            [("rticles::elsevier_article", "pandoc")],
        ),
    ],
)
def test_r_markdown_tools(tmp_path: Path, front: str, expected: list[tuple[str, str]]) -> None:
    path = tmp_path / "p.Rmd"
    text = f"---\n{front}---\n\ntext\n"
    path.write_text(text, encoding="utf-8")
    found = rmarkdown_builds(path, text, None, [])
    assert [(b.output, b.tool.name if b.tool else None) for b in found] == expected


def test_the_style_a_natbib_format_is_given(tmp_path: Path) -> None:
    """biblio-style: the project's top-level value, a format's own, the document's (Quarto's
    order, the later wins); citeproc formats take none."""
    write(
        tmp_path,
        {
            "_quarto.yml": "biblio-style: apalike\nformat:\n  html: default\n  pdf:\n"
            "    cite-method: natbib\n  beamer:\n    cite-method: biblatex\n"
            "    biblio-style: authoryear\n",
            "doc.qmd": "text\n",
            "own.qmd": "---\nbiblio-style: plainnat\n---\n\ntext\n",
        },
    )
    found = {
        b.output: b.tool
        for b in quarto_builds(tmp_path / "doc.qmd", "text\n", quarto_project(tmp_path), None, [])
    }
    assert {k: (t.name, t.style) for k, t in found.items() if t} == {
        "html": ("pandoc", None),
        "pdf": ("bibtex", "apalike"),
        "beamer": ("biber", "authoryear"),
    }
    text = (tmp_path / "own.qmd").read_text(encoding="utf-8")
    own = {
        b.output: b.tool
        for b in quarto_builds(tmp_path / "own.qmd", text, quarto_project(tmp_path), None, [])
    }
    assert own["pdf"] is not None and own["pdf"].style == "plainnat"
    # the document's top-level value wins over the project's format-level one: Quarto resolves
    # each layer's formats (top-level, then format) before merging the layers
    assert own["beamer"] is not None and own["beamer"].style == "plainnat"


def test_r_markdown_biblio_style(tmp_path: Path) -> None:
    path = tmp_path / "p.Rmd"
    text = "---\nbiblio-style: apsr\noutput:\n  pdf_document:\n    citation_package: natbib\n---\n"
    path.write_text(text, encoding="utf-8")
    [build] = rmarkdown_builds(path, text, None, [])
    assert build.tool is not None and (build.tool.name, build.tool.style) == ("bibtex", "apsr")


def test_the_style_of_a_book_whose_formats_are_in_output_yml(tmp_path: Path) -> None:
    """bookdown's own template: the formats in _output.yml, the front matter with no output:
    but a biblio-style, which pandoc's LaTeX template passes to \\bibliographystyle."""
    write(
        tmp_path,
        {
            "_bookdown.yml": 'book_filename: "x"\n',
            "_output.yml": "bookdown::pdf_book:\n  citation_package: natbib\n",
        },
    )
    path = tmp_path / "index.Rmd"
    text = "---\nsite: bookdown::bookdown_site\nbiblio-style: apalike\n---\n\ntext\n"
    path.write_text(text, encoding="utf-8")
    [build] = rmarkdown_builds(path, text, None, [])
    assert build.tool is not None and (build.tool.name, build.tool.style) == ("bibtex", "apalike")


def test_r_markdown_pandoc_args_bibliography_filters_and_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--bibliography FILE`` (or ``=FILE``) in a format's pandoc_args is that format's
    bibliography; ``--lua-filter``/``-F`` name filters whose labels are no citations; ``-d``
    and ``--metadata-file`` are read as pandoc run in the document's folder reads them."""
    monkeypatch.chdir(tmp_path)
    path = Path("sub/p.Rmd")
    path.parent.mkdir()
    text = (
        "---\nbibliography: own.bib\noutput:\n  html_document:\n    pandoc_args:\n"
        "      - --bibliography=other.bib\n      - --lua-filter\n      - filters/pandoc-ling.lua\n"
        "  pdf_document:\n    pandoc_args: [-F, pandoc-crossref, -d, d.yaml]\n---\n\n"
        "::: {#ex:a .ex}\nx\n:::\n"
    )
    path.write_text(text, encoding="utf-8")
    (path.parent / "d.yaml").write_text("bibliography: dd.bib\n", encoding="utf-8")
    notes: list[str] = []
    own = [NamedFile("own.bib", path, 2, "bibliography", "its front matter")]
    html, pdf = rmarkdown_builds(path, text, own, notes)
    assert html.files is not None and [(n.written, n.line) for n in html.files] == [
        ("other.bib", 6)
    ]
    assert html.labels is not None and html.labels.covers("ex:a")
    assert not html.labels.covers("fig:a")
    assert html.run is None
    # the defaults file, found beside the document (where rmarkdown runs pandoc), read
    assert pdf.run is not None and pdf.run.defaults == (path.parent / "d.yaml",)
    assert pdf.run.bibliography is not None
    assert [n.written for n in pdf.run.bibliography] == ["dd.bib"]
    assert pdf.run.resource_path == [path.parent]
    assert pdf.labels is not None and pdf.labels.covers("fig:a")
    assert notes == []


def test_citeproc_true_is_read_for_a_typst_format_only(tmp_path: Path) -> None:
    """``citeproc: true`` makes a typst format pandoc's (not Typst's own); a pdf format keeps the
    project's ``cite-method: natbib``."""
    write(
        tmp_path,
        {
            "_quarto.yml": "cite-method: natbib\nformat:\n  pdf: default\n  typst: default\n",
            "a.qmd": "---\ncitation: x\n---\n",
            "b.qmd": "---\nciteproc: true\n---\n",
            "c.qmd": "---\nciteproc: true\ncite-method: citeproc\n---\n",
        },
    )
    project = quarto_project(tmp_path)
    a = {b.output: b for b in quarto_builds(tmp_path / "a.qmd", "", project, None, [])}
    assert a["typst"].typst and a["pdf"].tool is not None and a["pdf"].tool.name == "bibtex"
    text = (tmp_path / "b.qmd").read_text(encoding="utf-8")
    b = {x.output: x for x in quarto_builds(tmp_path / "b.qmd", text, project, None, [])}
    assert not b["typst"].typst
    assert b["pdf"].tool is not None and b["pdf"].tool.name == "bibtex"
    text = (tmp_path / "c.qmd").read_text(encoding="utf-8")
    c = {x.output: x for x in quarto_builds(tmp_path / "c.qmd", text, project, None, [])}
    assert c["pdf"].tool is not None and c["pdf"].tool.name == "pandoc"


def test_a_book_chapter_saying_output_in_its_text_takes_the_books_style(tmp_path: Path) -> None:
    """bookdown-demo's 06-references.Rmd writes ``knitr::is_html_output()`` in a chunk: no
    ``output:`` of its own, so the book's first file gives its formats' style, as for the
    other chapters."""
    write(
        tmp_path,
        {
            "_bookdown.yml": 'book_filename: "x"\n',
            "_output.yml": "bookdown::pdf_book:\n  citation_package: natbib\n",
            "index.Rmd": "---\nbiblio-style: apalike\n---\n\ntext\n",
        },
    )
    path = tmp_path / "06-references.Rmd"
    text = "`r if (knitr::is_html_output()) '# References {-}'`\n"
    path.write_text(text, encoding="utf-8")
    [build] = rmarkdown_builds(path, text, None, [])
    assert build.tool is not None and build.tool.style == "apalike"


def test_a_link_to_nothing_named_quarto_yml_is_no_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Quarto's existsSync is false for a dangling link: no project, the document's own
    # bibliography is used; a loop of links is an error (existsSync throws)
    from argmap.project.builds import quarto_project

    monkeypatch.chdir(tmp_path)
    (tmp_path / "_quarto.yml").symlink_to("nowhere.yml")
    assert quarto_project(tmp_path) is None
    (tmp_path / "_quarto.yml").unlink()
    (tmp_path / "_quarto.yml").symlink_to("_q2.yml")
    (tmp_path / "_q2.yml").symlink_to("_quarto.yml")
    assert quarto_project(tmp_path) == tmp_path / "_quarto.yml"
