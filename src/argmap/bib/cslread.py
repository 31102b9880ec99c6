"""CSL-JSON and CSL-YAML bibliographies (what Zotero, pandoc and citeproc use) read into the same
entry model as BibTeX: CSL types as biblatex types, CSL variables as biblatex fields, names as
BibTeX name lists, dates as ``date`` and ``year``; each entry keeps the line its item starts on.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

from argmap.base.problems import Problem, Severity
from argmap.bib.datamodel import DUPLICATE_KEY_HINT, duplicate_key_message
from argmap.bib.model import BibEntry, Bibliography
from argmap.bib.names import quick_surnames
from argmap.errors import BibliographyError

# CSL item types (CSL 1.0.2) -> biblatex entry types.
CSL_TYPES = {
    "article": "misc",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "bill": "legislation",
    "book": "book",
    "broadcast": "video",
    "chapter": "incollection",
    "classic": "book",
    "collection": "collection",
    "dataset": "dataset",
    "document": "misc",
    "entry": "inreference",
    "entry-dictionary": "inreference",
    "entry-encyclopedia": "inreference",
    "event": "misc",
    "figure": "image",
    "graphic": "image",
    "hearing": "misc",
    "interview": "misc",
    "legal_case": "jurisdiction",
    "legislation": "legislation",
    "manuscript": "unpublished",
    "map": "misc",
    "motion_picture": "movie",
    "musical_score": "music",
    "pamphlet": "booklet",
    "paper-conference": "inproceedings",
    "patent": "patent",
    "performance": "performance",
    "periodical": "periodical",
    "personal_communication": "letter",
    "post": "online",
    "post-weblog": "online",
    "regulation": "legislation",
    "report": "report",
    "review": "review",
    "review-book": "review",
    "software": "software",
    "song": "audio",
    "speech": "misc",
    "standard": "standard",
    "thesis": "thesis",
    "treaty": "legislation",
    "webpage": "online",
}

# CSL variables -> biblatex fields (container-title and publisher depend on the type).
CSL_FIELDS = {
    "title": "title",
    "volume": "volume",
    "issue": "number",
    "number": "number",
    "page": "pages",
    "DOI": "doi",
    "URL": "url",
    "ISBN": "isbn",
    "ISSN": "issn",
    "genre": "type",
    "edition": "edition",
    "collection-title": "series",
    "publisher-place": "location",
    "event-place": "venue",
    "abstract": "abstract",
    "note": "note",
    "language": "langid",
    "title-short": "shorttitle",
    # "in press", "forthcoming": biblatex's pubstate, as pandoc converts it; an undated
    # citation "(Smith, in press)" is matched by it
    "status": "pubstate",
}
_CONTAINER = {"article": "journaltitle", "periodical": "title", "online": "organization"}
_PUBLISHER_AS_INSTITUTION = {"thesis", "report"}

FORMAT_NAMES = "BibTeX/BibLaTeX (.bib), CSL-JSON (.json) and CSL-YAML (.yaml)"


def read_csl_json(path: Path, text: str) -> Bibliography:
    """A CSL-JSON file (an array of items) as a Bibliography; bad JSON raises with its line."""
    decoder = json.JSONDecoder()
    stripped = text.lstrip("\ufeff")
    start = len(stripped) - len(stripped.lstrip())
    try:
        if stripped[start : start + 1] == "[":
            items = _array_items(decoder, stripped, start)
        else:
            value, _ = decoder.raw_decode(stripped, start)
            items = _object_items(value, path)
    except json.JSONDecodeError as exc:
        raise BibliographyError(
            f"not valid CSL-JSON: {exc.msg} (column {exc.colno})",
            path=path,
            line=exc.lineno,
            hint="fix the JSON syntax, or export the file again from Zotero or pandoc",
        ) from None
    return _build(path, items)


def _array_items(decoder: json.JSONDecoder, text: str, start: int) -> list[tuple[Any, int]]:
    """The items of a top-level JSON array, each with the line it starts on."""
    items: list[tuple[Any, int]] = []
    ws = re.compile(r"\s*")
    pos = ws.match(text, start + 1).end()  # type: ignore[union-attr]
    lines, counted = 1, 0
    if text[pos : pos + 1] == "]":
        return items
    while True:
        lines += text.count("\n", counted, pos)
        counted = pos
        value, pos = decoder.raw_decode(text, pos)
        items.append((value, lines))
        pos = ws.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] == ",":
            pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
            continue
        if text[pos : pos + 1] == "]":
            rest = text[pos + 1 :].strip()
            if rest:
                raise json.JSONDecodeError("extra data after the array", text, pos + 1)
            return items
        raise json.JSONDecodeError("expected ',' or ']' between items", text, pos)


def _object_items(value: Any, path: Path) -> list[tuple[Any, int]]:
    """Items of a JSON object: one item, or a list under ``items`` or ``references``."""
    if isinstance(value, dict):
        for name in ("items", "references"):
            if isinstance(value.get(name), list):
                return [(item, 1) for item in value[name]]
        if "id" in value:
            return [(value, 1)]
    raise BibliographyError(
        "not a CSL-JSON bibliography: expected an array of items",
        path=path,
        line=1,
        hint="export CSL JSON from Zotero, or convert with pandoc -t csljson",
    )


def read_csl_yaml(path: Path, text: str) -> Bibliography:
    """A CSL-YAML file (pandoc's ``references:`` list, or a bare list) as a Bibliography."""
    import yaml

    text = text.lstrip("\ufeff")
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                # a bibliography has no use for them, and an alias bomb multiplies on reading
                raise BibliographyError(
                    "CSL-YAML with anchors and aliases is not read",
                    path=path,
                    line=event.start_mark.line + 1 if event.start_mark else None,
                    hint="write each value out (pandoc and Zotero never write aliases)",
                )
        loader_docs = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except RecursionError:
        raise BibliographyError(
            "CSL-YAML nested too deeply", path=path, hint="a CSL item is a flat mapping"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BibliographyError(
            f"not valid CSL-YAML: {getattr(exc, 'problem', None) or exc}",
            path=path,
            line=mark.line + 1 if mark is not None else None,
            hint="fix the YAML syntax, or convert the file with pandoc -t csljson",
        ) from None
    sequence = None
    for doc in loader_docs:
        if isinstance(doc, yaml.SequenceNode):
            sequence = doc
        elif isinstance(doc, yaml.MappingNode):
            for key_node, value_node in doc.value:
                if key_node.value == "references" and isinstance(value_node, yaml.SequenceNode):
                    sequence = value_node
        if sequence is not None:
            break
    if sequence is None:
        raise BibliographyError(
            "not a CSL-YAML bibliography: no 'references:' list",
            path=path,
            line=1,
            hint="pandoc writes one with: pandoc refs.bib -s -t markdown -o refs.yaml "
            "(or -t csljson for CSL-JSON)",
        )
    constructor = yaml.SafeLoader("")
    items = []
    for node in sequence.value:
        try:
            value = constructor.construct_object(node, deep=True)
        except RecursionError:
            raise BibliographyError(
                "CSL-YAML nested too deeply", path=path, line=node.start_mark.line + 1
            ) from None
        except yaml.YAMLError as exc:
            raise BibliographyError(
                f"not valid CSL-YAML: {exc}", path=path, line=node.start_mark.line + 1
            ) from None
        items.append((value, node.start_mark.line + 1))
    return _build(path, items)


def _build(path: Path, items: list[tuple[Any, int]]) -> Bibliography:
    """Entries from CSL items (each with its line), with the problems of items that are not."""
    entries: dict[str, BibEntry] = {}
    problems: list[Problem] = []

    def problem(kind: str, line: int, message: str, key: str | None, fix: str) -> None:
        problems.append(Problem(kind, Severity.ERROR, str(path), line, message, key, fix))

    for item, line in items:
        if not isinstance(item, dict):
            problem("parse-failed", line, "item is not an object", None, "each item is {...}")
            continue
        key = str(item.get("id", "")).strip()
        if not key:
            problem("no-key", line, "item has no 'id'", None, "give every item an id")
            continue
        if key in entries:
            problem(
                "duplicate-key",
                line,
                duplicate_key_message(key, entries[key].line),
                key,
                DUPLICATE_KEY_HINT,
            )
            continue
        entry_type, fields = csl_fields(item)
        names = fields.get("author") or fields.get("editor") or ""
        entry = BibEntry(key, entry_type, line, fields, quick_surnames(names))
        entry.schema = "csl"
        entry._present = tuple(n for n, v in fields.items() if v)  # what link() looks at
        entries[key] = entry
    from argmap.bib.inherit import link

    bib = Bibliography(path=path, entries=entries, problems=problems)
    link(bib)
    return bib


def csl_fields(item: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """A CSL item's biblatex type and fields."""
    csl_type = str(item.get("type", "document"))
    entry_type = CSL_TYPES.get(csl_type, "misc")
    fields: dict[str, str] = {}
    for role in ("author", "editor", "translator"):
        people = item.get(role)
        found = [_name(p) for p in people] if isinstance(people, list) else []
        names = [n for n in found if n]  # an empty name object ({}) names no one
        if names:
            fields[role] = " and ".join(names)
    for variable, name in CSL_FIELDS.items():
        value = item.get(variable)
        if value not in (None, "") and name not in fields:
            fields[name] = _text(value)
    container = item.get("container-title")
    if container:
        target = _CONTAINER.get(entry_type, "booktitle")
        fields.setdefault(target, _text(container))
    publisher = item.get("publisher")
    if publisher:
        target = "institution" if entry_type in _PUBLISHER_AS_INSTITUTION else "publisher"
        fields.setdefault(target, _text(publisher))
    date = _date(item.get("issued"))
    if date:
        fields["date"] = date
        fields["year"] = date[:4]
    return entry_type, fields


def _text(value: Any) -> str:
    if isinstance(value, str):
        return " ".join(value.split()) if "\n" in value or "  " in value else value.strip()
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return " ".join(str(value).split())


def _name(person: Any) -> str | None:
    """A CSL name as a BibTeX name ("von Last, Jr, First"; a literal in braces)."""
    if not isinstance(person, dict):
        return "{" + _text(person) + "}" if _text(person) else None
    if person.get("literal") or not person.get("family"):
        literal = _text(person.get("literal") or person.get("given") or "")
        return "{" + literal + "}" if literal else None
    family = _text(person["family"])
    particle = _text(
        " ".join(
            str(person.get(p, "")) for p in ("dropping-particle", "non-dropping-particle")
        ).strip()
    )
    last = f"{particle} {family}".strip() if particle else family
    parts = [last]
    if person.get("suffix"):
        parts.append(_text(person["suffix"]))
    if person.get("given"):
        parts.append(_text(person["given"]))
    elif len(parts) == 2:
        parts.append("")
    return ", ".join(parts)


def _date(value: Any) -> str | None:
    """A CSL date as a biblatex ``date``: ISO parts, a range with ``/``, or the year of a raw
    or literal date."""
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()[:10]
    if isinstance(value, int | str):
        text = str(value).strip()
        return text if re.match(r"^-?\d{4}", text) else _year_in(text)
    if isinstance(value, dict) and "year" in value and "date-parts" not in value:
        # pandoc's CSL-YAML also takes one date as a mapping (``issued: {year: 2004}``)
        value = [value]
    if isinstance(value, list):
        found = [
            _parts(
                {"date-parts": [[v[k] for k in ("year", "month", "day") if v.get(k) is not None]]}
            )
            for v in value
            if isinstance(v, dict)
        ]
        ends = [e for e in found if e]
        return "/".join(ends) if ends else None
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts:
            found = [_parts({"date-parts": [p]}) for p in parts[:2]]
            if all(found):
                return "/".join(e for e in found if e)
        for name in ("raw", "literal"):
            if value.get(name):
                return _year_in(str(value[name]))
    return None


def _parts(value: dict[str, Any]) -> str | None:
    try:
        numbers = [int(str(p)) for p in value["date-parts"][0] if str(p).strip()]
    except (ValueError, TypeError, IndexError, KeyError):
        return None
    # a negative year is BC (pandoc prints -335 as "335BC"), written as ISO 8601 does: -0335
    if not numbers or not -10000 < numbers[0] < 10000:
        return None
    year = f"-{-numbers[0]:04d}" if numbers[0] < 0 else f"{numbers[0]:04d}"
    return "-".join([year, *(f"{n:02d}" for n in numbers[1:3])])


def _year_in(text: str) -> str | None:
    match = re.search(r"\b\d{4}\b", text)
    return match.group(0) if match else None
