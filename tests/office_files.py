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
