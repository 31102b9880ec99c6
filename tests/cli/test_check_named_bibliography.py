"""`check-citations` on manuscripts that name their bibliography: each is checked against the
files its front matter, metadata blocks, ``references:``, ``\\addbibresource``,
``\\bibliography{}``, Quarto project or bookdown book name, resolved as the tools resolve them;
``--bib`` replaces the named files (not the inline references); a name that does not resolve is
one error at its line (exit 2)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()

SMITH = "@book{smith2020, author={Smith, Ann}, title={S}, year={2020}, publisher={P}}\n"
JONES = "@book{jones2021, author={Jones, Bo}, title={J}, year={2021}, publisher={P}}\n"
DOE_FILE = "@book{doe2019, author={Doe, File}, title={From the file}, year={2019}, publisher={P}}\n"
INLINE_DOE = (
    "references:\n"
    "- id: doe2019\n"
    "  type: book\n"
    "  title: Inline\n"
    "  author: [{family: Doe, given: Jane}]\n"
    "  issued: 2019\n"
    "  publisher: P\n"
)


@pytest.fixture(autouse=True)
def outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no arguments/ and no configuration are found."""
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(app, ["check-citations", "--format", "json", *args])
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, data, result.stderr


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def statuses(data: dict[str, Any]) -> dict[str, str]:
    return {c["cited_key"] or c["printed"]: c["status"] for c in data["citations"]}


def kinds(data: dict[str, Any]) -> list[str]:
    return [p["kind"] for p in data["problems"]]


def test_front_matter_string_and_inline_references(tmp_path: Path) -> None:
    # the example: outside a project, no --bib; doe2019 is only in references:
    write(tmp_path / "refs.bib", SMITH)
    write(
        tmp_path / "paper.md",
        f"---\ntitle: Test\nbibliography: refs.bib\n{INLINE_DOE}---\n"
        "As @smith2020 shows, and [@doe2019].\n",
    )
    code, data, stderr = run("paper.md")
    assert code == 0, stderr
    assert statuses(data) == {"smith2020": "ok", "doe2019": "ok"}
    assert stderr.splitlines() == [
        "argmap: note: paper.md: bibliography refs.bib, named in its front matter (line 3), "
        "with the references: of its front matter (line 4)"
    ]


@pytest.mark.parametrize(
    "field",
    [
        "bibliography: [a.bib, 'b.bib']\n",
        'bibliography:\n- a.bib\n- "b.bib"\n',
        "bibliography:\n  - a.bib   # comment\n  - b.bib\n",
        'bibliography: ["a.bib", b.bib]\n',
    ],
    ids=["flow", "block", "indented-block", "quoted"],
)
def test_front_matter_list(tmp_path: Path, field: str) -> None:
    write(tmp_path / "a.bib", SMITH)
    write(tmp_path / "b.bib", JONES)
    write(tmp_path / "paper.md", f"---\n{field}---\n@smith2020 and @jones2021 and @nobody1.\n")
    code, data, stderr = run("paper.md")
    assert statuses(data) == {"smith2020": "ok", "jones2021": "ok", "nobody1": "unknown-key"}
    assert code == 1
    assert "bibliographies a.bib, b.bib, named in its front matter" in stderr


def test_a_value_pyyaml_must_read(tmp_path: Path) -> None:
    write(tmp_path / "a b.bib", SMITH)
    write(tmp_path / "paper.md", '---\nbibliography: ["a\\u0020b.bib"]\n---\n@smith2020\n')
    code, data, stderr = run("paper.md")
    assert code == 0, stderr
    assert statuses(data) == {"smith2020": "ok"}


def test_references_alone(tmp_path: Path) -> None:
    write(tmp_path / "paper.Rmd", f"---\ntitle: T\n{INLINE_DOE}---\n[@doe2019; @smith2020]\n")
    code, data, stderr = run("paper.Rmd")
    assert statuses(data) == {"doe2019": "ok", "smith2020": "unknown-key"}
    assert code == 1
    assert "paper.Rmd: the references: of its front matter (line 3)" in stderr


def test_inline_reference_wins_over_the_file_as_pandoc_takes_it(tmp_path: Path) -> None:
    # the file's doe2019 has a title; the inline one has none: the warning proves which is used,
    # and the key in both is no duplicate (pandoc uses the inline one silently)
    write(tmp_path / "refs.bib", DOE_FILE)
    inline = INLINE_DOE.replace("  title: Inline\n", "")
    write(tmp_path / "paper.md", f"---\nbibliography: refs.bib\n{inline}---\n[@doe2019]\n")
    code, data, stderr = run("paper.md")
    assert code == 0, stderr
    assert kinds(data) == ["missing-field"]
    (problem,) = data["problems"]
    assert (problem["source"], problem["line"]) == ("paper.md", 4)


