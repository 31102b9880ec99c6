"""`check-citations` given the files pre-commit passes: a chapter alone (checked against the root
file that includes it), a chapter beside its root (reported once), the staged .bib files of two
papers (not one bibliography), a CSL export, files that name no bibliography (named, with the
way out)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()

SMITH = "@book{smith2020, author={Smith, Ann}, title={S}, year={2020}, publisher={P}}\n"
ROOT = (
    "\\documentclass{book}\n\\addbibresource{refs.bib}\n\\begin{document}\n{body}\\end{document}\n"
)


@pytest.fixture(autouse=True)
def outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no arguments/ and no configuration are found."""
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path``, making its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def thesis(tmp_path: Path, body: str = "\\include{chapters/ch2}\n") -> None:
    """A thesis whose root names refs.bib and includes chapters/ch2.tex (no % !TEX root)."""
    write(tmp_path / "thesis" / "refs.bib", SMITH)
    write(tmp_path / "thesis" / "main.tex", ROOT.replace("{body}", body))
    write(tmp_path / "thesis" / "chapters" / "ch2.tex", "Como \\cite{smith2021}.\n")


def test_a_chapter_alone_is_checked_against_the_root_file_that_includes_it(
    tmp_path: Path,
) -> None:
    thesis(tmp_path)
    result = runner.invoke(app, ["check-citations", "thesis/chapters/ch2.tex"])
    assert result.exit_code == 1, result.output
    assert "thesis/chapters/ch2.tex:1:12: error CIT204 unknown key 'smith2021'" in result.stdout
    assert "[did you mean 'smith2020'?]" in result.stdout
    assert "the root file that includes it" in result.stderr


def test_a_chapter_two_roots_include_with_one_bibliography_takes_it(tmp_path: Path) -> None:
    # a thesis and a standalone example that share the chapter and the bibliography
    thesis(tmp_path)
    write(tmp_path / "thesis" / "draft.tex", ROOT.replace("{body}", "\\input{chapters/ch2}\n"))
    result = runner.invoke(app, ["check-citations", "thesis/chapters/ch2.tex"])
    assert result.exit_code == 1, result.output
    assert "unknown key 'smith2021'" in result.stdout


