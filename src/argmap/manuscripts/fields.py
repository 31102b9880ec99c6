"""Citations inserted by Zotero, Mendeley, EndNote and Citavi: their field codes carry each cited
item (CSL-JSON in ``ADDIN ZOTERO_ITEM CSL_CITATION {...}`` and Mendeley Desktop's ``ADDIN
CSL_CITATION {...}``, older versions' ``ADDIN Mendeley Citation{uuid} CSL_CITATION {...}``;
base64 CSL-JSON in the tag of Mendeley Cite's content control, ``MENDELEY_CITATION_v3_...``;
EndNote's ``<EndNote><Cite>...`` XML in ``ADDIN EN.CITE``, inline or base64 in the field's
``w:fldData``; Citavi's base64 JSON placeholder in ``ADDIN CitaviPlaceholder{...}``)."""

from __future__ import annotations

import json
import re
from typing import Any

from argmap.manuscripts.spans import CslItem

# (Mendeley Desktop before 1.0 put "Mendeley Citation{uuid}" before CSL_CITATION; its JSON is the
# same, as its own documentation of the field shows)
_CITATION = re.compile(
    r"^\s*(?:ADDIN\s+)?(ZOTERO_ITEM\s+CSL_CITATION|(?:Mendeley\s+Citation\{[^{}]*\}\s*)?CSL_CITATION)"
    r"\s*(\{.*)",
    re.S,
)
_BIBLIOGRAPHY = re.compile(
    r"ZOTERO_BIBL|CSL_BIBLIOGRAPHY|Mendeley Bibliography|^MENDELEY_BIBLIOGRAPHY$|"
    r"^\s*ADDIN\s+EN\.REFLIST|^\s*ADDIN\s+CitaviBibliography",
    re.I,
)
_ENDNOTE = re.compile(r"^\s*ADDIN\s+EN\.CITE(?!\.DATA)\b\s*(.*)", re.S)
# Citavi's placeholder field (inside a content control tagged "CitaviPlaceholder#<uuid>"): base64
# of its JSON, whose Entries carry each cited Reference (Authors' LastName, Year, Title)
_CITAVI = re.compile(r"^\s*ADDIN\s+CitaviPlaceholder\s*\{?([A-Za-z0-9+/=\s]*)\}?\s*$", re.S)
# The tag of Mendeley Cite's content control: base64 of the citation's CSL-JSON
MENDELEY_CITE_TAG = "MENDELEY_CITATION_v3_"
_DOI = re.compile(r"\b(10\.\d{4,9}/\S+)")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


class FieldCodeError(ValueError):
    """A citation field code whose CSL-JSON cannot be read."""


def citation_manager(instruction: str) -> str | None:
    """ "Zotero", "Mendeley" or "EndNote" when ``instruction`` is a citation field code (or
    Mendeley Cite's content-control tag), else None."""
    m = _CITATION.match(instruction)
    if m is not None:
        return "Zotero" if m.group(1).startswith("ZOTERO") else "Mendeley"
    if instruction.startswith(MENDELEY_CITE_TAG):
        return "Mendeley"
    if _ENDNOTE.match(instruction):
        return "EndNote"
    if _CITAVI.match(instruction):
        return "Citavi"
    return None


def is_bibliography(instruction: str) -> bool:
    """Whether ``instruction`` is a reference manager's bibliography field (not running text)."""
    return bool(_BIBLIOGRAPHY.search(instruction))


def citation_items(instruction: str, data: str = "") -> tuple[str | None, tuple[CslItem, ...]]:
    """The formatted citation and the cited items of a citation field code (``data``: the
    field's ``w:fldData``, where EndNote may keep its XML)."""
    if instruction.startswith(MENDELEY_CITE_TAG):
        return _mendeley_cite(instruction.removeprefix(MENDELEY_CITE_TAG))
    endnote = _ENDNOTE.match(instruction)
    if endnote is not None:
        return _endnote(endnote.group(1), data)
    citavi = _CITAVI.match(instruction)
    if citavi is not None:
        return _citavi("".join(citavi.group(1).split()))
    m = _CITATION.match(instruction)
    if m is None:
        raise FieldCodeError("not a citation field code")
    body = m.group(2)
    try:
        parsed = json.JSONDecoder().raw_decode(body)[0]
    except ValueError as exc:
        raise FieldCodeError(f"its CSL-JSON does not parse ({exc.args[0]})") from None
    return _csl_citation(parsed)


