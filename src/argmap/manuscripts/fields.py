"""Citations inserted by Zotero and Mendeley: their field codes carry CSL-JSON of each cited
item (``ADDIN ZOTERO_ITEM CSL_CITATION {...}``, ``ADDIN CSL_CITATION {...}``)."""

from __future__ import annotations

import json
import re
from typing import Any

from argmap.manuscripts.spans import CslItem

_CITATION = re.compile(r"^\s*(?:ADDIN\s+)?(ZOTERO_ITEM\s+CSL_CITATION|CSL_CITATION)\s*(\{.*)", re.S)
_BIBLIOGRAPHY = re.compile(r"ZOTERO_BIBL|CSL_BIBLIOGRAPHY|Mendeley Bibliography", re.I)
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


class FieldCodeError(ValueError):
    """A citation field code whose CSL-JSON cannot be read."""


def citation_manager(instruction: str) -> str | None:
    """ "Zotero" or "Mendeley" when ``instruction`` is a citation field code, else None."""
    m = _CITATION.match(instruction)
    if m is None:
        return None
    return "Zotero" if m.group(1).startswith("ZOTERO") else "Mendeley"


def is_bibliography(instruction: str) -> bool:
    """Whether ``instruction`` is a reference manager's bibliography field (not running text)."""
    return bool(_BIBLIOGRAPHY.search(instruction))


def citation_items(instruction: str) -> tuple[str | None, tuple[CslItem, ...]]:
    """The formatted citation and the cited items of a citation field code."""
    m = _CITATION.match(instruction)
    if m is None:
        raise FieldCodeError("not a citation field code")
    body = m.group(2)
    try:
        data = json.JSONDecoder().raw_decode(body)[0]
    except ValueError as exc:
        raise FieldCodeError(f"its CSL-JSON does not parse ({exc.args[0]})") from None
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
                surnames.append(f"{prefix} {name}" if isinstance(prefix, str) else name)
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