def test_problems_of_inline_references_point_at_the_manuscript(tmp_path: Path) -> None:
    text = (
        "---\nreferences:\n- id: a1\n  title: A\n  issued: 2001\n- id: a1\n  title: B\n---\n@a1\n"
    )
    write(tmp_path / "paper.md", text)
    code, data, _ = run("paper.md")
    assert code == 1
    (problem,) = [p for p in data["problems"] if p["kind"] == "duplicate-key"]
    assert (problem["source"], problem["line"]) == ("paper.md", 6)


def test_a_later_metadata_block_replaces_a_field(tmp_path: Path) -> None:
    # pandoc 2.17 and 3.9: the last block that sets a field sets it
    write(tmp_path / "first.bib", SMITH)
    write(tmp_path / "second.bib", JONES)
    write(
        tmp_path / "paper.md",
        "---\nbibliography: first.bib\n---\n@smith2020 and @jones2021.\n\n"
        "---\nbibliography: second.bib\n...\n",
    )
    code, data, stderr = run("paper.md")
    assert statuses(data) == {"smith2020": "unknown-key", "jones2021": "ok"}
    assert code == 1
    assert "second.bib, named in its metadata block (line 7)" in stderr


def test_a_block_in_code_is_not_metadata(tmp_path: Path) -> None:
    write(tmp_path / "refs.bib", SMITH)
    write(
        tmp_path / "paper.md",
        "---\nbibliography: refs.bib\n---\n@smith2020\n\n```\n\n---\n"
        "bibliography: x.bib\n---\n```\n",
    )
    code, data, stderr = run("paper.md")
    assert code == 0, stderr
    assert statuses(data) == {"smith2020": "ok"}


def test_latex_addbibresource_in_an_input_file(tmp_path: Path) -> None:
    write(tmp_path / "refs.bib", SMITH)
    write(tmp_path / "preamble.tex", "\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n")
    write(
        tmp_path / "paper.tex",
        "\\documentclass{article}\n\\input{preamble}\n% \\addbibresource{old.bib}\n"
        "\\begin{document}\n\\textcite{smith2020} \\cite{jones2021}\n\\end{document}\n",
    )
    code, data, stderr = run("paper.tex")
    assert statuses(data) == {"smith2020": "ok", "jones2021": "unknown-key"}
    assert code == 1
    assert "refs.bib, named by \\addbibresource in preamble.tex, which it inputs (line 2)" in stderr


def test_latex_bibliography_list_adds_bib(tmp_path: Path) -> None:
    write(tmp_path / "strings.bib", "@string{pub = {Publisher}}\n")
    write(tmp_path / "refs.bib", SMITH.replace("{P}", "pub"))
    write(
        tmp_path / "paper.tex",
        "\\begin{document}\n\\cite{smith2020}\n\\bibliography{strings, refs}\n\\end{document}\n",
    )
    code, data, stderr = run("paper.tex")
    assert code == 0, stderr
    assert statuses(data) == {"smith2020": "ok"}
    assert "bibliographies strings.bib, refs.bib, named by its \\bibliography (line 3)" in stderr


def test_latex_names_resolve_from_the_root_files_folder(tmp_path: Path) -> None:
    # an included chapter's \addbibresource is relative to where LaTeX runs: the root's folder
    write(tmp_path / "book" / "refs.bib", SMITH)
    write(tmp_path / "book" / "ch" / "one.tex", "\\addbibresource{refs.bib}\n\\cite{smith2020}\n")
    write(tmp_path / "book" / "main.tex", "\\usepackage{biblatex}\n\\include{ch/one}\n")
    code, data, stderr = run("book/main.tex")
    assert code == 0, stderr
    assert statuses(data) == {"smith2020": "ok"}


@pytest.mark.skipif(shutil.which("kpsewhich") is None, reason="kpsewhich (TeX Live) not installed")
def test_latex_bibliography_of_the_tex_distribution_is_found_by_kpsewhich(tmp_path: Path) -> None:
    write(tmp_path / "paper.tex", "\\cite{book-full}\n\\bibliography{xampl}\n")
    code, data, stderr = run("paper.tex", "--select", "CIT")
    assert code == 0, stderr
    assert statuses(data) == {"book-full": "ok"}
    assert "xampl.bib (found by kpsewhich)" in stderr