def _mendeley_cite(encoded: str) -> tuple[str | None, tuple[CslItem, ...]]:
    """The citation of Mendeley Cite's content-control tag: base64 of CSL-JSON."""
    import base64
    import binascii

    try:
        text = base64.b64decode(encoded, validate=True).decode("utf-8")
        parsed = json.loads(text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise FieldCodeError("its tag's base64 CSL-JSON does not decode") from None
    formatted, items = _csl_citation(parsed)
    override = parsed.get("manualOverride") if isinstance(parsed, dict) else None
    if isinstance(override, dict) and isinstance(override.get("citeprocText"), str):
        formatted = override["citeprocText"]
    return formatted, items


def _citavi(encoded: str) -> tuple[str | None, tuple[CslItem, ...]]:
    """The citation of Citavi's placeholder: base64 of its JSON, each entry's Reference."""
    import base64
    import binascii

    try:
        parsed = json.loads(base64.b64decode(encoded, validate=True).decode("utf-8-sig"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise FieldCodeError("its base64 JSON does not decode") from None
    entries = parsed.get("Entries") if isinstance(parsed, dict) else None
    if not isinstance(entries, list) or not entries:
        raise FieldCodeError("its JSON has no Entries list")
    items = []
    for entry in entries:
        reference = entry.get("Reference") if isinstance(entry, dict) else None
        if not isinstance(reference, dict):
            # the reference is named by its id in the Citavi project only
            raise FieldCodeError("an entry carries no Reference, only its Citavi id")
        surnames = []
        for person in reference.get("Authors") or reference.get("Editors") or []:
            name = person.get("LastName") if isinstance(person, dict) else None
            if isinstance(name, str) and name.strip():
                surnames.append(name.strip())
        title, year, doi = (reference.get(k) for k in ("Title", "Year", "Doi"))
        found = _YEAR.search(year) if isinstance(year, str) else None
        items.append(
            CslItem(
                title=title if isinstance(title, str) else None,
                surnames=tuple(surnames),
                year=found.group(1) if found else None,
                doi=doi.strip() if isinstance(doi, str) and doi.strip() else None,
                uri=None,
            )
        )
    text = parsed.get("Text")
    return (text if isinstance(text, str) else None), tuple(items)


def _csl_citation(data: Any) -> tuple[str | None, tuple[CslItem, ...]]:
    """The formatted citation and the items of a CSL citation object."""
    if not isinstance(data, dict) or not isinstance(data.get("citationItems"), list):
        raise FieldCodeError("its CSL-JSON has no citationItems list")
    props = data.get("properties")
    formatted = props.get("formattedCitation") if isinstance(props, dict) else None
    items = []
    for raw in data["citationItems"]:
        item = raw.get("itemData") if isinstance(raw, dict) else None
        if not isinstance(item, dict):
            raise FieldCodeError("a cited item carries no itemData")
        uris = raw.get("uris") or raw.get("uri") or []
        uri = (
            uris[0] if isinstance(uris, list) and uris else uris if isinstance(uris, str) else None
        )
        items.append(_item(item, uri))
    return (formatted if isinstance(formatted, str) else None), tuple(items)


def _item(data: dict[str, Any], uri: str | None) -> CslItem:
    """One CSL-JSON item's title, surnames, year and DOI."""
    surnames = []
    for person in data.get("author") or data.get("editor") or []:
        if isinstance(person, dict):
            name = person.get("family") or person.get("literal")
            if isinstance(name, str) and name.strip():
                prefix = person.get("non-dropping-particle")
                # (Mendeley writes an empty particle for every name)
                has_prefix = isinstance(prefix, str) and prefix.strip()
                surnames.append(f"{prefix} {name}" if has_prefix else name)
    title = data.get("title")
    doi = data.get("DOI")
    return CslItem(
        title=title if isinstance(title, str) else None,
        surnames=tuple(surnames),
        year=_issued_year(data.get("issued")),
        doi=doi.strip() if isinstance(doi, str) and doi.strip() else None,
        uri=uri if isinstance(uri, str) else None,
    )


def _issued_year(issued: Any) -> str | None:
    """The year of a CSL date: ``date-parts``, else a year in ``raw`` or ``literal``."""
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return str(parts[0][0])
        for name in ("raw", "literal"):
            value = issued.get(name)
            if isinstance(value, str):
                m = _YEAR.search(value)
                if m:
                    return m.group(1)
    return None


def _endnote(inline: str, data: str) -> tuple[str | None, tuple[CslItem, ...]]:
    """The citation of an EndNote field: its ``<EndNote>`` XML, written in the instruction or
    kept base64 in the field's data. Each ``<Cite>`` must carry its ``<record>`` (title,
    authors, year): a bare record number names a work of the writer's EndNote library, which
    the bibliography cannot be matched against."""
    import base64
    import binascii
    import xml.etree.ElementTree as ET

    xml = inline.strip()
    if not xml.startswith("<"):
        if not data.strip():
            raise FieldCodeError("it carries no EndNote data")
        try:
            xml = base64.b64decode("".join(data.split())).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise FieldCodeError("its EndNote data does not decode") from None
    try:
        root = ET.fromstring(xml.strip().lstrip("\ufeff"))
    except ET.ParseError as exc:
        raise FieldCodeError(f"its EndNote XML does not parse ({exc})") from None
    cites = root.findall("Cite") if root.tag == "EndNote" else []
    if not cites:
        raise FieldCodeError("its EndNote XML holds no <Cite>")
    items = []
    shown = []
    for cite in cites:
        display = _text(cite.find("DisplayText"))
        if display:
            shown.append(display)
        record = cite.find("record")
        if record is None:
            who = " ".join(filter(None, (_text(cite.find("Author")), _text(cite.find("Year")))))
            raise FieldCodeError(
                f"its EndNote citation {who or '?'!r} carries no record (title, authors), only "
                "a number in the writer's EndNote library, so it is not matched"
            )
        items.append(_endnote_item(record, _text(cite.find("Year"))))
    return (" ".join(shown) or None), tuple(items)


def _endnote_item(record: Any, year: str) -> CslItem:
    """One EndNote record's title, surnames, year and DOI."""
    surnames = []
    for author in record.iterfind("contributors/authors/author"):
        name = _text(author).rstrip(",").strip()
        if name:
            surnames.append(name.split(",", 1)[0].strip())
    title = _text(record.find("titles/title")) or None
    found = _YEAR.search(_text(record.find("dates/year")) or year)
    doi = _DOI.search(_text(record.find("electronic-resource-num")))
    return CslItem(
        title=title,
        surnames=tuple(surnames),
        year=found.group(1) if found else None,
        doi=doi.group(1) if doi else None,
    )


def _text(element: Any) -> str:
    """All the text of an EndNote element (its ``<style>`` runs joined), spaces tidied."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
