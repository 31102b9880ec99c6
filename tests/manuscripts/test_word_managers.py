"""Mendeley Cite (content controls tagged MENDELEY_CITATION_v3_ with base64 CSL-JSON) and
EndNote (ADDIN EN.CITE fields with <EndNote><Cite> XML, inline or base64 in w:fldData, a nested
EN.CITE.DATA field) in Word files: their cited works are read as Zotero's are, their
bibliographies skipped; a citation carrying no record of its work is reported, not guessed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from office_files import (
    KIM,
    ROSSI,
    add_content_control,
    add_endnote_field,
    add_field,
    endnote_xml,
    mendeley_cite_tag,
    wrap_in_content_control,
)
from typer.testing import CliRunner

from argmap.citations.scanner import scan_span
from argmap.cli.app import app
from argmap.manuscripts.read import open_manuscript
from argmap.manuscripts.spans import FieldCitation, Notice, Span

# The item of a Mendeley Cite tag published in a public note on Word field codes (GitHub
# code search: a MENDELEY_CITATION_v3_ tag decoded), its abstract left out.
GUNDESTRUP = {
    "type": "article-journal",
    "id": "dd47266c-fa2f-381f-91ff-1ad3f6ca107e",
    "title": "[Opioids can modulate the immune system].",
    "author": [
        {
            "family": "Gundestrup",
            "given": "Svend",
            "parse-names": False,
            "dropping-particle": "",
            "non-dropping-particle": "",
        },
        {
            "family": "Sjøgren",
            "given": "Per",
            "parse-names": False,
            "dropping-particle": "",
            "non-dropping-particle": "",
        },
    ],
    "container-title": "Ugeskrift for laeger",
    "ISSN": "1603-6824",
    "PMID": "25347334",
    "issued": {"date-parts": [[2014, 1, 27]]},
    "page": "V08130516",
    "issue": "5A",
    "volume": "176",
}
BRONK = {
    "authors": ["Bronk Ramsey, Christopher"],
    "year": "2009",
    "num": 19,
    "title": "Bayesian Analysis of Radiocarbon Dates",
    "display": "(Bronk Ramsey 2009a)",
}
BIB = """@article{gundestrup2014,
  author = {Gundestrup, Svend and Sj{\\o}gren, Per},
  title = {[Opioids can modulate the immune system].},
  journal = {Ugeskrift for laeger},
  year = {2014},
}
@article{bronkramsey2009,
  author = {Bronk Ramsey, Christopher},
  title = {Bayesian Analysis of Radiocarbon Dates},
  journal = {Radiocarbon},
  year = {2009},
}
@article{rossi2009,
  author = {Rossi, Ana and Bauer, Karl},
  title = {Small Firms in Industrial Clusters},
  journal = {J},
  year = {2009},
  doi = {10.1234/jrs.2009.31.4.211},
}
"""


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    p = document.add_paragraph("Opioids matter ")  # 1
    add_content_control(p, mendeley_cite_tag([GUNDESTRUP], "[1]"), "[1]")
    p.add_run(" and so do clusters (Bauer, 2015).")
    p = document.add_paragraph("Two works ")  # 2
    add_content_control(p, mendeley_cite_tag([KIM, ROSSI], "(Kim 2018; Rossi 2009)"), "(K; R)")
    p = document.add_paragraph("Dates ")  # 3: EndNote, inline XML
    add_endnote_field(p, endnote_xml([BRONK]), "(Bronk Ramsey 2009a)")
    p = document.add_paragraph("Clusters ")  # 4: EndNote, base64 in fldData, nested field
    rossi = {
        "authors": ["Rossi, Ana", "Bauer, Karl"],
        "year": "2009",
        "num": 7,
        "title": "Small firms in industrial clusters",
        "display": "(Rossi & Bauer 2009)",
        "doi": "https://doi.org/10.1234/jrs.2009.31.4.211",
    }
    add_endnote_field(p, endnote_xml([rossi, BRONK]), "(2, 3)", inline=False)
    p = document.add_paragraph("Bare ")  # 5: EndNote without the record
    bare = dict(BRONK, record=False, display="(Briegel 2009)", authors=["Briegel"])
    add_endnote_field(p, endnote_xml([bare]), "(Briegel 2009)")
    p = document.add_paragraph("Broken ")  # 6: a tag that does not decode
    add_content_control(p, "MENDELEY_CITATION_v3_not*base64", "(Moreno, 2001)")
    document.add_paragraph("References")  # 7
    bib = [document.add_paragraph("Gundestrup, S. (2014). Opioids (Gundestrup, 2014).")]  # 8
    bib.append(document.add_paragraph("Kim, M. (2018). Learning (Kim, 2018)."))  # 9
    wrap_in_content_control(document, bib, "MENDELEY_BIBLIOGRAPHY")
    p = document.add_paragraph()  # 10
    add_field(p, " ADDIN EN.REFLIST ", "Bronk Ramsey, C. 2009. Bayesian (Bronk Ramsey, 2009).")
    document.save(str(path))


def test_mendeley_cite_and_endnote_citations_are_read(tmp_path: Path) -> None:
    path = tmp_path / "paper.docx"
    make_docx(path)
    pieces = list(open_manuscript(path))
    fields = [p for p in pieces if isinstance(p, FieldCitation)]
    assert [
        (f.manager, f.paragraph, f.text, [(i.surnames, i.year, i.doi) for i in f.items])
        for f in fields
    ] == [
        ("Mendeley", 1, "[1]", [(("Gundestrup", "Sjøgren"), "2014", None)]),
        (
            "Mendeley",
            2,
            "(K; R)",
            [(("Kim",), "2018", None), (("Rossi", "Bauer"), "2009", "10.1234/jrs.2009.31.4.211")],
        ),
        ("EndNote", 3, "(Bronk Ramsey 2009a)", [(("Bronk Ramsey",), "2009", None)]),
        (
            "EndNote",
            4,
            "(2, 3)",
            [
                (("Rossi", "Bauer"), "2009", "10.1234/jrs.2009.31.4.211"),
                (("Bronk Ramsey",), "2009", None),
            ],
        ),
    ]
    assert fields[2].items[0].title == "Bayesian Analysis of Radiocarbon Dates"
    notices = [(n.kind, n.paragraph) for n in pieces if isinstance(n, Notice)]
    assert notices == [("field-code-unreadable", 5), ("field-code-unreadable", 6)]
    [bare, broken] = [n for n in pieces if isinstance(n, Notice)]
    assert "EndNote" in bare.message and "'Briegel 2009'" in bare.message
    assert "carries no record" in bare.message
    assert "base64" in broken.message
    typed = [(f.text, p.paragraph) for p in pieces if isinstance(p, Span) for f in scan_span(p)]
    # the fields' text is not scanned again; the unread ones' is; the bibliographies are not
    assert typed == [("Bauer, 2015", 1), ("Briegel 2009", 5), ("Moreno, 2001", 6)]


def test_an_endnote_field_whose_data_does_not_decode_is_reported(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    p = document.add_paragraph("Text ")
    add_field(p, " ADDIN EN.CITE ", "(Smith, 2000)")
    p = document.add_paragraph("More ")
    add_field(p, " ADDIN EN.CITE <EndNote><Cite><Author>X</Author>", "(Roe, 2001)")
    path = tmp_path / "paper.docx"
    document.save(str(path))
    notices = [p for p in open_manuscript(path) if isinstance(p, Notice)]
    assert [(n.paragraph, n.kind) for n in notices] == [
        (1, "field-code-unreadable"),
        (2, "field-code-unreadable"),
    ]
    assert "no EndNote data" in notices[0].message
    assert "does not parse" in notices[1].message


def run_check(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, ["check-citations", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def test_their_works_are_matched_to_the_bibliography(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    path = tmp_path / "paper.docx"
    make_docx(path)
    code, data = run_check("--no-cache", "--bib", "refs.bib", "--manuscript", str(path))
    rows = [(c["paragraph"], c["status"], c["key"]) for c in data["citations"]]
    assert rows == [
        (1, "ok", "gundestrup2014"),
        (1, "missing", None),  # (Bauer, 2015): typed, no entry
        (2, "missing", None),  # Kim 2018: no entry
        (2, "ok", "rossi2009"),
        (3, "ok", "bronkramsey2009"),
        (4, "ok", "rossi2009"),  # by DOI, its resolver prefix dropped
        (4, "ok", "bronkramsey2009"),
        (5, "missing", None),  # the bare EndNote citation's text, read as typed
        (6, "missing", None),
    ]
    kinds = sorted((p["kind"], p["paragraph"]) for p in data["problems"] if p["paragraph"])
    assert ("field-code-unreadable", 5) in kinds and ("field-code-unreadable", 6) in kinds
    assert code == 1


def _citavi_placeholder(references: list[dict[str, Any]], text: str, embed: bool = True) -> str:
    """Citavi's placeholder field code: base64 of its WordPlaceholder JSON, each entry with the
    Reference it cites (the form thomjur/docx-citavi-parser reads: Entries[].Reference)."""
    import base64

    data = {
        "$type": "SwissAcademic.Citavi.Citations.WordPlaceholder, SwissAcademic.Citavi",
        "Entries": [
            {
                "$type": "SwissAcademic.Citavi.Citations.WordPlaceholderEntry",
                "ReferenceId": f"00000000-0000-0000-0000-00000000000{i}",
                **({"Reference": reference} if embed else {}),
            }
            for i, reference in enumerate(references)
        ],
        "Text": text,
    }
    return "ADDIN CitaviPlaceholder{" + base64.b64encode(json.dumps(data).encode()).decode() + "}"


def test_old_mendeley_and_citavi_fields_are_read(tmp_path: Path) -> None:
    """Mendeley Desktop before 1.0 wrote ``ADDIN Mendeley Citation{uuid} CSL_CITATION {…}``
    and Citavi ``ADDIN CitaviPlaceholder{base64}`` in a content control: their numbered
    citations ("[1]") were not read at all, their author–year ones only as typed text; a
    Citavi entry naming its reference by id only is reported and its text read instead."""
    import docx

    document = docx.Document()
    p = document.add_paragraph("Old Mendeley ")  # 1
    code = json.dumps({"citationItems": [{"id": "ITEM-1", "itemData": GUNDESTRUP}]})
    add_field(p, f" ADDIN Mendeley Citation{{970e7ce0-8a21}} CSL_CITATION {code}", "[1]")
    p = document.add_paragraph("Citavi ")  # 2
    rossi = {
        "Authors": [{"LastName": "Rossi", "FirstName": "Ana"}, {"LastName": "Bauer"}],
        "Year": "2009",
        "Title": "Small Firms in Industrial Clusters",
    }
    undated = {"Authors": [{"LastName": "Pérez"}], "Year": "", "Title": "Sin fecha"}
    add_content_control(p, "CitaviPlaceholder#5a0e", "")
    add_field(p, _citavi_placeholder([rossi, undated], "[2, 3]"), "[2, 3]")
    p = document.add_paragraph("Citavi by id ")  # 3
    by_id = _citavi_placeholder([rossi], "(Rossi, Bauer 2009)", embed=False)
    add_field(p, by_id, "(Rossi, Bauer 2009)")
    document.add_paragraph()
    add_field(document.paragraphs[-1], "ADDIN CitaviBibliography", "Rossi, A. (2009) (Rossi 2009)")
    path = tmp_path / "paper.docx"
    document.save(str(path))
    pieces = list(open_manuscript(path))
    fields = [p for p in pieces if isinstance(p, FieldCitation)]
    assert [
        (f.manager, f.paragraph, f.text, [(i.surnames, i.year) for i in f.items]) for f in fields
    ] == [
        ("Mendeley", 1, "[1]", [(("Gundestrup", "Sjøgren"), "2014")]),
        ("Citavi", 2, "[2, 3]", [(("Rossi", "Bauer"), "2009"), (("Pérez",), None)]),
    ]
    assert fields[1].items[0].title == "Small Firms in Industrial Clusters"
    notices = [(n.kind, n.paragraph) for n in pieces if isinstance(n, Notice)]
    assert notices == [("field-code-unreadable", 3)]
    typed = [(f.text, p.paragraph) for p in pieces if isinstance(p, Span) for f in scan_span(p)]
    assert typed == [("Rossi, Bauer 2009", 3)]  # the bibliography field is not read
