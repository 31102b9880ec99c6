"""Word and OpenDocument readers: paragraphs located by number, Zotero/Mendeley field codes
read as cited items (their visible text not scanned twice), their bibliography skipped."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest
from office_files import KIM, ROSSI, add_field, zotero_code

from argmap.citations.scanner import scan_span
from argmap.errors import ManuscriptError
from argmap.manuscripts.read import open_manuscript
from argmap.manuscripts.spans import FieldCitation, Notice, Span


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Clusters", level=1)
    p = document.add_paragraph("Small firms cooperate ")
    add_field(p, zotero_code([ROSSI], "(Rossi & Bauer, 2009)"), "(Rossi & Bauer, 2009)")
    p.add_run(". Typed too (Bauer, 2015).")
    p = document.add_paragraph("Networks learn ")
    add_field(
        p, zotero_code([KIM, ROSSI], "(Kim, 2018; Rossi & Bauer, 2009)"), "(Kim, 2018; R & B)"
    )
    mendeley = json.dumps({"citationItems": [{"itemData": KIM}], "properties": {}})
    p = document.add_paragraph("And Mendeley ")
    add_field(p, f"ADDIN CSL_CITATION {mendeley}", "(Kim 2018)", split=False)
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "In a table (Moreno, 2001)."
    document.add_heading("References", level=1)
    p = document.add_paragraph()
    add_field(p, 'ADDIN ZOTERO_BIBL {"uncited":[]} CSL_BIBLIOGRAPHY', "Rossi, A. (2009). X.")
    document.add_paragraph("Bauer, K. (2015). Institutions and cooperation (Bauer, 2015).")
    document.save(str(path))


def test_docx_paragraphs_and_zotero_items(tmp_path: Path) -> None:
    path = tmp_path / "paper.docx"
    make_docx(path)
    pieces = list(open_manuscript(path))
    fields = [p for p in pieces if isinstance(p, FieldCitation)]
    assert [(f.manager, f.paragraph, f.text, [i.doi for i in f.items]) for f in fields] == [
        ("Zotero", 2, "(Rossi & Bauer, 2009)", ["10.1234/jrs.2009.31.4.211"]),
        ("Zotero", 3, "(Kim, 2018; R & B)", [None, "10.1234/jrs.2009.31.4.211"]),
        ("Mendeley", 4, "(Kim 2018)", [None]),
    ]
    assert fields[1].items[0].title == fields[2].items[0].title == "Learning in Networks"
    assert fields[1].items[0].surnames == ("Kim",) and fields[1].items[0].year == "2018"
    typed = [
        (f.authors, f.year, p.paragraph, p.line)
        for p in pieces
        if isinstance(p, Span)
        for f in scan_span(p)
    ]
    # the fields' visible text is not scanned again; the reference list is not running text
    assert typed == [(("Bauer",), "2015", 2, None), (("Moreno",), "2001", 5, None)]


def test_unreadable_docx_field_code_is_reported_and_its_text_scanned(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    p = document.add_paragraph("Text ")
    add_field(p, "ADDIN ZOTERO_ITEM CSL_CITATION {broken", "(Rossi, 2009)")
    path = tmp_path / "broken.docx"
    document.save(str(path))
    pieces = list(open_manuscript(path))
    [notice] = [p for p in pieces if isinstance(p, Notice)]
    assert (notice.kind, notice.paragraph) == ("field-code-unreadable", 1)
    spans = [p for p in pieces if isinstance(p, Span)]
    assert [f.year for s in spans for f in scan_span(s)] == ["2009"]


@pytest.mark.parametrize(
    "content", [b"", b"PK\x03\x04 not really a zip", b"plain text, not a docx"]
)
def test_corrupt_docx_is_one_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    with pytest.raises(ManuscriptError) as info:
        open_manuscript(path)
    assert "not a readable Word .docx file" in str(info.value)
    assert "save it again" in str(info.value)


def make_odt(path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P, ReferenceMarkEnd, ReferenceMarkStart, S, Section

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Clusters"))
    p = P(text="Firms cooperate ")
    name = zotero_code([ROSSI], "(Rossi & Bauer, 2009)").strip().removeprefix("ADDIN ") + " RND1"
    p.addElement(ReferenceMarkStart(name=name))
    p.addText("(Rossi & Bauer, 2009)")
    p.addElement(ReferenceMarkEnd(name=name))
    p.addText(" and typed")
    p.addElement(S(c=2))
    p.addText("(Bauer, 2015).")
    doc.text.addElement(p)
    section = Section(name="ZOTERO_BIBL {} CSL_BIBLIOGRAPHY RND2")
    section.addElement(P(text="Rossi, A. (2009). Small firms (Rossi, 2009)."))
    doc.text.addElement(section)
    doc.text.addElement(P(text="Later (Kim, 2018)."))
    doc.save(str(path))


def test_odt_paragraphs_and_zotero_reference_marks(tmp_path: Path) -> None:
    path = tmp_path / "paper.odt"
    make_odt(path)
    pieces = list(open_manuscript(path))
    [field] = [p for p in pieces if isinstance(p, FieldCitation)]
    assert (field.paragraph, field.text, field.items[0].title) == (
        2,
        "(Rossi & Bauer, 2009)",
        "Small Firms in Industrial Clusters",
    )
    typed = [(f.authors, p.paragraph) for p in pieces if isinstance(p, Span) for f in scan_span(p)]
    assert typed == [(("Bauer",), 2), (("Kim",), 3)]


def test_corrupt_odt_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.odt"
    path.write_bytes(b"not an odt")
    with pytest.raises(ManuscriptError, match="not a readable OpenDocument"):
        open_manuscript(path)


def test_a_fifo_named_docx_is_refused_without_waiting(tmp_path: Path) -> None:
    import os

    path = tmp_path / "pipe.docx"
    os.mkfifo(path)
    with pytest.raises(ManuscriptError, match="not a regular file"):
        open_manuscript(path)


PANDOC_ODT = Path(__file__).parent.parent / "data" / "manuscripts" / "pandoc_odt"


def _typed(path: Path) -> list[tuple[tuple[str, ...], str]]:
    pieces = list(open_manuscript(path))
    return [(f.authors, f.year) for p in pieces if isinstance(p, Span) for f in scan_span(p)]


def test_pandoc_written_odt_is_read_and_nothing_printed(capfd: pytest.CaptureFixture[str]) -> None:
    # pandoc 2.17's styles.xml declares one namespace per line; odfpy broke on it
    assert _typed(PANDOC_ODT / "s.odt") == [(("Glashow",), "1961"), (("Worman",), "2002")]
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_odt_written_by_the_pandoc_at_hand_is_read(tmp_path: Path) -> None:
    import subprocess

    import pypandoc

    path = tmp_path / "s.odt"
    subprocess.run(
        [pypandoc.get_pandoc_path(), str(PANDOC_ODT / "s.md"), "-o", str(path)], check=True
    )
    assert _typed(path) == [(("Glashow",), "1961"), (("Worman",), "2002")]


def test_odt_without_content_xml_is_one_clear_error(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "empty.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(ManuscriptError, match=r"no content\.xml"):
        open_manuscript(path)


def test_odt_with_broken_content_xml_is_one_clear_error(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "broken.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", "<office:document-content><text:p>")
    with pytest.raises(ManuscriptError, match="not a readable OpenDocument"):
        open_manuscript(path)


def make_zotero_bookmark_docx(path: Path) -> None:
    """A Word file in Zotero's bookmark mode, laid out as Zotero 4.0.17 writes it (as in
    meTypeset's tests/Zotero4/Zotero4.docx): the citation a bookmark ZOTERO_BREF_<id>, its
    field code split over the custom properties ZOTERO_BREF_<id>_1, _2, ...
    (docProps/custom.xml)."""
    import zipfile

    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    p = document.add_paragraph("Firms cooperate ")
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "7")
    start.set(qn("w:name"), "ZOTERO_BREF_Qn4GT8zw9lOx")
    p._p.append(start)
    p.add_run("(Rossi & Bauer, 2009)")
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), "7")
    p._p.append(end)
    p.add_run(" and typed (Bauer, 2015).")
    tmp = path.with_suffix(".plain.docx")
    document.save(str(tmp))
    code = zotero_code([ROSSI], "(Rossi & Bauer, 2009)").strip().removeprefix("ADDIN ")
    pieces = [code[i : i + 250] for i in range(0, len(code), 250)]
    props = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{n + 2}" '
        f'name="ZOTERO_BREF_Qn4GT8zw9lOx_{n + 1}"><vt:lpwstr>{escape(piece)}</vt:lpwstr></property>'
        for n, piece in enumerate(pieces)
    )
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://'
        'schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://'
        f'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{props}</Properties>'
    )
    with zipfile.ZipFile(tmp) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
                )
            elif item.filename == "_rels/.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/custom-properties" '
                    b'Target="docProps/custom.xml"/></Relationships>',
                )
            target.writestr(item, data)
        target.writestr("docProps/custom.xml", custom)
    assert len(pieces) > 1  # the code is split, as Zotero splits it at 255 characters


def test_zotero_bookmark_mode_citation_is_read_from_the_custom_properties(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.docx"
    make_zotero_bookmark_docx(path)
    pieces = list(open_manuscript(path))
    [field] = [p for p in pieces if isinstance(p, FieldCitation)]
    assert (field.manager, field.paragraph, field.text) == ("Zotero", 1, "(Rossi & Bauer, 2009)")
    assert field.items[0].title == "Small Firms in Industrial Clusters"
    typed = [f.authors for p in pieces if isinstance(p, Span) for f in scan_span(p)]
    assert typed == [("Bauer",)]  # the bookmark's text is not scanned again


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_a_code_block_is_not_running_text(tmp_path: Path, suffix: str) -> None:
    """A code block pandoc writes to Word ("Source Code") or OpenDocument (an automatic style
    derived from "Preformatted Text") shows an example: BBT's zotero.lua test document
    (retorquere/zotero-better-bibtex, #2248) lists the expected "(Billig, 1991, one)" in one;
    argmap read 9 typed citations there."""
    import subprocess

    import pypandoc

    source = tmp_path / "s.md"
    source.write_text(
        "Networks learn (Kim, 2018).\n\n```\n1. (Billig, 1991, one suffix)\n"
        "2. (Billig, 1991, p. 2 suffix)\n```\n\n    (Rossi, 2009) indented code\n",
        encoding="utf-8",
    )
    path = tmp_path / f"s{suffix}"
    subprocess.run([pypandoc.get_pandoc_path(), str(source), "-o", str(path)], check=True)
    assert _typed(path) == [(("Kim",), "2018")]
