"""`check-citations` on Quarto and R Markdown documents by how they are built: Quarto profiles
(``_quarto-<profile>.yml``), a format's own ``bibliography``, ``cite-method`` (Quarto) and
``citation_package`` (R Markdown, bookdown's ``_output.yml``) making a document built with BibTeX
or biber, the strictest of its outputs reported; and the bad names of a pandoc run's files."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.manuscripts.spans import Piece

runner = CliRunner()


def book(key: str) -> str:
    return f"@book{{{key}, author={{A, B}}, title={{T}}, year={{2020}}, publisher={{P}}}}\n"


@pytest.fixture(autouse=True)
def outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QUARTO_PROFILE", raising=False)


def run(*args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(app, ["check-citations", "--format", "json", *args])
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, data, result.stderr


def write(files: dict[str, str]) -> None:
    for name, text in files.items():
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def statuses(data: dict[str, Any]) -> dict[str, str]:
    return {c["cited_key"]: c["status"] for c in data["citations"]}


PROFILED = {
    "_quarto.yml": "project:\n  type: default\nprofile:\n  default: draft\n"
    "bibliography: refs.bib\n",
    "_quarto-draft.yml": "bibliography: [draft.bib]\n",
    "_quarto-final.yml": "bibliography: [final.bib]\n",
    "refs.bib": book("refs1"),
    "draft.bib": book("draft1"),
    "final.bib": book("final1"),
    "paper.qmd": "---\ntitle: t\n---\n\n[@refs1; @draft1; @final1]\n",
}


def test_the_default_profile_is_merged() -> None:
    write(PROFILED)
    code, data, stderr = run("paper.qmd")
    assert statuses(data) == {"refs1": "ok", "draft1": "ok", "final1": "unknown-key"}
    assert "draft.bib, named in _quarto-draft.yml (line 1)" in stderr
    assert code == 1


def test_quarto_profile_overrides_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    write(PROFILED)
    monkeypatch.setenv("QUARTO_PROFILE", "final")
    _, data, _ = run("paper.qmd")
    assert statuses(data) == {"refs1": "ok", "draft1": "unknown-key", "final1": "ok"}


@pytest.mark.parametrize("fast", [False, True], ids=["typer", "quick-reader"])
def test_quarto_profile_option_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fast: bool
) -> None:
    """``--quarto-profile final`` is ``quarto render --profile final``: Quarto sets
    QUARTO_PROFILE from it, over the environment's (draft here)."""
    write(PROFILED)
    monkeypatch.setenv("QUARTO_PROFILE", "draft")
    args = ["--quarto-profile", "final", "paper.qmd"]
    if fast:
        from argmap.cli.checking import run_check_citations
        from argmap.cli.quick import check_arguments

        values = check_arguments([*args, "--format", "json"], {})
        assert values is not None and values["quarto_profile"] == ["final"]
        with pytest.raises(SystemExit):
            run_check_citations(**values)
        data = json.loads(capsys.readouterr().out)
    else:
        _, data, _ = run(*args)
    assert statuses(data) == {"refs1": "ok", "draft1": "unknown-key", "final1": "ok"}
    # the option applies to that run only
    _, data, _ = run("paper.qmd")
    assert statuses(data)["draft1"] == "ok"


def test_profile_group_adds_its_first_member() -> None:
    write(
        {**PROFILED, "_quarto.yml": "bibliography: refs.bib\nprofile:\n  group: [final, draft]\n"}
    )
    _, data, _ = run("paper.qmd")
    assert statuses(data) == {"refs1": "ok", "draft1": "unknown-key", "final1": "ok"}


def test_formats_naming_different_bibliographies_are_each_checked() -> None:
    write(
        {
            "_quarto.yml": "bibliography: refs.bib\n",
            "refs.bib": book("refs1"),
            "final.bib": book("final1"),
            "paper.qmd": "---\nformat:\n  html: default\n  pdf:\n    bibliography: final.bib\n"
            "---\n\n[@refs1; @final1]\n",
        }
    )
    code, data, stderr = run("paper.qmd")
    assert code == 1
    # a format's string replaces the project's string (Quarto's mergeConfigs): html reads
    # refs.bib, pdf final.bib; each finding names its format
    assert sorted((c["cited_key"], c["status"]) for c in data["citations"]) == [
        ("final1", "ok"),
        ("final1", "unknown-key"),
        ("refs1", "ok"),
        ("refs1", "unknown-key"),
    ]
    assert sorted(p["message"].rsplit(" (", 1)[1] for p in data["problems"]) == [
        "format html)",
        "format pdf)",
    ]
    assert "paper.qmd (format html): bibliography refs.bib" in stderr
    assert "paper.qmd (format pdf): bibliography final.bib" in stderr


def test_a_format_list_adds_to_the_projects() -> None:
    write(
        {
            "_quarto.yml": "bibliography: refs.bib\n",
            "refs.bib": book("refs1"),
            "final.bib": book("final1"),
            "paper.qmd": "---\nformat:\n  html: default\n  pdf:\n    bibliography: [final.bib]\n"
            "---\n\n[@refs1; @final1]\n",
        }
    )
    _, data, _ = run("paper.qmd")
    assert sorted((c["cited_key"], c["status"]) for c in data["citations"]) == [
        ("final1", "ok"),
        ("final1", "unknown-key"),
        ("refs1", "ok"),
    ]


CASED = {"refs.bib": book("smith2020"), "paper.qmd": "---\ntitle: t\n---\n\n[@Smith2020]\n"}


@pytest.mark.parametrize(
    ("quarto", "status", "kinds"),
    [
        pytest.param("format: pdf\n", "unknown-key", ["unknown-key"], id="citeproc"),
        pytest.param(
            "format:\n  pdf:\n    cite-method: natbib\n", "ok", ["key-case"], id="natbib-only"
        ),
        pytest.param(
            "cite-method: natbib\nformat:\n  pdf: default\n", "ok", ["key-case"], id="top-level"
        ),
        pytest.param(
            "format:\n  html: default\n  pdf:\n    cite-method: natbib\n",
            "unknown-key",
            ["unknown-key"],
            id="html-and-natbib",
        ),
        pytest.param(
            "format:\n  pdf:\n    cite-method: biblatex\n",
            "unknown-key",
            ["unknown-key"],
            id="biber",
        ),
        pytest.param(
            "format:\n  html:\n    cite-method: natbib\n", "unknown-key", ["unknown-key"], id="html"
        ),
    ],
)
def test_quarto_cite_method_decides_the_key_check(
    quarto: str, status: str, kinds: list[str]
) -> None:
    write({**CASED, "_quarto.yml": f"bibliography: refs.bib\n{quarto}"})
    _, data, _ = run("paper.qmd")
    assert statuses(data) == {"Smith2020": status}
    assert [p["kind"] for p in data["problems"]] == kinds