def test_quarto_project_bibliography(tmp_path: Path) -> None:
    write(tmp_path / "_quarto.yml", "project:\n  type: book\nbibliography: references.bib\n")
    write(tmp_path / "references.bib", SMITH)
    write(tmp_path / "chapters" / "own.bib", JONES)
    write(tmp_path / "chapters" / "intro.qmd", "# Intro\n\n@smith2020 and @jones2021\n")
    write(
        tmp_path / "chapters" / "string.qmd",
        "---\nbibliography: own.bib\n---\n@smith2020 and @jones2021\n",
    )
    write(
        tmp_path / "chapters" / "list.qmd",
        "---\nbibliography: [own.bib]\n---\n@smith2020 and @jones2021\n",
    )
    code, data, stderr = run("chapters/intro.qmd", "chapters/string.qmd", "chapters/list.qmd")
    by_file: dict[str, dict[str, str]] = {}
    for c in data["citations"]:
        by_file.setdefault(c["source"], {})[c["cited_key"]] = c["status"]
    # Quarto's mergeConfigs: a string replaces a string, a list is added to
    assert by_file == {
        "chapters/intro.qmd": {"smith2020": "ok", "jones2021": "unknown-key"},
        "chapters/string.qmd": {"smith2020": "unknown-key", "jones2021": "ok"},
        "chapters/list.qmd": {"smith2020": "ok", "jones2021": "ok"},
    }
    assert code == 1
    assert (
        "chapters/intro.qmd: bibliography references.bib, named in _quarto.yml (line 3)" in stderr
    )


def test_quarto_format_and_directory_metadata(tmp_path: Path) -> None:
    write(tmp_path / "_quarto.yml", "format:\n  html:\n    bibliography: [references.bib]\n")
    write(tmp_path / "references.bib", SMITH)
    write(tmp_path / "posts" / "_metadata.yml", "bibliography: [posts.bib]\n")
    write(tmp_path / "posts" / "posts.bib", JONES)
    write(tmp_path / "posts" / "one.qmd", "@smith2020 and @jones2021\n")
    code, data, stderr = run("posts/one.qmd")
    assert code == 0, stderr
    assert statuses(data) == {"smith2020": "ok", "jones2021": "ok"}
    assert "named in _quarto.yml (format html) (line 3)" in stderr


def test_bookdown_chapter_takes_index_rmd(tmp_path: Path) -> None:
    write(tmp_path / "_bookdown.yml", 'book_filename: "book"\n')
    write(tmp_path / "book.bib", SMITH)
    write(tmp_path / "index.Rmd", "---\ntitle: B\nbibliography: [book.bib]\n---\n# Preface\n")
    write(tmp_path / "01-intro.Rmd", "# Intro\n\n@smith2020 [@jones2021]\n")
    code, data, stderr = run("01-intro.Rmd")
    assert statuses(data) == {"smith2020": "ok", "jones2021": "unknown-key"}
    assert code == 1
    assert "named in index.Rmd's front matter, the book's first file (line 3)" in stderr


def test_bib_option_replaces_named_files_not_inline_references(tmp_path: Path) -> None:
    write(tmp_path / "given.bib", SMITH)
    write(
        tmp_path / "paper.md",
        f"---\nbibliography: nowhere.bib\n{INLINE_DOE}---\n@smith2020 [@doe2019]\n",
    )
    code, data, stderr = run("paper.md", "--bib", "given.bib")
    assert code == 0, stderr
    assert statuses(data) == {"smith2020": "ok", "doe2019": "ok"}
    assert "paper.md: bibliography given.bib (--bib), and the references: of" in stderr


def test_bib_option_without_inline_references_says_nothing(tmp_path: Path) -> None:
    write(tmp_path / "given.bib", SMITH)
    write(tmp_path / "paper.md", "---\nbibliography: nowhere.bib\n---\n@smith2020\n")
    code, data, stderr = run("paper.md", "--bib", "given.bib")
    assert (code, stderr) == (0, "")
    assert statuses(data) == {"smith2020": "ok"}


def test_two_manuscripts_with_different_bibliographies(tmp_path: Path) -> None:
    write(tmp_path / "a" / "refs.bib", SMITH)
    write(tmp_path / "b" / "refs.bib", JONES)
    write(tmp_path / "a" / "paper.md", "---\nbibliography: refs.bib\n---\n@smith2020 @jones2021\n")
    write(tmp_path / "b" / "paper.md", "---\nbibliography: refs.bib\n---\n@smith2020 @jones2021\n")
    code, data, stderr = run("a/paper.md", "b/paper.md")
    found = {(c["source"], c["cited_key"]): c["status"] for c in data["citations"]}
    assert found == {
        ("a/paper.md", "smith2020"): "ok",
        ("a/paper.md", "jones2021"): "unknown-key",
        ("b/paper.md", "smith2020"): "unknown-key",
        ("b/paper.md", "jones2021"): "ok",
    }
    assert code == 1
    assert len(stderr.splitlines()) == 2  # one note per manuscript