def test_a_chapter_two_roots_include_with_two_bibliographies_is_not_guessed(
    tmp_path: Path,
) -> None:
    thesis(tmp_path)
    write(tmp_path / "thesis" / "other.bib", SMITH)
    draft = ROOT.replace("{body}", "\\input{chapters/ch2}\n").replace("refs.bib", "other.bib")
    write(tmp_path / "thesis" / "draft.tex", draft)
    result = runner.invoke(app, ["check-citations", "thesis/chapters/ch2.tex"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "argmap: error: thesis/chapters/ch2.tex: no bibliography to check the manuscripts "
        "against: it names none, and none is configured"
    )
    assert "% !TEX root = main.tex" in result.stderr


def test_a_commented_out_include_names_no_root(tmp_path: Path) -> None:
    thesis(tmp_path, body="% \\include{chapters/ch2}\n")
    result = runner.invoke(app, ["check-citations", "thesis/chapters/ch2.tex"])
    assert result.exit_code == 2
    assert "thesis/chapters/ch2.tex: no bibliography" in result.stderr


def test_a_chapter_beside_its_root_is_reported_once(tmp_path: Path) -> None:
    thesis(tmp_path)
    result = runner.invoke(
        app, ["check-citations", "thesis/chapters/ch2.tex", "thesis/main.tex", "--format", "json"]
    )
    assert result.exit_code == 1
    assert result.stdout.count('"cited_key": "smith2021"') == 1
    assert result.stdout.count('"key": "smith2021"') == 0
    assert result.stdout.count("unknown key 'smith2021'") == 1


def test_the_staged_bibs_of_two_papers_are_not_one_bibliography(tmp_path: Path) -> None:
    write(tmp_path / "a" / "refs.bib", SMITH)
    write(tmp_path / "b" / "refs.bib", SMITH)
    alone = runner.invoke(app, ["check-citations", "a/refs.bib", "b/refs.bib"])
    assert alone.exit_code == 0, alone.output
    assert "BIB204" not in alone.stdout
    # the same files named by one configuration are one bibliography: the copy is reported
    write(tmp_path / "argmap.toml", 'bib = ["a/refs.bib", "b/refs.bib"]\n')
    configured = runner.invoke(app, ["check-citations", "a/refs.bib"])
    assert configured.exit_code == 1
    assert "b/refs.bib:1:1: error BIB204 duplicate key 'smith2020'" in configured.stdout


def test_files_that_name_no_bibliography_are_named(tmp_path: Path) -> None:
    write(tmp_path / "README.md", "# Notes\n\nSee Smith (2020).\n")
    write(tmp_path / "notes.txt", "Smith (2020)\n")
    result = runner.invoke(app, ["check-citations", "README.md", "notes.txt"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(
        "argmap: error: README.md, notes.txt: no bibliography to check the manuscripts "
        "against: they name none, and none is configured"
    )
    assert "the hook's exclude:" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_csl_json_file_given_is_a_bibliography_not_a_manuscript(tmp_path: Path) -> None:
    write(tmp_path / "refs.json", '[{"id": "a", "type": "book", "title": "T"},\n {"id": "a"}]\n')
    result = runner.invoke(app, ["check-citations", "refs.json"])
    assert "unsupported manuscript type" not in result.output
    assert "refs.json" in result.stdout and "BIB204" in result.stdout, result.output


def test_an_rmarkdown_file_is_read_as_markdown(tmp_path: Path) -> None:
    write(tmp_path / "refs.bib", SMITH)
    write(tmp_path / "post.Rmarkdown", "---\nbibliography: refs.bib\n---\n\nAs [@smith2021].\n")
    result = runner.invoke(app, ["check-citations", "post.Rmarkdown"])
    assert result.exit_code == 1, result.output
    assert "post.Rmarkdown:5:5: error CIT204 unknown key 'smith2021'" in result.stdout


def test_a_bib_alone_is_checked_with_the_documents_beside_it_that_name_it(tmp_path: Path) -> None:
    # the writer renames smith2020 in the .bib and commits only the .bib
    write(tmp_path / "refs.bib", SMITH.replace("smith2020", "smith2020a"))
    write(tmp_path / "paper.md", "---\nbibliography: refs.bib\n---\n\nAs [@smith2020].\n")
    write(tmp_path / "other.md", "---\nbibliography: other.bib\n---\n\nAs [@nobody].\n")
    write(tmp_path / "other.bib", SMITH)
    write(tmp_path / "README.md", "# Notes\n\nSmith (2020).\n")
    result = runner.invoke(app, ["check-citations", "refs.bib"])
    assert result.exit_code == 1, result.output
    assert "paper.md:5:5: error CIT204 unknown key 'smith2020'" in result.stdout
    assert "other.md" not in result.output and "README" not in result.output
    assert "refs.bib: checked with the documents beside it that name it: paper.md" in (
        result.stderr
    )
    # with --bib the documents are not looked for: the bibliography is the user's choice
    chosen = runner.invoke(app, ["check-citations", "refs.bib", "--bib", "refs.bib"])
    assert "paper.md" not in chosen.output


def test_a_quarto_projects_bib_alone_is_checked_with_its_chapters(tmp_path: Path) -> None:
    write(tmp_path / "book" / "_quarto.yml", "project:\n  type: book\nbibliography: refs.bib\n")
    write(tmp_path / "book" / "refs.bib", SMITH)
    write(tmp_path / "book" / "index.qmd", "# Prefacio\n\n[@smith2020]\n")
    write(tmp_path / "book" / "chapters" / "dos.qmd", "# Dos\n\n[@smith2021]\n")
    # Quarto's output and its extensions are no documents of the book
    write(tmp_path / "book" / "_book" / "dos.md", "# Dos\n\n[@rendered2021]\n")
    write(tmp_path / "book" / "node_modules" / "x" / "README.md", "[@pkg2021]\n")
    result = runner.invoke(app, ["check-citations", "book/refs.bib"])
    assert result.exit_code == 1, result.output
    assert "book/chapters/dos.qmd:3:2: error CIT204 unknown key 'smith2021'" in result.stdout
    assert "rendered2021" not in result.output and "pkg2021" not in result.output
    assert result.stdout.endswith(
        "2 citations: 1 ok, 1 unknown key · 1 error, 0 warnings, 0 info\n"
    )


def word_paper(path: Path, *paragraphs: str) -> Path:
    """A Word file of ``paragraphs`` (python-docx), naming no bibliography, as Word files do."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def test_a_word_file_staged_with_the_bib_another_document_names_is_checked_against_it(
    tmp_path: Path,
) -> None:
    # round 26: the .bib, once paper.md named it, was no longer the Word file's (exit 2)
    write(tmp_path / "refs.bib", SMITH)
    write(tmp_path / "paper.md", "---\nbibliography: refs.bib\n---\n\nAs [@smith2020].\n")
    word_paper(tmp_path / "paper.docx", "Como dice Smith (2020).", "Lo dice Nadvi (1999).")
    result = runner.invoke(
        app, ["check-citations", "--format", "concise", "paper.docx", "refs.bib", "paper.md"]
    )
    assert result.exit_code == 1, result.output
    assert "paper.docx:1:1: error CIT203 ¶2: no entry for Nadvi (1999)" in result.stdout
    assert "paper.md" not in result.stdout
    assert "3 citations: 2 ok, 1 missing" in result.stdout
    assert (
        "argmap: note: paper.docx: names no bibliography; checked against refs.bib, the one "
        "bibliography staged\n" in result.stderr
    )


def test_a_word_file_staged_with_two_bibs_both_named_elsewhere_is_not_guessed(
    tmp_path: Path,
) -> None:
    write(tmp_path / "a" / "refs.bib", SMITH)
    write(tmp_path / "b" / "refs.bib", SMITH)
    write(tmp_path / "a" / "paper.md", "---\nbibliography: refs.bib\n---\n\n[@smith2020]\n")
    write(tmp_path / "b" / "paper.md", "---\nbibliography: refs.bib\n---\n\n[@smith2020]\n")
    word_paper(tmp_path / "paper.docx", "Smith (2020).")
    staged = ["paper.docx", "a/refs.bib", "b/refs.bib", "a/paper.md", "b/paper.md"]
    result = runner.invoke(app, ["check-citations", *staged])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("argmap: error: paper.docx: no bibliography to check")


def test_the_files_that_name_no_bibliography_either_are_named(tmp_path: Path) -> None:
    write(tmp_path / "book" / "_quarto.yml", "project:\n  type: book\n")
    write(tmp_path / "book" / "index.qmd", "# Uno\n\n[@smith2020]\n")
    write(tmp_path / "d.yaml", "citeproc: true\n")
    result = runner.invoke(app, ["check-citations", "book/index.qmd"])
    assert result.exit_code == 2
    assert "it names none, nor does book/_quarto.yml, and none is configured" in result.stderr
    write(tmp_path / "paper.md", "[@smith2020]\n")
    result = runner.invoke(app, ["check-citations", "-d", "d.yaml", "paper.md"])
    assert result.exit_code == 2
    assert "it names none, nor does d.yaml, and none is configured" in result.stderr


def test_a_word_file_alone_is_told_to_give_its_export(tmp_path: Path) -> None:
    word_paper(tmp_path / "paper.docx", "Como dice Smith (2020).")
    result = runner.invoke(app, ["check-citations", "paper.docx"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "give --bib FILE (your reference manager's .bib or CSL-JSON export)" in result.stderr
    assert "front matter" not in result.stderr