def test_the_strictest_output_names_both_tools() -> None:
    write(
        {
            **CASED,
            "_quarto.yml": "bibliography: refs.bib\nformat:\n  html: default\n  pdf:\n"
            "    cite-method: natbib\n",
        }
    )
    _, data, stderr = run("paper.qmd")
    message = data["problems"][0]["message"]
    assert "pandoc's citeproc (for html) does not find it" in message
    assert "BibTeX (for pdf) finds 'smith2020'" in message
    assert "built with pandoc's citeproc for html, BibTeX for pdf (cite-method: natbib" in stderr


@pytest.mark.parametrize("where", ["front matter", "_output.yml"])
def test_r_markdown_citation_package(where: str) -> None:
    output = "output:\n  bookdown::pdf_book:\n    citation_package: natbib\n"
    files = {"refs.bib": book("smith2020")}
    if where == "front matter":
        files["paper.Rmd"] = f"---\nbibliography: refs.bib\n{output}---\n\n[@Smith2020]\n"
    else:
        files["_bookdown.yml"] = "book_filename: b\n"
        files["_output.yml"] = output.replace("output:\n  ", "").replace("\n    ", "\n  ")
        files["paper.Rmd"] = "---\nbibliography: refs.bib\n---\n\n[@Smith2020]\n"
    write(files)
    _, data, stderr = run("paper.Rmd")
    assert statuses(data) == {"Smith2020": "ok"}
    assert [p["kind"] for p in data["problems"]] == ["key-case"]
    assert "BibTeX for bookdown::pdf_book (citation_package: natbib" in stderr


def test_r_markdown_biblatex_is_biber() -> None:
    write(
        {
            "refs.bib": "@book{O'Hagan2007, author={O'Hagan, A}, title={T}, year={2007}, "
            "publisher={P}}\n",
            "paper.Rmd": "---\nbibliography: refs.bib\noutput:\n  pdf_document:\n"
            "    citation_package: biblatex\n---\n\nText.\n",
        }
    )
    _, data, _ = run("paper.Rmd")
    # biber stops at the apostrophe: the file is lost to the document (BIB222, tool-loses-file)
    assert "tool-loses-file" in [p["kind"] for p in data["problems"]]


def test_natbib_document_is_not_refused_as_pandoc_would() -> None:
    """pandoc refuses a file with @book_section (BIB224) only when its citeproc reads it."""
    bib = "@book_section{k1, author={A, B}, title={T}, year={2020}, booktitle={B}}\n"
    write({"refs.bib": bib, "cite.qmd": "---\nbibliography: refs.bib\n---\n\n[@k1]\n"})
    _, data, _ = run("cite.qmd")
    assert "pandoc-refuses-file" in [p["kind"] for p in data["problems"]]
    write(
        {
            "cite.qmd": "---\nbibliography: refs.bib\nformat:\n  pdf:\n    cite-method: natbib\n"
            "---\n\n[@k1]\n"
        }
    )
    _, data, _ = run("cite.qmd")
    assert "pandoc-refuses-file" not in [p["kind"] for p in data["problems"]]


def test_defaults_cite_method_with_bib_option() -> None:
    write(
        {"refs.bib": book("smith2020"), "d.yaml": "cite-method: natbib\n", "p.md": "[@Smith2020]\n"}
    )
    _, data, stderr = run("-d", "d.yaml", "--bib", "refs.bib", "p.md")
    assert statuses(data) == {"Smith2020": "ok"}
    assert "built with BibTeX for pandoc -d d.yaml" in stderr


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        pytest.param(
            {}, ["-d", "nope.yaml"], "--defaults nope.yaml: no such defaults file", id="no-defaults"
        ),
        pytest.param(
            {},
            ["--metadata-file", "m.yaml"],
            "--metadata-file m.yaml: no such metadata file",
            id="no-meta",
        ),
        pytest.param(
            {"d.yaml": "metadata-files: [m.yaml]\n"},
            ["-d", "d.yaml"],
            "d.yaml:1 metadata-files: 'm.yaml': no such metadata file",
            id="no-meta-named",
        ),
        pytest.param(
            {"d.yaml": "cite-method: bibtex\n"},
            ["-d", "d.yaml"],
            "d.yaml:1 cite-method: 'bibtex' is not citeproc, natbib or biblatex",
            id="bad-cite-method",
        ),
        pytest.param(
            {"d.yaml": "bibliography: {a: {b: c}}\n"},
            ["-d", "d.yaml"],
            "d.yaml:1 bibliography: is not a file name or a list of file names",
            id="bad-bibliography",
        ),
        pytest.param(
            {"d.yaml": "bibliography: [a.bib\n"},
            ["-d", "d.yaml"],
            "d.yaml:2: does not parse as YAML",
            id="bad-yaml",
        ),
        pytest.param(
            {"d.yaml": "bibliography: nope.bib\n"},
            ["-d", "d.yaml"],
            "d.yaml:1 bibliography: 'nope.bib': no such file",
            id="missing-bib",
        ),
        pytest.param(
            {"d.yaml": "defaults: d.yaml\n"},
            ["-d", "d.yaml"],
            "defaults files name each other in a loop",
            id="loop",
        ),
    ],
)
def test_bad_pandoc_run_files_are_one_error(
    files: dict[str, str], args: list[str], expected: str
) -> None:
    write({"p.md": "[@x]\n", **files})
    code, _, stderr = run(*args, "p.md")
    assert code == 2
    assert expected in stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_quarto_metadata_files_of_a_document() -> None:
    """Quarto's metadata-files in the front matter: relative to the document, merged over it
    (the file's field wins), a missing one skipped as Quarto skips it, and said."""
    write(
        {
            "_quarto.yml": "project:\n  type: website\n",
            "_templates/a.yml": "bibliography: ../../refs.bib\n",
            "refs.bib": book("refs1"),
            "weeks/w1/doc.qmd": "---\nmetadata-files:\n  - ../../_templates/a.yml\n"
            "  - ../../_templates/missing.yml\n---\n\n[@refs1]\n",
        }
    )
    code, data, stderr = run("weeks/w1/doc.qmd")
    assert code == 0, stderr
    assert statuses(data) == {"refs1": "ok"}
    assert "named in _templates/a.yml (line 1)" in stderr
    assert "_templates/missing.yml (metadata-files in weeks/w1/doc.qmd, line 4)" in stderr


