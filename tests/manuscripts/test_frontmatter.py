"""YAML front matter pandoc refuses is reported (DOC104), with its line and field; front matter
pandoc reads is not (issue 22: ICAMS/Kanapy's paper passed clean though pandoc stops on it)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from argmap.bib.pandoc import find_pandoc
from argmap.manuscripts.frontmatter import plainly_valid
from argmap.manuscripts.read import open_manuscript
from argmap.manuscripts.spans import Notice

REFUSED = [
    pytest.param(
        "---\ntitle: A\nauthors:\n- name: X\n  affiliation: 1\n  - name: Y\n---\n\nText.\n",
        6,
        "authors",
        "did not find expected key",
        id="list-item-indented-unlike-its-siblings",
    ),
    pytest.param(
        "---\ntitle: Kanapy: a generator\n---\n\nText.\n",
        2,
        "title",
        "mapping values are not allowed",
        id="colon-in-plain-value",
    ),
    pytest.param(
        '---\nbibliography: paper.bib\ntitle: "unclosed\n---\n\nText.\n',
        3,
        "title",
        "quoted scalar",
        id="unclosed-quote",
    ),
    pytest.param(
        "---\ntags: [a, b\ndate: 2020\n---\n\nText.\n",
        2,
        "tags",
        "flow sequence",
        id="unclosed-bracket",
    ),
    pytest.param(
        "---\ntitle: A\n\tauthor: B\n---\n\nText.\n", 3, "title", "tab", id="tab-indentation"
    ),
    pytest.param("---\na: &x 1\nb: *y\n---\n\nText.\n", 3, "b", "undefined alias", id="alias"),
    pytest.param("---\na:\n  b: 1\n\tc: 2\n---\n\nText.\n", 4, "a", "tab", id="tab-after-spaces"),
    pytest.param(
        "---\r\ntitle: A\r\nauthors:\r\n- name: X\r\n  - name: Y\r\n---\r\n\r\nText.\r\n",
        5,
        "authors",
        "did not find expected key",
        id="crlf",
    ),
    pytest.param(
        "---\ntitle: A\nabstract: B\n...\n\nText.\n",
        None,
        None,
        None,
        id="dots-close-valid",
    ),
    pytest.param(
        "# Intro\n\nText.\n\n---\nThe result: it works: well.\n---\n\nMore.\n",
        6,
        "The result",
        "mapping values are not allowed",
        id="later-block-after-a-blank-line",
    ),
    pytest.param(
        "Text.\n\n---   \na: [x\nb: 1\n...\n\nMore.\n", 4, "a", "flow sequence", id="later-dots"
    ),
]
READ = [
    pytest.param("---\ntitle: A\ntitle: B\n---\n\nText.\n", id="duplicate-key"),
    pytest.param("---\ndate: 2001-13-45\nn: 0b_\n---\n\nText.\n", id="value-pyyaml-cannot-build"),
    pytest.param("---\n- a\n- b\n---\n\nText.\n", id="a-list"),
    # BBT's zotero.lua test document (retorquere/zotero-better-bibtex #2248): pandoc 2.17 and
    # 3.9 build it; a tab of the indentation runs to the next multiple of 8 columns
    pytest.param("---\ntitle: T\nzotero:\n\tcsl-style: apa\n---\n\nText.\n", id="tab-map"),
    pytest.param("---\na:\n\t\tb: 1\n\t\tc: 2\nd:\n\t- x\n---\n\nText.\n", id="tabs"),
    pytest.param("---\n\ntitle: A: b\n---\n\nText.\n", id="blank-after-dashes-is-a-rule"),
    pytest.param("---\ntitle: 'A: b'\nauthors:\n  - name: X\n  - name: Y\n---\n", id="valid"),
    pytest.param("Text first.\n\n---\n\nMore: text: here.\n", id="no-front-matter"),
    pytest.param("Intro.\n---\nNote: this is: prose\n---\n\nText.\n", id="later-no-blank-before"),
    pytest.param("# Intro\n---\nNote: this is: prose\n---\n\nText.\n", id="later-after-heading"),
    pytest.param("Text.\n\n---\n\nNote: this: prose.\n\n---\n\nMore.\n", id="later-rules"),
    pytest.param("Text.\n\n```\n---\na: b: c\n---\n```\n\nMore.\n", id="later-in-code"),
    pytest.param("Text.\n\n<!--\n---\na: b: c\n---\n-->\n\nMore.\n", id="later-in-comment"),
    pytest.param("Text.\n\n---\na: b: c\n", id="later-never-closed"),
    pytest.param("Text.\n\n---\nJust a line of prose.\n---\n\nMore.\n", id="later-a-scalar"),
]


def notices(tmp_path: Path, text: str) -> list[Notice]:
    path = tmp_path / "paper.md"
    path.write_bytes(text.encode())
    return [p for p in open_manuscript(path) if isinstance(p, Notice)]


@pytest.mark.parametrize(("text", "line", "field", "what"), REFUSED)
def test_front_matter_pandoc_refuses_is_reported(
    tmp_path: Path, text: str, line: int | None, field: str | None, what: str | None
) -> None:
    found = notices(tmp_path, text)
    if line is None:
        assert found == []
        return
    [notice] = found
    assert (notice.kind, notice.line, notice.error) == ("front-matter-invalid", line, True)
    assert notice.column is not None and notice.column >= 1
    assert f"in '{field}'" in notice.message
    assert what is not None and what in notice.message
    assert "pandoc stops on it" in notice.message


@pytest.mark.parametrize("text", READ)
def test_front_matter_pandoc_reads_is_not_reported(tmp_path: Path, text: str) -> None:
    assert notices(tmp_path, text) == []


PANDOC = find_pandoc()


@pytest.mark.skipif(
    PANDOC is None, reason="pandoc ≥ 2.11 not found (pip install '.[test]' brings it)"
)
@pytest.mark.parametrize(
    "text", [p.values[0] for p in REFUSED + READ], ids=[p.id or "" for p in REFUSED + READ]
)
def test_reported_exactly_when_pandoc_refuses(tmp_path: Path, text: str) -> None:
    """The oracle: pandoc itself, on the same file."""
    assert PANDOC is not None
    path = tmp_path / "paper.md"
    path.write_bytes(str(text).encode())
    run = subprocess.run(
        [str(PANDOC), str(path), "-t", "plain", "-o", str(tmp_path / "out.txt")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    refused = run.returncode != 0 and "YAML" in run.stderr
    assert refused == bool(notices(tmp_path, str(text))), run.stderr


# Lines front matter is made of, well formed and not: indents, list marks, keys, values YAML
# reads and values it refuses (": " in a plain value, open quotes and brackets, indicators, tabs,
# control characters), comments and block scalars.
_INDENTS = st.sampled_from(["", " ", "  ", "   ", "    ", "\t", "      "])
_KEYS = st.sampled_from(
    ["title", "name", "a", "orcid", "rticles::joss", "k-1", "x.y", "key  ", "a::", "b:c", "_"]
)
_VALUES = st.sampled_from(
    [
        "",
        "A title",
        "Kanapy: a generator",
        "0000-0001-6984-7144",
        "https://example.org/x",
        "C# and F#",
        "value # comment",
        "value #no-comment",
        "'quoted: yes'",
        "'open",
        '"double: yes"',
        '"esc \\" x"',
        '"open',
        "[a, b]",
        "[a, b",
        "['x, y', z]",
        "[]",
        "|",
        ">-",
        "|+",
        "&anchor x",
        "*alias",
        "!tag x",
        "@at",
        "`tick`",
        "- dash",
        "-5",
        "? q",
        ": c",
        "a: b",
        "x\t y",
        "bell\x07",
        "nbsp\xa0x",
        "2001-13-45",
        "yes",
        "{a: 1}",
        "% d",
        "ends:",
    ]
)
_LINE = st.one_of(
    st.builds(lambda i, k, v: f"{i}{k}: {v}".rstrip(), _INDENTS, _KEYS, _VALUES),
    st.builds(lambda i, k, v: f"{i}- {k}: {v}".rstrip(), _INDENTS, _KEYS, _VALUES),
    st.builds(lambda i, v: f"{i}- {v}".rstrip(), _INDENTS, _VALUES),
    st.builds(lambda i, v: f"{i}{v}", _INDENTS, _VALUES),
    st.sampled_from(["", "# a comment", "  # indented comment", "   ", "-", "key:", "\r"]),
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=12))
# found by this test: a block scalar's leading blank line wider than its first text line's indent
@example(["title: |", "  ", " -"])
def test_plainly_valid_front_matter_is_valid_yaml(lines: list[str]) -> None:
    """The fast path is sound: front matter it calls plainly valid, libyaml (pandoc's parser)
    reads; whatever it is not certain of goes to libyaml."""
    import yaml

    if plainly_valid(lines):
        yaml.compose("\n".join(lines), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.mark.parametrize(
    "text",
    [
        "title: A\nauthors:\n- name: X\n  orcid: 0000-0001\n  affiliation: 1\n- name: Y\n",
        "title: 'A: b'\ntags: [Python, astronomy]\ndate: 06 February 2020\nbibliography: p.bib\n",
        "title: A\nabstract: |\n  Long text: colons # and hashes\n\n  more\nkeywords:\n  - a\n",
        "output:\n  rticles::joss_article:\n    keep_tex: true # why\n",
    ],
    ids=["joss-authors", "quoted-and-flow", "block-scalar", "rmarkdown-output"],
)
def test_usual_front_matter_is_plainly_valid(text: str) -> None:
    """The usual JOSS, Quarto and R Markdown front matter needs no YAML parser (PyYAML's
    import costs ~15 ms of CPU per check)."""
    assert plainly_valid(text.split("\n"))


def test_invalid_front_matter_is_never_plainly_valid() -> None:
    for text, line, *_ in (p.values for p in REFUSED if p.values[1] is not None):
        lines = str(text).split("\n")
        start = int(str(line)) - 1
        while start and lines[start - 1].rstrip() != "---":
            start -= 1
        end = next(i for i in range(start, len(lines)) if lines[i].rstrip() in ("---", "..."))
        assert not plainly_valid(lines[start:end]), text


# An unclosed '---' on line 1: pandoc 2.17 and 3.9 (-t native) read a HorizontalRule and the
# rest as text, citations included; argmap read the whole file as front matter and lost them.
UNCLOSED = {
    "key-then-text": (
        "---\ntitle: X\nauthor: Y\n\nText @k1 and (Smith, 2000).\n\nMore @k2.\n",
        ["k1", "Smith, 2000", "k2"],
        True,
    ),
    "rule-blank-line-rule": ("---\n\nText @k1\n\n---\n", ["k1"], False),
    "rule-then-paragraph": ("---\nText @k1\n", ["k1"], False),
}


@pytest.mark.parametrize(("text", "cited", "warned"), UNCLOSED.values(), ids=UNCLOSED.keys())
def test_unclosed_front_matter_is_read_as_pandoc_reads_it(
    tmp_path: Path, text: str, cited: list[str], warned: bool
) -> None:
    from argmap.citations.scanner import scan_span
    from argmap.manuscripts.spans import Span

    path = tmp_path / "paper.md"
    path.write_text(text, encoding="utf-8")
    pieces = list(open_manuscript(path))
    found = [
        f.key or f.text.strip("()")
        for piece in pieces
        if isinstance(piece, Span)
        for f in scan_span(piece)
    ]
    assert found == cited
    kinds = [(p.kind, p.line, p.error) for p in pieces if isinstance(p, Notice)]
    assert kinds == ([("front-matter-unclosed", 1, False)] if warned else [])


@pytest.mark.skipif(
    PANDOC is None, reason="pandoc ≥ 2.11 not found (pip install '.[test]' brings it)"
)
@pytest.mark.parametrize("text", [v[0] for v in UNCLOSED.values()], ids=UNCLOSED.keys())
def test_unclosed_front_matter_is_a_rule_to_pandoc(text: str) -> None:
    assert PANDOC is not None
    native = subprocess.run(
        [str(PANDOC), "-f", "markdown", "-t", "native"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert native.lstrip("[ \n").startswith("HorizontalRule")
    assert 'citationId = "k1"' in native


@pytest.mark.parametrize("where", ["paper.qmd", "paper.Rmd", "book/paper.md"])
def test_tabs_stop_quarto_and_r_markdown(tmp_path: Path, where: str) -> None:
    """Quarto (js-yaml: "tab characters must not be used in indentation") and R Markdown
    (libyaml) stop on a tab in the indentation that pandoc alone reads: a .qmd, an .Rmd and a
    .md of a Quarto project are still reported."""
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")
    path = tmp_path / where
    path.write_text("---\ntitle: T\nzotero:\n\tcsl-style: apa\n---\n\nText.\n", "utf-8")
    [notice] = [p for p in open_manuscript(path) if isinstance(p, Notice)]
    assert (notice.kind, notice.line, notice.error) == ("front-matter-invalid", 4, True)