def test_a_file_two_groups_read_reports_its_problems_once(tmp_path: Path) -> None:
    write(tmp_path / "shared.bib", SMITH + "@book{broken, title={T}\n")
    write(tmp_path / "other.bib", JONES)
    write(tmp_path / "a.md", "---\nbibliography: shared.bib\n---\n@smith2020\n")
    write(tmp_path / "b.md", "---\nbibliography: [shared.bib, other.bib]\n---\n@jones2021\n")
    code, data, _ = run("a.md", "b.md")
    assert code == 1
    assert kinds(data).count("parse-failed") == 1


def test_document_names_win_over_the_configuration(tmp_path: Path) -> None:
    write(tmp_path / "argmap.toml", 'bib = "configured.bib"\n')
    write(tmp_path / "configured.bib", SMITH)
    write(tmp_path / "named.bib", JONES)
    write(tmp_path / "names.md", "---\nbibliography: named.bib\n---\n@smith2020 @jones2021\n")
    write(tmp_path / "plain.md", "@smith2020 @jones2021\n")
    code, data, stderr = run("names.md", "plain.md")
    found = {(c["source"], c["cited_key"]): c["status"] for c in data["citations"]}
    assert found == {
        ("names.md", "smith2020"): "unknown-key",
        ("names.md", "jones2021"): "ok",
        ("plain.md", "smith2020"): "ok",
        ("plain.md", "jones2021"): "unknown-key",
    }
    assert code == 1
    assert stderr.count("note:") == 1


def test_markdown_name_relative_to_the_working_directory_is_said(tmp_path: Path) -> None:
    # pandoc reads bibliography: relative to where it runs; the document's folder comes first
    write(tmp_path / "refs" / "all.bib", SMITH)
    write(tmp_path / "docs" / "paper.md", "---\nbibliography: refs/all.bib\n---\n@smith2020\n")
    code, data, stderr = run("docs/paper.md")
    assert code == 0, stderr
    assert statuses(data) == {"smith2020": "ok"}
    assert "refs/all.bib (relative to the working directory, as pandoc run here reads it)" in stderr


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "paper.md",
            "---\ntitle: T\nbibliography: missing.bib\n---\n@a\n",
            "paper.md:3 bibliography: 'missing.bib': no such file (looked for missing.bib)",
        ),
        (
            "paper.md",
            "---\nbibliography:\n  file: {name: refs.bib}\n---\n@a\n",
            "paper.md:2 bibliography: is not a file name or a list of file names",
        ),
        (
            "paper.md",
            "---\nbibliography: [[a.bib]]\n---\n@a\n",
            "paper.md:2 bibliography: is not a file name or a list of file names",
        ),
        (
            "paper.md",
            "---\nbibliography: refs.ris\n---\n@a\n",
            "paper.md:2 bibliography: 'refs.ris' is RIS, which argmap does not read",
        ),
        (
            "paper.Rmd",
            "---\nbibliography: \"`r here::here('x.bib')`\"\n---\n@a\n",
            "paper.Rmd:2 bibliography: '`r here::here('x.bib')`' is computed by R code",
        ),
        (
            "paper.tex",
            "\\cite{a}\n\n\\bibliography{nothere}\n",
            "paper.tex:3 \\bibliography: 'nothere.bib': no such file",
        ),
        (
            "paper.tex",
            "\\addbibresource[location=remote]{http://x.org/a.bib}\n",
            "paper.tex:1 \\addbibresource: \\addbibresource[location=remote]",
        ),
        (
            "paper.tex",
            "\\cite{a}\n\\addbibresource{\\jobname.bib}\n",
            "paper.tex:2 \\addbibresource: '\\jobname.bib' is a macro",
        ),
    ],
    ids=["missing", "mapping", "nested-list", "ris", "r-code", "latex-missing", "remote", "macro"],
)
def test_bad_names_are_one_error(tmp_path: Path, name: str, text: str, expected: str) -> None:
    write(tmp_path / "refs.ris", "TY  - BOOK\nER  -\n")
    write(tmp_path / name, text)
    result = runner.invoke(app, ["check-citations", name])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"argmap: error: {expected}"), line
    assert "Traceback" not in result.output