def test_quarto_project_metadata_files() -> None:
    write(
        {
            "_quarto.yml": "metadata-files: [meta/common.yml]\nbibliography: old.bib\n",
            "meta/common.yml": "bibliography: refs.bib\n",
            "refs.bib": book("refs1"),
            "old.bib": book("old1"),
            "doc.qmd": "[@refs1; @old1]\n",
        }
    )
    _, data, _ = run("doc.qmd")
    # the included file's string replaces the project file's own (included files win)
    assert statuses(data) == {"refs1": "ok", "old1": "unknown-key"}


def test_pandoc_crossref_labels_are_no_citations() -> None:
    """With pandoc-crossref among the defaults file's filters, @fig:x, @tbl:x, @sec:x, @eq:x
    and @lst:x are its cross-references (fmatter/md-ling-template's blueprints cite them)."""
    write(
        {
            "refs.bib": book("refs1"),
            "p.md": "---\nbibliography: refs.bib\n---\n\n[@refs1] as @fig:tree, @tbl:a, "
            "@sec:basic, @eq:one, @lst:code and @ex:agree show.\n",
            "plain.yaml": "citeproc: true\n",
            "crossref.yaml": "filters:\n  - pandoc-crossref\n  - citeproc\n",
        }
    )
    _, data, _ = run("-d", "plain.yaml", "p.md")
    assert sorted(k for k, s in statuses(data).items() if s == "unknown-key") == [
        "eq:one",
        "ex:agree",
        "fig:tree",
        "lst:code",
        "sec:basic",
        "tbl:a",
    ]
    _, data, _ = run("-d", "crossref.yaml", "p.md")
    assert statuses(data) == {"refs1": "ok", "ex:agree": "unknown-key"}


def test_metadata_file_written_as_front_matter_and_multibib() -> None:
    """A metadata file between --- lines (alexlyttle/markdown-cv's meta.yaml) is read as its
    first YAML document, as pandoc reads it; multibib's named bibliographies are every file."""
    write(
        {
            "pubs/refereed.bib": book("ref1"),
            "pubs/conference.bib": book("conf1"),
            "meta.yaml": "---\ntitle: CV\nbibliography:\n  refereed: pubs/refereed.bib\n"
            "  conference: pubs/conference.bib\n# html:\n#   fontsize: 12pt\n---\n",
            "defaults.yaml": "filters:\n  - filters/multibib.lua\nciteproc: true\n"
            "metadata-files:\n  - meta.yaml\n",
            "main.md": "Cited: [@ref1; @conf1]\n",
        }
    )
    code, data, stderr = run("-d", "defaults.yaml", "main.md")
    assert code == 0, stderr
    assert statuses(data) == {"ref1": "ok", "conf1": "ok"}
    assert "named in the metadata file meta.yaml (line 3)" in stderr


def test_metadata_file_references() -> None:
    write(
        {
            "m.yaml": "references:\n- id: inline1\n  type: book\n  title: T\n  issued: 2020\n",
            "p.md": "[@inline1; @other]\n",
        }
    )
    _, data, stderr = run("--metadata-file", "m.yaml", "p.md")
    assert statuses(data) == {"inline1": "ok", "other": "unknown-key"}
    assert "the references: of m.yaml (line 1)" in stderr


def test_bookdown_front_matter_output_and_output_yml_are_merged() -> None:
    """Abhikumar86/phd-thesis: index.Rmd says output: bookdown::gitbook, _output.yml adds
    bookdown::pdf_book with citation_package: natbib; a chapter is built both ways."""
    write(
        {
            "_bookdown.yml": 'book_filename: "thesis"\n',
            "_output.yml": "bookdown::gitbook:\n  split_by: section\n"
            "bookdown::pdf_book:\n  citation_package: natbib\n",
            "index.Rmd": "---\noutput: bookdown::gitbook\nbibliography: [book.bib]\n---\n\n# Hi\n",
            "book.bib": book("smith2020"),
            "01-intro.Rmd": "# Intro\n\n[@Smith2020]\n",
        }
    )
    _, data, stderr = run("01-intro.Rmd")
    assert statuses(data) == {"Smith2020": "unknown-key"}
    assert "BibTeX (for bookdown::pdf_book) finds 'smith2020'" in data["problems"][0]["message"]
    assert "named in index.Rmd's front matter, the book's first file (line 3)" in stderr
    assert "citation_package: natbib in _output.yml (line 4)" in stderr


def test_top_level_citation_package_is_no_output_option() -> None:
    """citation_package is an option of an output format: at the top level R Markdown does not
    read it (the Onofri books write it there), so the document is citeproc's."""
    write(
        {
            "refs.bib": book("smith2020"),
            "p.Rmd": "---\nbibliography: refs.bib\ncitation_package: natbib\n---\n\n[@Smith2020]\n",
        }
    )
    _, data, _ = run("p.Rmd")
    assert statuses(data) == {"Smith2020": "unknown-key"}
    assert "BibTeX" not in data["problems"][0]["message"]


def test_a_quarto_extensions_format_sets_the_tool() -> None:
    """danielvartan/mastersthesis: format abnt-pdf, whose _extensions/abnt/_extension.yml
    contributes cite-method: biblatex."""
    write(
        {
            "_quarto.yml": "bibliography: refs.bib\nformat:\n  abnt-pdf:\n    toc: true\n",
            "_extensions/abnt/_extension.yml": "title: abnt\ncontributes:\n  formats:\n"
            "    common:\n      df-print: kable\n    pdf:\n      cite-method: biblatex\n",
            "refs.bib": book("smith2020"),
            "ch.qmd": "[@smith2020]\n",
        }
    )
    code, _, stderr = run("ch.qmd")
    assert code == 0, stderr
    assert "built with biber for abnt-pdf (cite-method: biblatex in " in stderr
    assert "_extensions/abnt/_extension.yml (line 7))" in stderr


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"_environment": "QUARTO_PROFILE=final\n"}, "final1", id="environment"),
        pytest.param(
            {
                "_environment": "QUARTO_PROFILE=draft\n",
                "_environment.local": 'QUARTO_PROFILE="final"\n',
            },
            "final1",
            id="environment-local-wins",
        ),
        pytest.param(
            {"_quarto.yml.local": "profile:\n  default: final\n"}, "final1", id="local-default"
        ),
    ],
)
def test_profile_from_quartos_environment_files(files: dict[str, str], expected: str) -> None:
    write({**PROFILED, **files})
    _, data, _ = run("paper.qmd")
    assert {k for k, s in statuses(data).items() if s == "ok"} == {"refs1", expected}


