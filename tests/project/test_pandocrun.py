"""A pandoc run's defaults and metadata files (``argmap.project.pandocrun``): the values pandoc
would use, before any bibliography is resolved (the resolution is held to pandoc itself in
``tests/cli/test_pandoc_defaults_oracle.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.errors import ManuscriptError
from argmap.project.pandocrun import read_pandoc_run, user_data_dir


def test_variables_are_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("BIBS", "/srv/bibs")
    d = tmp_path / "conf" / "d.yaml"
    d.parent.mkdir()
    d.write_text(
        "bibliography: ['${.}/a.bib', '${USERDATA}/b.bib', '${BIBS}/c.bib', '${UNSET}/d.bib']\n",
        encoding="utf-8",
    )
    run = read_pandoc_run([d], [])
    assert run is not None and run.bibliography is not None
    assert [n.written for n in run.bibliography] == [
        f"{d.parent}/a.bib",
        f"{tmp_path}/.local/share/pandoc/b.bib",
        "/srv/bibs/c.bib",
        "${UNSET}/d.bib",
    ]


def test_legacy_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert user_data_dir() == tmp_path / ".local" / "share" / "pandoc"
    (tmp_path / ".pandoc").mkdir()
    assert user_data_dir() == tmp_path / ".pandoc"


def test_nothing_given_is_no_run() -> None:
    assert read_pandoc_run([], []) is None


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("metadata: [a]\n", "metadata"),
        ("metadata:\n  references: []\n", "metadata.references"),
        ("input-files: {a: b}\n", "input-files"),
        ("resource-path: [1]\n", "resource-path"),
    ],
)
def test_fields_pandoc_refuses(tmp_path: Path, text: str, field: str) -> None:
    d = tmp_path / "d.yaml"
    d.write_text(text, encoding="utf-8")
    with pytest.raises(ManuscriptError) as raised:
        read_pandoc_run([d], [])
    assert (raised.value.line, raised.value.field) == (1, field)


def test_nested_defaults_that_is_a_mapping(tmp_path: Path) -> None:
    d = tmp_path / "d.yaml"
    d.write_text("defaults: {a: b}\n", encoding="utf-8")
    with pytest.raises(ManuscriptError) as raised:
        read_pandoc_run([d], [])
    assert (raised.value.line, raised.value.field) == (1, "defaults")


@pytest.mark.parametrize("where", ["metadata", "variables"])
def test_a_defaults_files_biblio_style(tmp_path: Path, where: str) -> None:
    d = tmp_path / "d.yaml"
    d.write_text(f"cite-method: natbib\n{where}:\n  biblio-style: apalike\n", encoding="utf-8")
    run = read_pandoc_run([d], [])
    assert run is not None and run.tool is not None
    assert (run.tool.name, run.tool.style) == ("bibtex", "apalike")


@pytest.mark.parametrize(
    ("defaults", "style"),
    [
        pytest.param("", "apalike", id="the-document's-own"),
        pytest.param("metadata:\n  biblio-style: plainnat\n", "plainnat", id="-M-style-wins"),
    ],
)
def test_a_documents_own_biblio_style_under_a_natbib_defaults_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, defaults: str, style: str
) -> None:
    """pandoc -d with cite-method: natbib and no style of its own: the LaTeX template passes
    on the document's biblio-style (a defaults file's metadata, as -M, overrides it)."""
    from argmap.project.documents import document_bibliography

    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text("@book{a, title={T}, year={2020}}\n", encoding="utf-8")
    d = tmp_path / "d.yaml"
    d.write_text(f"bibliography: refs.bib\ncite-method: natbib\n{defaults}", encoding="utf-8")
    doc = tmp_path / "p.md"
    doc.write_text("---\nbiblio-style: apalike\n---\n\n[@a]\n", encoding="utf-8")
    chosen = document_bibliography(
        doc, lambda p: p.read_text(encoding="utf-8"), run=read_pandoc_run([d], [])
    )
    assert chosen is not None
    assert [(t.name, t.style) for t in chosen.tools] == [("bibtex", style)]


def test_a_metadata_files_biblio_style_under_a_natbib_defaults_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pandoc -d (cite-method: natbib) --metadata-file m.yaml: the metadata file's biblio-style
    reaches the LaTeX template where neither the run nor the document gives one."""
    from argmap.project.documents import document_bibliography

    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text("@book{a, title={T}, year={2020}}\n", encoding="utf-8")
    d = tmp_path / "d.yaml"
    d.write_text("bibliography: refs.bib\ncite-method: natbib\n", encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text("biblio-style: apalike\n", encoding="utf-8")
    doc = tmp_path / "p.md"
    doc.write_text("[@a]\n", encoding="utf-8")
    chosen = document_bibliography(
        doc, lambda p: p.read_text(encoding="utf-8"), run=read_pandoc_run([d], [m])
    )
    assert chosen is not None
    assert [(t.name, t.style) for t in chosen.tools] == [("bibtex", "apalike")]


@pytest.mark.parametrize(
    "text", ["- refs.bib\n", "bibliograph", "3\n"], ids=["list", "word", "number"]
)
def test_a_metadata_file_that_is_no_mapping_is_refused(tmp_path: Path, text: str) -> None:
    # pandoc 2.17 and 3.9: 'Error at "m.yaml" (line 1, column 1): expected YAML object'; argmap
    # read only a file that held "bibliography" or "references", and let these pass
    m = tmp_path / "m.yaml"
    m.write_text(text, encoding="utf-8")
    with pytest.raises(ManuscriptError, match="is not a metadata file"):
        read_pandoc_run([], [m])


def test_an_empty_metadata_file_names_nothing(tmp_path: Path) -> None:
    m = tmp_path / "m.yaml"
    m.write_text("\n", encoding="utf-8")
    run = read_pandoc_run([], [m])
    assert run is not None and run.metadata_files[0].files is None


def test_a_metadata_files_variables_are_left_as_written(tmp_path: Path) -> None:
    # pandoc expands ${.} and ${VAR} in a defaults file only
    m = tmp_path / "m.yaml"
    m.write_text("bibliography: ${.}/refs.bib\n", encoding="utf-8")
    run = read_pandoc_run([], [m])
    assert run is not None
    [named] = run.metadata_files[0].files or []
    assert named.written == "${.}/refs.bib"


@pytest.mark.parametrize("kind", ["directory", "loop"])
def test_a_defaults_file_that_is_no_file_says_what_it_is(tmp_path: Path, kind: str) -> None:
    d = tmp_path / "d.yaml"
    if kind == "directory":
        d.mkdir()
    else:
        d.symlink_to("e.yaml")
        (tmp_path / "e.yaml").symlink_to("d.yaml")
    said = "is a directory" if kind == "directory" else "loop of symbolic links"
    with pytest.raises(ManuscriptError, match=said):
        read_pandoc_run([d], [])