def test_unreadable_named_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    bib = write(tmp_path / "refs.bib", SMITH)
    bib.chmod(0)
    if os.geteuid() == 0:
        # root reads a file of mode 000: the permission is denied as it is to its owner
        from argmap.project import documents

        real = os.access
        monkeypatch.setattr(
            documents.os,
            "access",
            lambda path, mode: False if Path(path).resolve() == bib.resolve() else real(path, mode),
        )
    write(tmp_path / "paper.md", "---\nbibliography: refs.bib\n---\n@smith2020\n")
    result = runner.invoke(app, ["check-citations", "paper.md"])
    assert result.exit_code == 2
    assert "paper.md:2 bibliography: 'refs.bib' (refs.bib) cannot be read" in result.stderr


def test_no_bibliography_anywhere_is_still_an_error(tmp_path: Path) -> None:
    write(tmp_path / "paper.md", "---\ntitle: T\n---\n@smith2020\n")
    result = runner.invoke(app, ["check-citations", "paper.md"])
    assert result.exit_code == 2
    assert "no bibliography to check the manuscripts against" in result.stderr
    assert "bibliography: in its front matter" in result.stderr


@pytest.mark.parametrize(
    ("opening", "how"),
    [
        ("%!TEX root = ../thesis.tex\n", "% !TEX root"),
        ("% !TeX root = ../thesis\n", "% !TEX root"),
        ("\\documentclass[../thesis.tex]{subfiles}\n", "\\documentclass[...]{subfiles}"),
    ],
    ids=["texshop", "texstudio-no-suffix", "subfiles"],
)
def test_a_chapter_takes_its_root_files_bibliography(
    tmp_path: Path, opening: str, how: str
) -> None:
    write(tmp_path / "References" / "refs.bib", SMITH)
    write(tmp_path / "thesis.tex", "\\include{Ch/one}\n\\bibliography{References/refs}\n")
    write(tmp_path / "Ch" / "one.tex", f"{opening}\\cite{{smith2020}} \\cite{{jones2021}}\n")
    code, data, stderr = run("Ch/one.tex")
    assert statuses(data) == {"smith2020": "ok", "jones2021": "unknown-key"}
    assert code == 1
    assert (
        "Ch/one.tex: bibliography References/refs.bib, named by \\bibliography in thesis.tex, "
        f"the root file its {how} names (line 2)"
    ) in stderr


def test_a_bibliography_knitr_writes_says_so(tmp_path: Path) -> None:
    write(tmp_path / "book.bib", SMITH)
    write(
        tmp_path / "index.Rmd",
        "---\nbibliography: [book.bib, packages.bib]\n---\n@smith2020\n\n"
        "```{r include=FALSE}\nknitr::write_bib(c('knitr'), 'packages.bib')\n```\n",
    )
    result = runner.invoke(app, ["check-citations", "index.Rmd"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "argmap: error: index.Rmd:2 bibliography: 'packages.bib': no such file"
    )
    assert "knitr::write_bib() in index.Rmd writes it when the document is built" in result.stderr


def test_naming_the_configured_file_goes_without_a_note(tmp_path: Path) -> None:
    write(tmp_path / "argmap.toml", 'bib = "refs.bib"\n')
    write(tmp_path / "refs.bib", SMITH)
    write(tmp_path / "paper.tex", "\\cite{smith2020}\n\\bibliography{refs}\n")
    code, data, stderr = run("paper.tex")
    assert (code, stderr) == (0, "")
    assert statuses(data) == {"smith2020": "ok"}


def test_the_configurations_manuscripts_without_file_arguments(tmp_path: Path) -> None:
    # `argmap check-citations` alone in a project (as CI runs it): each configured manuscript
    # against the bibliography it names, the notes on stderr, SARIF alone on stdout
    write(tmp_path / "pyproject.toml", '[tool.argmap]\nbib = "refs.bib"\nmanuscripts = ["*.md"]\n')
    write(tmp_path / "refs.bib", SMITH)
    write(tmp_path / "own.bib", JONES)
    write(tmp_path / "a.md", "---\nbibliography: own.bib\n---\n@jones2021 @smith2020\n")
    write(tmp_path / "b.md", "@jones2021 @smith2020\n")
    result = runner.invoke(app, ["check-citations", "--format", "sarif"])
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    found = sorted(
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["message"]["text"])
        for r in sarif["runs"][0]["results"]
    )
    assert [(uri, "smith2020" in text, "jones2021" in text) for uri, text in found] == [
        ("a.md", True, False),
        ("b.md", False, True),
    ]
    assert result.stderr == (
        "argmap: note: a.md: bibliography own.bib, named in its front matter (line 2)\n"
    )