def test_extension_contributing_format_singular() -> None:
    """quarto-journals' extensions write contributes: format: (Quarto reads it as formats)."""
    write(
        {
            "_quarto.yml": "bibliography: refs.bib\nformat: jrnl-pdf\n",
            "_extensions/org/jrnl/_extension.yml": "contributes:\n  format:\n    pdf:\n"
            "      cite-method: natbib\n",
            "refs.bib": book("smith2020"),
            "ch.qmd": "[@Smith2020]\n",
        }
    )
    _, data, _ = run("ch.qmd")
    assert statuses(data) == {"Smith2020": "ok"}
    assert [p["kind"] for p in data["problems"]] == ["key-case"]


def test_metadata_file_as_front_matter_with_references() -> None:
    write(
        {
            "m.yaml": "---\nreferences:\n- id: inline1\n  type: book\n  title: T\n  issued: 2020\n"
            "---\n",
            "p.md": "[@inline1; @other]\n",
        }
    )
    code, data, stderr = run("--metadata-file", "m.yaml", "p.md")
    assert code == 1, stderr
    assert statuses(data) == {"inline1": "ok", "other": "unknown-key"}


@pytest.mark.parametrize(
    ("key", "reported"),
    [("a%b", True), ("c#d", True), ("i~j", True), ("e&f", False), ("k_l", False), ("m:n", False)],
)
def test_keys_latex_cannot_read_in_a_natbib_document(key: str, reported: bool) -> None:
    """Checked with pdfLaTeX and natbib: % ends the line, # is a parameter, ~ is active."""
    write(
        {
            "refs.bib": book(key),
            "p.qmd": f"---\nbibliography: refs.bib\nformat:\n  pdf:\n    cite-method: natbib\n"
            f"---\n\n[@{key}]\n",
            "h.qmd": f"---\nbibliography: refs.bib\n---\n\n[@{key}]\n",
        }
    )
    # (a .bib key with % or # is already BIB203, bad-key, and its citations unknown)
    _, data, _ = run("p.qmd")
    kinds = [p["kind"] for p in data["problems"]]
    assert ("key-latex-special" in kinds) is reported
    if key[1] not in "%#":
        assert statuses(data) == {key: "ok"}
    _, data, _ = run("h.qmd")  # citeproc's (HTML): pandoc reads it as any key
    assert "key-latex-special" not in [p["kind"] for p in data["problems"]]


def test_a_books_chapter_renders_the_projects_formats_only() -> None:
    """Quarto's book project type renders the project's formats only (projectFormatsOnly): a
    chapter's own format: html does not drop the book's pdf (natbib)."""
    write(
        {
            "_quarto.yml": "project:\n  type: book\nbibliography: refs.bib\nformat:\n  pdf:\n"
            "    cite-method: natbib\n",
            "refs.bib": book("smith2020"),
            "ch.qmd": "---\nformat: html\n---\n\n[@Smith2020]\n",
            "art.qmd": "---\nformat: html\n---\n\n[@Smith2020]\n",
        }
    )
    _, data, stderr = run("ch.qmd")
    assert statuses(data) == {"Smith2020": "ok"}
    assert "BibTeX for pdf" in stderr
    write({"_quarto.yml": "bibliography: refs.bib\nformat:\n  pdf:\n    cite-method: natbib\n"})
    _, data, _ = run("art.qmd")  # a default project: the document's html alone
    assert statuses(data) == {"Smith2020": "unknown-key"}


def test_a_format_naming_nothing_beside_one_naming_a_file() -> None:
    """html names no bibliography (the configuration's is used), pdf names its own: the
    manuscript is read for both (its pieces kept, not read up by the first)."""
    write(
        {
            "argmap.toml": 'bib = ["refs.bib"]\n',
            "refs.bib": book("refs1"),
            "final.bib": book("final1"),
            "p.qmd": "---\nformat:\n  html: default\n  pdf:\n    bibliography: final.bib\n---\n\n"
            "[@refs1; @final1]\n",
        }
    )
    _, data, _ = run("p.qmd")
    assert sorted((c["cited_key"], c["status"]) for c in data["citations"]) == [
        ("final1", "ok"),
        ("final1", "unknown-key"),
        ("refs1", "ok"),
        ("refs1", "unknown-key"),
    ]


@pytest.mark.skipif(
    __import__("shutil").which("kpsewhich") is None,
    reason="kpsewhich (TeX Live) not installed: the .bst cannot be read (.ci/run installs it)",
)
def test_a_natbib_documents_style_judges_entry_types() -> None:
    """biblio-style: apalike with cite-method: natbib: BibTeX runs apalike.bst, which warns
    "entry type for "w1" isn't style-file defined" for an @online (checked with pandoc --natbib,
    pdflatex and bibtex); citeproc's HTML reads it."""
    write(
        {
            "refs.bib": "@online{w1, author={A, B}, title={T}, year={2020}, url={http://x}}\n",
            "p.qmd": "---\nbibliography: refs.bib\nbiblio-style: apalike\nformat:\n  pdf:\n"
            "    cite-method: natbib\n---\n\n[@w1]\n",
            "h.qmd": "---\nbibliography: refs.bib\n---\n\n[@w1]\n",
        }
    )
    _, data, stderr = run("p.qmd")
    [problem] = data["problems"]
    assert problem["code"] == "BIB104" and "apalike.bst" in problem["message"]
    assert "style apalike" in stderr
    _, data, _ = run("h.qmd")
    assert data["problems"] == []


