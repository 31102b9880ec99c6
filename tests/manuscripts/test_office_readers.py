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


# Tracked changes and text boxes, as Word writes them (the shapes of pandoc's test files
# track_changes_move.docx, text_in_shape_format.docx and trackedChanges.odt, written by Word and
# LibreOffice; made here with the same elements)
_WORD_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
_BY = 'w:author="Ana" w:date="2024-05-02T10:00:00Z"'


def _docx_of(path: Path, *paragraphs: str) -> None:
    """A .docx whose body holds ``paragraphs``, each the inner XML of one w:p."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    for inner in paragraphs:
        body.insert(len(body) - 1, parse_xml(f"<w:p {_WORD_NS}>{inner}</w:p>"))
    document.save(str(path))


def _zotero_runs(text: str, deleted: bool = False) -> str:
    """A Zotero citation field of KIM, as runs (its instruction as Word keeps it once deleted:
    w:delInstrText, its result w:delText)."""
    code = escape(zotero_code([KIM], text))
    instr, shown = ("delInstrText", "delText") if deleted else ("instrText", "t")
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:{instr} xml:space="preserve">{code}</w:{instr}></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:{shown}>{text}</w:{shown}></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _read(path: Path) -> tuple[list[tuple[int | None, str]], list[tuple[int | None, str]]]:
    """The typed citations (paragraph, text) and the field citations of a file."""
    pieces = list(open_manuscript(path))
    typed = [(p.paragraph, f.text) for p in pieces if isinstance(p, Span) for f in scan_span(p)]
    fields = [(p.paragraph, p.text) for p in pieces if isinstance(p, FieldCitation)]
    return typed, fields


def test_a_deleted_citation_is_not_cited(tmp_path: Path) -> None:
    path = tmp_path / "tracked.docx"
    _docx_of(
        path,
        f'<w:r><w:t>Firms cooperate </w:t></w:r><w:del w:id="1" {_BY}>'
        "<w:r><w:delText>(Moreno, 2001)</w:delText></w:r>"
        f"{_zotero_runs('(Kim, 2018)', deleted=True)}</w:del>"
        f'<w:ins w:id="2" {_BY}><w:r><w:t>(Bauer, 2015)</w:t></w:r></w:ins>',
    )
    assert _read(path) == ([(1, "Bauer, 2015")], [])


def test_moved_text_is_read_at_its_new_place_only(tmp_path: Path) -> None:
    # Word keeps moved text twice: at its old place in w:moveFrom (as w:t, not w:delText) and
    # at its new one in w:moveTo; it was read at both, each wrong citation reported twice
    moved = f"<w:r><w:t>Typed (Moreno, 2001) and </w:t></w:r>{_zotero_runs('(Kim, 2018)')}"
    path = tmp_path / "moved.docx"
    _docx_of(
        path,
        f'<w:r><w:t>Old place. </w:t></w:r><w:moveFrom w:id="1" {_BY}>{moved}</w:moveFrom>',
        "<w:r><w:t>Between.</w:t></w:r>",
        f'<w:r><w:t>New place: </w:t></w:r><w:moveTo w:id="2" {_BY}>{moved}</w:moveTo>',
    )
    assert _read(path) == ([(3, "Moreno, 2001")], [(3, "(Kim, 2018)")])


def test_a_text_box_is_read_once_and_apart(tmp_path: Path) -> None:
    # Word writes a text box twice, for itself (mc:Choice) and as VML (mc:Fallback): its
    # citations were read twice, and its text ran on into the paragraph's ("2017Source")
    box = (
        "<w:txbxContent><w:p><w:r><w:t>Source: Moreno (2001)</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>and Kim (2018)</w:t></w:r></w:p></w:txbxContent>"
    )
    path = tmp_path / "box.docx"
    _docx_of(
        path,
        "<w:r><w:t>Data of 2017</w:t></w:r><w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Bauer (2015) adds.</w:t></w:r>",
    )
    typed, _ = _read(path)
    assert typed == [(1, "Moreno (2001)"), (1, "Kim (2018)"), (1, "Bauer (2015)")]
    [span] = [p for p in open_manuscript(path) if isinstance(p, Span)]
    assert "2017 Source" in " ".join(span.text.split())


def test_an_odt_deletion_is_not_cited(tmp_path: Path) -> None:
    # LibreOffice keeps a tracked deletion's text in text:tracked-changes, before the body's
    # paragraphs (pandoc's trackedChanges.odt): it was read as the first paragraph
    import zipfile

    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    content = (
        f'<office:document-content xmlns:office="{office}" xmlns:text="{text}" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:body><office:text>'
        '<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion>'
        "<office:change-info><dc:creator>Ana</dc:creator></office:change-info>"
        "<text:p>as shown (Moreno, 2001)</text:p></text:deletion></text:changed-region>"
        '<text:changed-region text:id="ct2"><text:insertion><office:change-info>'
        "<dc:creator>Ana</dc:creator></office:change-info></text:insertion>"
        "</text:changed-region></text:tracked-changes>"
        '<text:p>Firms cooperate <text:change text:change-id="ct1"/>'
        '<text:change-start text:change-id="ct2"/>(Bauer, 2015)'
        '<text:change-end text:change-id="ct2"/>.</text:p>'
        "</office:text></office:body></office:document-content>"
    )
    path = tmp_path / "tracked.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    assert _read(path) == ([(1, "Bauer, 2015")], [])


def test_words_lock_file_is_named_as_such(tmp_path: Path) -> None:
    # Word writes "~$" + the name beside an open document: a length byte and the user's name
    # (bchasco/SAR_paper commits one, "~$vised Manuscript with Track Changes.docx", 162 bytes);
    # argmap said to open it in Word and save it again
    path = tmp_path / "~$paper.docx"
    path.write_bytes(b"\x03Ana" + b"\x00" * 51 + b"\x03\x00A\x00n\x00a\x00" + b"\x00" * 98)
    with pytest.raises(ManuscriptError, match="Word's lock file of an open document") as raised:
        list(open_manuscript(path))
    assert "leave out files named ~$" in str(raised.value.hint)


@pytest.mark.parametrize("name", ["paper.docx", "paper.DOCX"])
def test_a_password_protected_docx_is_named_as_such(tmp_path: Path, name: str) -> None:
    # Word saves a .docx with a password as an OLE Compound File (its zip encrypted inside),
    # as Word 97-2003 saved a .doc: the file's first bytes say so
    path = tmp_path / name
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504)
    with pytest.raises(ManuscriptError, match="protected by a password") as raised:
        list(open_manuscript(path))
    assert "without a password" in str(raised.value.hint)
