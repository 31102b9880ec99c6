"""Word files for tests, made with python-docx: Zotero and Mendeley citation fields as the
plugins write them (a complex field whose instruction carries CSL-JSON)."""

from __future__ import annotations

import json
from typing import Any

ROSSI = {
    "type": "article-journal",
    "title": "Small Firms in Industrial Clusters",
    "author": [{"family": "Rossi", "given": "Ana"}, {"family": "Bauer", "given": "Karl"}],
    "issued": {"date-parts": [[2009, 3]]},
    "DOI": "10.1234/jrs.2009.31.4.211",
}
KIM = {
    "type": "chapter",
    "title": "Learning in Networks",
    "author": [{"family": "Kim", "given": "Min-jun"}],
    "issued": {"date-parts": [["2018"]]},
}


def zotero_code(items: list[dict[str, Any]], formatted: str) -> str:
    """The instruction of a Zotero citation field, as the Word plugin writes it."""
    data = {
        "citationID": "a1b2c3",
        "properties": {"formattedCitation": formatted, "plainCitation": formatted},
        "citationItems": [
            {"id": i, "uris": [f"http://zotero.org/users/1/items/ITEM{i}"], "itemData": item}
            for i, item in enumerate(items)
        ],
        "schema": "https://github.com/citation-style-language/schema/raw/master/csl-citation.json",
    }
    return " ADDIN ZOTERO_ITEM CSL_CITATION " + json.dumps(data, ensure_ascii=False) + " "


def add_field(paragraph: Any, instruction: str, result: str, split: bool = True) -> None:
    """Append a complex field (begin, instruction, separate, result, end) to a paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child: Any) -> None:
        run = OxmlElement("w:r")
        run.append(child)
        paragraph._p.append(run)

    def fld(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run_with(fld("begin"))
    # Word splits long instructions over several runs; so may the test.
    half = len(instruction) // 2
    for part in [instruction[:half], instruction[half:]] if split else [instruction]:
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = part
        run_with(instr)
    run_with(fld("separate"))
    paragraph.add_run(result)
    run_with(fld("end"))


def mendeley_cite_tag(items: list[dict[str, Any]], text: str) -> str:
    """The tag of a Mendeley Cite content control: base64 of its CSL-JSON citation."""
    import base64

    data = {
        "citationID": "MENDELEY_CITATION_633b572b-0659-42c2-becd-1ef60fccec0c",
        "properties": {"noteIndex": 0},
        "isEdited": False,
        "manualOverride": {
            "isManuallyOverridden": False,
            "citeprocText": text,
            "manualOverrideText": "",
        },
        "citationItems": [
            {"id": f"id-{i}", "itemData": item, "isTemporary": False}
            for i, item in enumerate(items)
        ],
    }
    return "MENDELEY_CITATION_v3_" + base64.b64encode(json.dumps(data).encode()).decode()


def add_content_control(paragraph: Any, tag: str, text: str) -> None:
    """Append an inline content control (w:sdt) with ``tag`` and visible ``text``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    tag_el = OxmlElement("w:tag")
    tag_el.set(qn("w:val"), tag)
    pr.append(tag_el)
    content = OxmlElement("w:sdtContent")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    content.append(run)
    sdt.append(pr)
    sdt.append(content)
    paragraph._p.append(sdt)


def wrap_in_content_control(document: Any, paragraphs: list[Any], tag: str) -> None:
    """Move whole paragraphs into one block-level content control with ``tag`` (as Mendeley
    Cite writes its bibliography)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    tag_el = OxmlElement("w:tag")
    tag_el.set(qn("w:val"), tag)
    pr.append(tag_el)
    content = OxmlElement("w:sdtContent")
    sdt.append(pr)
    sdt.append(content)
    paragraphs[0]._p.addprevious(sdt)
    for p in paragraphs:
        content.append(p._p)


def endnote_xml(cites: list[dict[str, Any]]) -> str:
    """EndNote's <EndNote><Cite>... XML, each cite with its record (unless record=False)."""
    from xml.sax.saxutils import escape

    out = []
    for c in cites:
        record = ""
        if c.get("record", True):
            authors = "".join(
                f'<author><style face="normal" font="default" size="100%">{escape(a)}</style>'
                "</author>"
                for a in c["authors"]
            )
            doi = (
                f"<electronic-resource-num>{c['doi']}</electronic-resource-num>"
                if c.get("doi")
                else ""
            )
            record = (
                f"<record><rec-number>{c['num']}</rec-number>"
                '<ref-type name="Journal Article">17</ref-type>'
                f"<contributors><authors>{authors}</authors></contributors>"
                f"<titles><title>{escape(c['title'])}</title></titles>"
                f"<dates><year>{c['year']}</year></dates>{doi}</record>"
            )
        out.append(
            f"<Cite><Author>{escape(c['authors'][0].split(',')[0])}</Author>"
            f"<Year>{c['year']}</Year><RecNum>{c['num']}</RecNum>"
            f"<DisplayText>{escape(c['display'])}</DisplayText>{record}</Cite>"
        )
    return "<EndNote>" + "".join(out) + "</EndNote>"


def add_endnote_field(paragraph: Any, xml: str, result: str, inline: bool = True) -> None:
    """Append an EndNote citation field: the XML in the instruction (inline), or base64 in
    the fldData of the field and of a nested EN.CITE.DATA field, as EndNote writes long ones."""
    import base64

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if inline:
        add_field(paragraph, f" ADDIN EN.CITE {xml}", result)
        return
    data = base64.b64encode(xml.encode()).decode()

    def run_with(child: Any) -> None:
        run = OxmlElement("w:r")
        run.append(child)
        paragraph._p.append(run)

    def fld(kind: str, with_data: bool = False) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if with_data:
            d = OxmlElement("w:fldData")
            d.set(qn("xml:space"), "preserve")
            d.text = data
            el.append(d)
        return el

    def instr(text: str) -> None:
        el = OxmlElement("w:instrText")
        el.set(qn("xml:space"), "preserve")
        el.text = text
        run_with(el)

    run_with(fld("begin", True))
    instr(" ADDIN EN.CITE ")
    run_with(fld("begin", True))
    instr(" ADDIN EN.CITE.DATA ")
    run_with(fld("end"))
    run_with(fld("separate"))
    paragraph.add_run(result)
    run_with(fld("end"))