@pytest.mark.skipif(sys.platform != "linux", reason="the helper is forked on Linux")
def test_a_long_manuscript_checked_per_format_reads_the_helpers_pieces_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A manuscript long enough for the helper, checked once per format's bibliography: the
    helper's pieces (sent as it scans) are kept for the second check, which reports the same
    citations as the first; and as with no helper at all."""
    from argmap.checks import ahead

    filler = "Words around the citations, long enough for the helper. " * 20 + "\n\n"
    body = "".join(f"{filler}[@refs1; @final1] (Roe, 2001)\n\n" for _ in range(80))
    write(
        {
            "_quarto.yml": "bibliography: refs.bib\n",
            "refs.bib": book("refs1"),
            "final.bib": book("final1"),
            "paper.qmd": "---\nformat:\n  html: default\n  pdf:\n    bibliography: final.bib\n"
            "---\n\n" + body,
        }
    )
    assert Path("paper.qmd").stat().st_size >= ahead.SHARE_FROM_BYTES
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    streams: list[int] = []
    real = ahead.ScanAhead.pieces

    def counted(self: ahead.ScanAhead, index: int, own: Iterator[Piece]) -> object:
        streams.append(index)
        return real(self, index, own)

    monkeypatch.setattr(ahead.ScanAhead, "pieces", counted)
    reports = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("ARGMAP_WORKERS", workers)
        streams.clear()
        code, data, _ = run("paper.qmd")
        assert code == 1
        reports[workers] = data
        assert streams == ([] if workers == "1" else [0])  # the helper's pieces taken once
    assert reports["2"] == reports["1"]
    cited = [(c["cited_key"], c["status"]) for c in reports["2"]["citations"]]
    assert cited.count(("refs1", "ok")) == 80 and cited.count(("final1", "ok")) == 80
    assert cited.count(("refs1", "unknown-key")) == 80


def test_a_defaults_files_missing_input_file_is_an_error_at_its_line() -> None:
    """pandoc -d with input-files naming a file that is not there: one error naming the
    defaults file, its line and the field (exit 2)."""
    write({"refs.bib": book("a1"), "d.yaml": "bibliography: refs.bib\ninput-files: [nope.md]\n"})
    code, _, stderr = run("-d", "d.yaml")
    assert code == 2
    assert "d.yaml:2 input-files: 'nope.md'" in stderr


def test_a_format_naming_no_bibliography_is_warned_of_and_the_others_checked() -> None:
    """With nothing configured, a format naming no bibliography (pdf) beside one that names one
    (html) no longer stops the check (exit 2): html is checked, pdf is warned of."""
    write(
        {
            "_quarto.yml": "project:\n  type: default\nformat:\n  html:\n"
            "    bibliography: refs.bib\n  pdf: default\n",
            "refs.bib": book("real1"),
            "a.qmd": "---\ntitle: a\n---\n\n[@real1; @nope]\n",
        }
    )
    code, data, stderr = run("a.qmd")
    assert code == 1
    assert statuses(data) == {"real1": "ok", "nope": "unknown-key"}
    warned = [p for p in data["problems"] if p["code"] == "DOC107"]
    assert [(p["source"], p["severity"], p["kind"]) for p in warned] == [
        ("a.qmd", "warning", "format-without-bibliography")
    ]
    assert warned[0]["message"].startswith(
        "format pdf names no bibliography, and none is configured: not checked for that format"
    )
    assert "names no bibliography" not in stderr  # rendered once, in the report


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("concise", "a.qmd:1:1: warning DOC107 format pdf names no bibliography"),
        ("github", "::warning file=a.qmd,title=DOC107 format-without-bibliography::format pdf"),
        ("sarif", '"ruleId": "DOC107"'),
        ("full", "format pdf names no bibliography"),
    ],
    ids=["concise", "github", "sarif", "full"],
)
def test_a_format_naming_no_bibliography_is_in_every_output_format(fmt: str, expected: str) -> None:
    """The warning is a problem (DOC107) like any other: in the report of every output format,
    not on stderr alone; --ignore DOC107 leaves it out."""
    write(
        {
            "_quarto.yml": "project:\n  type: default\nformat:\n  html:\n"
            "    bibliography: refs.bib\n  pdf: default\n",
            "refs.bib": book("real1"),
            "a.qmd": "---\ntitle: a\n---\n\n[@real1]\n",
        }
    )
    result = runner.invoke(
        app, ["check-citations", "--output-format", fmt, "a.qmd"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout
    assert "names no bibliography" not in result.stderr
    ignored = runner.invoke(
        app, ["check-citations", "--output-format", fmt, "--ignore", "DOC107", "a.qmd"]
    )
    assert ignored.exit_code == 0 and "format pdf names no bibliography" not in ignored.stdout


def test_no_format_naming_a_bibliography_still_stops() -> None:
    write(
        {
            "_quarto.yml": "project:\n  type: default\nformat:\n  html: default\n  pdf: default\n",
            "a.qmd": "---\ntitle: a\n---\n\n[@real1]\n",
        }
    )
    code, _, stderr = run("a.qmd")
    assert code == 2
    assert "no bibliography to check the manuscripts against" in stderr


def test_an_rticles_format_is_built_with_its_default_citation_package() -> None:
    """rticles::elsevier_article defaults to natbib (rticles' R/article.R): BibTeX builds it, so
    a key cited in another case is found (a warning), not unknown as citeproc would have it."""
    write(
        {
            "refs.bib": book("real1"),
            "paper.Rmd": "---\nbibliography: refs.bib\noutput: rticles::elsevier_article\n---\n\n"
            "[@Real1]\n",
        }
    )
    code, data, stderr = run("paper.Rmd")
    assert statuses(data) == {"Real1": "ok"}
    assert [p["code"] for p in data["problems"]] == ["CIT105"]
    assert (
        "built with BibTeX for rticles::elsevier_article (rticles::elsevier_article's default "
        "citation_package: natbib)" in stderr
    )
    assert code == 0


def test_r_markdown_pandoc_args_bibliography_replaces_the_documents() -> None:
    """``pandoc_args: [--bibliography, other.bib]`` under html_document: that format reads
    other.bib alone (pandoc 2.17 and 3.9: "citation real1 not found"), pdf_document refs.bib."""
    write(
        {
            "refs.bib": book("real1"),
            "other.bib": book("other1"),
            "two.Rmd": "---\nbibliography: refs.bib\noutput:\n  html_document:\n"
            '    pandoc_args: ["--bibliography", "other.bib"]\n  pdf_document: default\n---\n\n'
            "[@other1; @real1]\n",
        }
    )
    code, data, stderr = run("two.Rmd")
    assert code == 1
    messages = sorted(p["message"] for p in data["problems"])
    assert messages == [
        "unknown key 'other1' (format pdf_document)",
        "unknown key 'real1' (format html_document)",
    ]
    assert "two.Rmd (format html_document): bibliography other.bib" in stderr


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        (
            {"p.md": "---\nbibliography: refs.bib\ncsl: nope.csl\n---\n\n[@real1]\n"},
            ["p.md"],
            "p.md:3 csl: 'nope.csl': no such CSL style",
        ),
        (
            # ".csl" added, as pandoc adds it ("File apa.csl not found in resource path")
            {"p.md": "---\nbibliography: refs.bib\ncitation-style: apa\n---\n\n[@real1]\n"},
            ["p.md"],
            "p.md:3 citation-style: 'apa': no such CSL style (looked for apa.csl or apa",
        ),
        (
            # the defaults file's csl replaces the document's (which exists)
            {
                "p.md": "---\nbibliography: refs.bib\ncsl: x.csl\n---\n\n[@real1]\n",
                "x.csl": "<style/>\n",
                "d.yaml": "csl: nope.csl\n",
            },
            ["-d", "d.yaml", "p.md"],
            "d.yaml:1 csl: 'nope.csl': no such CSL style",
        ),
        (
            {
                "p.md": "---\nbibliography: refs.bib\n---\n\n[@real1]\n",
                "d.yaml": "metadata:\n  csl: nope.csl\n",
            },
            ["-d", "d.yaml", "p.md"],
            "d.yaml:1 metadata.csl: 'nope.csl': no such CSL style",
        ),
    ],
    ids=["front-matter", "citation-style-alias", "defaults-csl", "defaults-metadata-csl"],
)
def test_a_missing_csl_style_stops_as_pandoc_stops(
    files: dict[str, str], args: list[str], expected: str
) -> None:
    """pandoc 2.17 and 3.9 stop (exit 99) on a CSL style they cannot find: argmap names the
    file, line and field (exit 2)."""
    write({"refs.bib": book("real1"), **files})
    code, _, stderr = run(*args)
    assert code == 2
    assert f"argmap: error: {expected}" in stderr


def test_a_csl_style_that_exists_is_fine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(Path("xdg").absolute()))
    write(
        {
            "refs.bib": book("real1"),
            "sub/refs.bib": book("real1"),
            "sub/x.csl": "<style/>\n",
            "xdg/pandoc/csl/apa.csl": "<style/>\n",
            "sub/p.md": "---\nbibliography: refs.bib\ncsl: x.csl\n---\n\n[@real1]\n",
            "q.md": "---\nbibliography: refs.bib\ncsl: apa\n---\n\n[@real1]\n",
            "r.md": "---\nbibliography: refs.bib\ncsl: https://example.org/a.csl\n---\n\n[@real1]\n",
        }
    )
    # beside the document; in pandoc's user data directory's csl folder, .csl added; a URL
    for doc in ("sub/p.md", "q.md", "r.md"):
        code, _, stderr = run(doc)
        assert code == 0, stderr


def test_r_markdown_pandoc_args_defaults_file_is_read_from_the_documents_folder() -> None:
    """``pandoc_args: [-d, d.yaml]``: rmarkdown runs pandoc in the document's folder, so
    ``d.yaml`` and the bibliography it names are read from there, and its bibliography replaces
    the front matter's (as pandoc's -d does). Run from the repository's root, as a writer
    would."""
    write(
        {
            "paper/p.Rmd": "---\nbibliography: own.bib\noutput:\n  html_document:\n"
            "    pandoc_args: [-d, d.yaml]\n---\n\n[@real1; @own1]\n",
            "paper/d.yaml": "bibliography: refs.bib\n",
            "paper/refs.bib": book("real1"),
            "paper/own.bib": book("own1"),
        }
    )
    code, data, stderr = run("paper/p.Rmd")
    assert code == 1, stderr
    assert statuses(data) == {"real1": "ok", "own1": "unknown-key"}
    assert "bibliography paper/refs.bib, named in the defaults file paper/d.yaml" in stderr


def test_r_markdown_pandoc_args_metadata_file_is_read() -> None:
    """``--metadata-file meta.yaml`` in pandoc_args: its references count where the document
    has none, and its missing style stops (pandoc, run in the document's folder, stops)."""
    write(
        {
            "paper/p.Rmd": "---\nbibliography: refs.bib\noutput:\n  html_document:\n"
            "    pandoc_args: [--metadata-file=meta.yaml]\n---\n\n[@real1]\n",
            "paper/meta.yaml": "title: x\ncsl: nope.csl\n",
            "paper/refs.bib": book("real1"),
        }
    )
    code, _, stderr = run("paper/p.Rmd")
    assert code == 2
    assert "argmap: error: paper/meta.yaml:2 csl: 'nope.csl': no such CSL style" in stderr


def test_r_markdown_pandoc_args_missing_defaults_file_names_its_line() -> None:
    write(
        {
            "paper/_output.yml": "pdf_document:\n  pandoc_args:\n    - -d\n    - nope.yaml\n",
            "paper/p.Rmd": "---\nbibliography: refs.bib\n---\n\n[@real1]\n",
            "paper/refs.bib": book("real1"),
        }
    )
    code, _, stderr = run("paper/p.Rmd")
    assert code == 2
    assert "argmap: error: paper/_output.yml:4 pandoc_args: 'nope.yaml': no such defaults" in stderr
    assert "relative to the document's folder, where R Markdown runs pandoc" in stderr


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        (
            {
                "_quarto.yml": "project:\n  type: default\nbibliography: refs.bib\ncsl: nope.csl\n",
                "p.qmd": "---\ntitle: t\n---\n\n[@real1]\n",
            },
            ["p.qmd"],
            "_quarto.yml:4 csl: 'nope.csl': no such CSL style",
        ),
        (
            # a format's own: pandoc's citeproc renders html with it
            {
                "_quarto.yml": "project:\n  type: default\nbibliography: refs.bib\nformat:\n"
                "  html:\n    csl: nope.csl\n",
                "p.qmd": "---\ntitle: t\n---\n\n[@real1]\n",
            },
            ["p.qmd"],
            "_quarto.yml:6 csl: 'nope.csl': no such CSL style",
        ),
        (
            {
                "p.qmd": "---\ntitle: t\nbibliography: refs.bib\nformat:\n  docx:\n"
                "    citation-style: nope\n---\n\n[@real1]\n",
            },
            ["p.qmd"],
            "p.qmd:6 citation-style: 'nope': no such CSL style",
        ),
        (
            # a metadata file's csl, relative to the working directory (pandoc 2.17 and 3.9:
            # "File x.csl not found in resource path" for sub/x.csl named x.csl in sub/m.yaml)
            {
                "p.md": "---\ntitle: t\n---\n\n[@real1]\n",
                "sub/m.yaml": "bibliography: refs.bib\ncsl: x.csl\n",
                "sub/x.csl": "<style/>\n",
            },
            ["--metadata-file", "sub/m.yaml", "p.md"],
            "sub/m.yaml:2 csl: 'x.csl': no such CSL style",
        ),
    ],
    ids=["quarto-project", "quarto-format", "front-matter-format", "metadata-file"],
)
def test_a_missing_csl_style_of_a_project_or_metadata_file_stops(
    files: dict[str, str], args: list[str], expected: str
) -> None:
    """A style named in _quarto.yml, under a format, or in a --metadata-file, that pandoc
    (2.17, 3.9) does not find stops it (exit 99, Quarto's render with it): argmap names the
    file, line and field (exit 2)."""
    write({"refs.bib": book("real1"), **files})
    code, _, stderr = run(*args)
    assert code == 2, stderr
    assert f"argmap: error: {expected}" in stderr


