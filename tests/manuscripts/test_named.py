"""What a manuscript names as its bibliography, read from its text: which YAML blocks pandoc reads
as metadata, the usual ``bibliography:`` forms read without PyYAML, LaTeX's commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from argmap.errors import ManuscriptError
from argmap.manuscripts.named import latex_naming, markdown_naming, metadata_blocks

DOC = Path("paper.md")


def names(text: str) -> list[tuple[str, int]] | None:
    files = markdown_naming(DOC, text).files
    return None if files is None else [(f.written, f.line) for f in files]


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("---\na: 1\n---\n", [1]),
        ("---\n\na: 1\n---\n", []),  # "---" then a blank line: a rule
        ("---\na: 1\n", []),  # never closed: a rule and text
        ("text\n---\na: 1\n---\n", []),  # no blank line before: a setext heading
        ("text\n\n---\na: 1\n...\n", [3]),
        ("<!--\n\n---\na: 1\n---\n-->\n", []),
        ("~~~\n\n---\na: 1\n---\n~~~\n", []),
        ("---\na: 1\n---\n\n---\nb: 2\n---\n", [1, 5]),
    ],
    ids=["front", "blank-after", "unclosed", "no-blank-before", "later", "comment", "fence", "two"],
)
def test_metadata_blocks_as_pandoc_reads_them(text: str, starts: list[int]) -> None:
    assert [start for start, _, _ in metadata_blocks(text)] == starts


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("bibliography: refs.bib", [("refs.bib", 2)]),
        ("bibliography: 'my refs.bib'  # mine", [("my refs.bib", 2)]),
        ('bibliography: "../refs.bib"', [("../refs.bib", 2)]),
        ("bibliography: [a.bib, b.bib]", [("a.bib", 2), ("b.bib", 2)]),
        ("bibliography: []", []),
        ("bibliography:\n  - a.bib\n\n  - b.bib", [("a.bib", 3), ("b.bib", 5)]),
        ("bibliography: >-\n  folded.bib", [("folded.bib", 2)]),
    ],
)
def test_bibliography_forms(field: str, expected: list[tuple[str, int]]) -> None:
    assert names(f"---\n{field}\ntitle: T\n---\ntext\n") == expected


def test_a_document_that_names_nothing() -> None:
    assert markdown_naming(DOC, "---\ntitle: T\n---\n@a\n") == (None, None, False)
    assert names("bibliography: refs.bib\n") is None  # not in a metadata block


def test_inline_references_keep_the_documents_lines() -> None:
    inline = markdown_naming(DOC, "---\ntitle: T\nreferences:\n- id: a\n---\n").inline
    assert inline is not None
    assert (inline.line, inline.start) == (3, 1)
    assert inline.text.split("\n")[3] == "- id: a"  # line 4 of the document


@pytest.mark.parametrize(
    "field",
    ["bibliography: {a: {b: 1}}", "bibliography:\n  a:\n    b: 1", "bibliography: [[a.bib]]"],
)
def test_a_value_that_is_no_file_name_is_an_error(field: str) -> None:
    with pytest.raises(ManuscriptError) as raised:
        markdown_naming(DOC, f"---\n{field}\n---\n")
    assert (raised.value.line, raised.value.field) == (2, "bibliography")


def test_multibibs_named_bibliographies_are_every_file() -> None:
    """pandoc-ext/multibib's ``bibliography: {refereed: a.bib, other: [b.bib, c.bib]}``."""
    naming = markdown_naming(
        DOC, "---\nbibliography:\n  refereed: a.bib\n  other: [b.bib, c.bib]\n---\n"
    )
    assert naming.files is not None
    assert [(n.written, n.line) for n in naming.files] == [("a.bib", 3), ("b.bib", 4), ("c.bib", 4)]


def test_latex_commands(tmp_path: Path) -> None:
    text = (
        "\\addbibresource[datatype=bibtex]{a.bib}\n"
        "\\bibliography{b, c.bib} % \\bibliography{d}\n"
        "\\newcommand{\\mybib}[1]{\\bibliography{#1}}\n"
        "\\nobibliography{e}\n"
    )
    files = latex_naming(tmp_path / "p.tex", text, lambda p: "").files
    assert files is not None
    assert [(f.written, f.line, f.field) for f in files] == [
        ("a.bib", 1, "\\addbibresource"),
        ("b.bib", 2, "\\bibliography"),
        ("c.bib", 2, "\\bibliography"),
        ("e.bib", 4, "\\nobibliography"),
    ]


def test_the_usual_field_is_read_without_pyyaml(tmp_path: Path) -> None:
    # PyYAML's import costs ~15 ms: a check of a document naming refs.bib does without it
    (tmp_path / "refs.bib").write_text("@book{a, title={T}, year={2000}}\n", encoding="utf-8")
    (tmp_path / "paper.md").write_text(
        "---\ntitle: T\nbibliography: [refs.bib]\n---\n@a\n", encoding="utf-8"
    )
    code = (
        "import sys\n"
        "sys.argv = ['argmap', 'check-citations', 'paper.md', '--format', 'json']\n"
        "from argmap.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('YAML:' + str('yaml' in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert '"ok": 1' in out.stdout
    assert out.stderr.endswith("YAML:False"), out.stderr


def test_a_bibliography_in_a_verbatim_example_is_not_named(tmp_path: Path) -> None:
    """abnTeX2's manual (abntex2cite.tex:583) shows \\bibliography{arquivo-de-referencias-bib}
    in a verbatim example: no file LaTeX reads (argmap stopped with "no such file", exit 2); its
    real \\bibliography comes later. An \\iffalse branch names none either."""
    text = (
        "\\begin{verbatim}\n\\bibliography{arquivo-de-referencias-bib}\n\\end{verbatim}\n"
        "Use \\verb|\\addbibresource{shown.bib}| then.\n"
        "\\iffalse \\bibliography{dead} \\fi\n"
        "\\bibliography{abntex2-doc,abntex2-doc-test}\n"
    )
    files = latex_naming(tmp_path / "p.tex", text, lambda p: "").files
    assert files is not None
    assert [(f.written, f.line) for f in files] == [
        ("abntex2-doc.bib", 6),
        ("abntex2-doc-test.bib", 6),
    ]