@pytest.mark.parametrize(
    ("files", "args"),
    [
        (
            # Quarto rewrites a project's name found relative to the project
            # (toInputRelativePaths); pandoc then finds it from the chapter's folder
            {
                "_quarto.yml": "project:\n  type: default\nbibliography: refs.bib\n"
                "csl: styles/x.csl\n",
                "styles/x.csl": "<style/>\n",
                "ch/p.qmd": "---\ntitle: t\n---\n\n[@real1]\n",
            },
            ["ch/p.qmd"],
        ),
        (
            # natbib: pandoc writes \\citep{} and reads no style (checked: pandoc --natbib
            # with a missing csl builds); html, with its own csl, is fine
            {
                "p.qmd": "---\ntitle: t\nbibliography: refs.bib\ncsl: nope.csl\n"
                "format:\n  pdf:\n    cite-method: natbib\n---\n\n[@real1]\n",
            },
            ["p.qmd"],
        ),
        (
            # Typst's own bibliography: csl is its style (a name such as apa is Typst's own)
            {
                "p.qmd": "---\ntitle: t\nbibliography: refs.bib\ncsl: apa\n"
                "format: typst\n---\n\n[@real1]\n",
            },
            ["p.qmd"],
        ),
        (
            # the document's own csl wins over a metadata file's (pandoc 2.17 and 3.9)
            {
                "p.md": "---\ntitle: t\ncsl: x.csl\n---\n\n[@real1]\n",
                "x.csl": "<style/>\n",
                "m.yaml": "bibliography: refs.bib\ncsl: nope.csl\n",
            },
            ["--metadata-file", "m.yaml", "p.md"],
        ),
        (
            {
                "p.md": "---\ntitle: t\ncsl: nope.csl\n---\n\n[@real1]\n",
                "d.yaml": "bibliography: refs.bib\ncite-method: natbib\n",
            },
            ["-d", "d.yaml", "p.md"],
        ),
    ],
    ids=["quarto-project-relative", "natbib-format", "typst", "document-wins", "defaults-natbib"],
)
def test_a_csl_style_pandoc_finds_or_does_not_read_is_fine(
    files: dict[str, str], args: list[str]
) -> None:
    write({"refs.bib": book("real1"), **files})
    code, _, stderr = run(*args)
    assert code == 0, stderr


@pytest.mark.parametrize(
    "csl",
    ["\"`r system.file('apa.csl', package = 'papaja')`\"", '!expr here::here("apa.csl")'],
    ids=["inline-r", "expr"],
)
def test_a_csl_style_computed_by_r_code_is_not_looked_for(csl: str) -> None:
    """R Markdown computes the style's path (papaja's, ``here::here``): argmap, which runs no R,
    cannot look for it, and a style changes no key found, so the check goes on."""
    write(
        {
            "refs.bib": book("real1"),
            "p.Rmd": f"---\nbibliography: refs.bib\ncsl: {csl}\n---\n\n[@real1]\n",
        }
    )
    code, _, stderr = run("p.Rmd")
    assert code == 0, stderr


CSL_YAML = "- id: real1\n  type: book\n  title: T\n  author:\n    - family: A\n"
HAYAGRIVA = "real1:\n  type: book\n  title: T\n  author: A, B\n  date: 2020\n"


@pytest.mark.parametrize(
    ("quarto", "bib", "text", "expected"),
    [
        (
            "format: typst\n",
            "refs.yml",
            HAYAGRIVA,
            "a.qmd:2 bibliography: 'refs.yml' is read by Typst (format typst) as a Hayagriva "
            "YAML bibliography, which argmap does not read",
        ),
        (
            "format:\n  html: default\n  typst: default\n",
            "refs.json",
            '[{"id": "real1", "type": "book", "title": "T"}]',
            "a.qmd:2 bibliography: 'refs.json': Typst (format typst) reads only a .bib or a "
            "Hayagriva .yml/.yaml bibliography",
        ),
    ],
    ids=["hayagriva", "csl-json"],
)
def test_a_typst_format_reads_its_bibliography_itself(
    quarto: str, bib: str, text: str, expected: str
) -> None:
    """Typst 0.15 reads a .bib or Hayagriva .yml (a CSL-JSON stops it: "unknown bibliography
    format (must be .yaml/.yml or .bib)"); argmap reads no Hayagriva: both stop, saying so."""
    write(
        {"_quarto.yml": quarto, bib: text, "a.qmd": f"---\nbibliography: {bib}\n---\n\n[@real1]\n"}
    )
    code, _, stderr = run("a.qmd")
    assert code == 2
    assert f"argmap: error: {expected}" in stderr


@pytest.mark.parametrize(
    ("formats", "said"),
    [
        ("format: typst\n", ["Typst (format typst) reads it as a misc entry, silently"]),
        (
            "format:\n  html: default\n  typst: default\n",
            [
                "pandoc reads it as an item of no type, silently",
                "Typst (format typst) reads it as a misc entry, silently",
            ],
        ),
    ],
    ids=["typst", "html-and-typst"],
)
def test_an_unknown_type_in_a_typst_build_says_what_typst_prints(
    formats: str, said: list[str]
) -> None:
    """Typst 0.15 prints an entry of a type typst/biblatex does not know (@webpage) as
    Hayagriva's misc, without a word (checked with the typst binding): BIB104 says so for the
    typst format, and pandoc's reading for an html format beside it."""
    write(
        {
            "_quarto.yml": formats,
            "refs.bib": "@webpage{w1, author={A, B}, title={T}, year={2020}, url={https://x.org}}\n",
            "a.qmd": "---\nbibliography: refs.bib\n---\n\n[@w1]\n",
        }
    )
    code, data, stderr = run("a.qmd")
    assert code == 0, stderr
    (problem,) = [p for p in data["problems"] if p["code"] == "BIB104"]
    for words in said:
        assert words in problem["message"]
    if len(said) == 1:
        assert "pandoc" not in problem["message"]


def test_a_front_matters_typst_format_is_read_without_a_project() -> None:
    """``format: typst`` in the front matter alone (no _quarto.yml): Typst reads the
    bibliography (it was taken for an html document, read by pandoc's citeproc)."""
    write(
        {
            "refs.yml": HAYAGRIVA,
            "a.qmd": "---\nbibliography: refs.yml\nformat: typst\n---\n\n[@real1]\n",
        }
    )
    code, _, stderr = run("a.qmd")
    assert code == 2
    assert "a.qmd:2 bibliography: 'refs.yml' is read by Typst (format typst)" in stderr


@pytest.mark.parametrize(
    ("quarto", "bib", "text"),
    [
        ("format:\n  typst:\n    citeproc: true\n", "refs.yaml", CSL_YAML),
        ("format: typst\n", "refs.bib", book("real1")),
    ],
    ids=["citeproc-true-csl-yaml", "typst-bib"],
)
def test_a_typst_format_with_citeproc_or_a_bib(quarto: str, bib: str, text: str) -> None:
    write(
        {"_quarto.yml": quarto, bib: text, "a.qmd": f"---\nbibliography: {bib}\n---\n\n[@real1]\n"}
    )
    code, data, stderr = run("a.qmd")
    assert code == 0, stderr
    assert statuses(data) == {"real1": "ok"}


def test_a_typst_document_checked_with_bib_is_read_as_typst_reads_it() -> None:
    """A typst format's document that names no bibliography, checked with --bib: its entries
    are read as Typst reads them (round 28 read them as pandoc's citeproc: the _Member of a
    document naming none lost its typst formats)."""
    write(
        {
            "w.bib": "@webpage{w1, author={A, B}, title={T}, year={2020}, url={https://x.org}}\n",
            "a.qmd": "---\nformat: typst\n---\n\n[@w1]\n",
        }
    )
    code, data, stderr = run("a.qmd", "--bib", "w.bib", "--no-cache")
    assert code == 0, stderr
    (problem,) = [p for p in data["problems"] if p["code"] == "BIB104"]
    assert "Typst (format typst) reads it as a misc entry, silently" in problem["message"]
    assert "pandoc" not in problem["message"]


RMD_ARGS = "---\noutput:\n  html_document:\n    pandoc_args: [{args}]\n{more}---\n\n[@real1]\n"


@pytest.mark.parametrize(
    ("args", "more", "warned"),
    [
        ('"--metadata-file", "meta.yaml"', "", True),
        ('"-d", "d.yaml"', "", True),
        ('"--bibliography", "refs.bib"', "", True),
        ('"--metadata-file", "meta.yaml", "--citeproc"', "", False),
        ('"--metadata-file", "meta.yaml"', "bibliography: refs.bib\n", False),
        ('"-d", "c.yaml"', "", False),
    ],
    ids=["metadata-file", "defaults", "bibliography", "citeproc", "front-matter", "d-citeproc"],
)
def test_r_markdown_runs_no_citeproc_for_a_bibliography_its_pandoc_args_alone_name(
    args: str, more: str, warned: bool
) -> None:
    """rmarkdown's citeproc_required (R/output_format.R) adds --citeproc only when the front
    matter names a bibliography or references; pandoc then prints "[@real1]" as written."""
    write(
        {
            "sub/refs.bib": book("real1"),
            "sub/meta.yaml": "bibliography: refs.bib\n",
            "sub/d.yaml": "bibliography: refs.bib\n",
            "sub/c.yaml": "bibliography: refs.bib\nciteproc: true\n",
            "sub/doc.Rmd": RMD_ARGS.format(args=args, more=more),
        }
    )
    code, data, stderr = run("sub/doc.Rmd", "--no-cache")
    assert code == 0, stderr
    assert data["citations"][0]["status"] == "ok"
    found = [p for p in data["problems"] if p["code"] == "DOC108"]
    assert bool(found) is warned
    if warned:
        assert "R Markdown runs pandoc without --citeproc" in found[0]["message"]


@pytest.mark.parametrize(
    ("meta", "hint"),
    [
        ("bibliography: nope.bib\n", "correct the name (relative to the document's folder, where"),
        ("bibliography: ${.}/refs.bib\n", "write the path relative to the document's folder"),
        ("bibliography: refs.bib\n", "relative to the document's folder, where R Markdown runs"),
    ],
    ids=["missing", "expansion", "beside-the-metadata-file"],
)
def test_r_markdowns_metadata_file_hints_name_the_documents_folder(meta: str, hint: str) -> None:
    write(
        {
            "sub/m/refs.bib": book("real1"),
            "sub/m/meta.yaml": meta,
            "sub/doc.Rmd": RMD_ARGS.format(args='"--metadata-file", "m/meta.yaml"', more=""),
        }
    )
    code, _, stderr = run("sub/doc.Rmd", "--no-cache")
    assert code == 2
    assert hint in stderr
    assert "working directory" not in stderr


@pytest.mark.parametrize(
    ("csl", "stops"),
    [("missing.csl", True), ("styles/here.csl", False), ("apa", False)],
    ids=["missing-file", "file", "typst-style-name"],
)
def test_a_typst_formats_csl_file_is_looked_for(csl: str, stops: bool) -> None:
    """Quarto passes a typst format's csl to Typst (``#set bibliography(style: "$csl$")``,
    quarto-cli's biblio.typ): Typst 0.15 stops on a .csl file it does not find ("file not
    found") and reads a name as one of its own styles."""
    write(
        {
            "refs.bib": book("real1"),
            "styles/here.csl": "<style/>\n",
            "a.qmd": f"---\nbibliography: refs.bib\nformat:\n  typst:\n    csl: {csl}\n---\n\n"
            "[@real1]\n",
        }
    )
    code, _, stderr = run("a.qmd", "--no-cache")
    assert code == (2 if stops else 0), stderr
    if stops:
        assert "a.qmd:5 csl: 'missing.csl': no such CSL style" in stderr
        assert 'Typst (format typst) stops on it ("file not found")' in stderr


@pytest.mark.parametrize(
    ("header", "files", "line"),
    [
        (
            "    include-in-header: preamble.tex\n",
            {"preamble.tex": "% biblatex's resources\n\\addbibresource{refs.bib}\n"},
            "preamble.tex (a LaTeX header of format pdf) (line 2)",
        ),
        (
            "    include-in-header:\n      text: |\n        \\usepackage{csquotes}\n"
            "        \\addbibresource{refs.bib}\n",
            {},
            "a.qmd (a LaTeX header of format pdf) (line 8)",
        ),
    ],
    ids=["file", "text"],
)
def test_a_biblatex_formats_header_names_its_bibliography(
    header: str, files: dict[str, str], line: str
) -> None:
    """Quarto's LaTeX template loads biblatex before the header-includes (quarto-cli's
    pandoc.tex: biblio-config.tex, then header-includes), so an include-in-header's
    \\addbibresource is a resource biber reads (round 28 stopped: no bibliography named)."""
    write(
        {
            "refs.bib": book("real1"),
            **files,
            "a.qmd": f"---\nformat:\n  pdf:\n    cite-method: biblatex\n{header}---\n\n"
            "[@real1; @nope]\n",
        }
    )
    code, data, stderr = run("a.qmd", "--no-cache")
    assert code == 1, stderr
    assert f"named by \\addbibresource in {line}" in stderr
    assert statuses(data) == {"real1": "ok", "nope": "unknown-key"}
