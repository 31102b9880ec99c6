"""Validated map files as plain JSON data and back, for the cache of validated files.

A file that validated cleanly is stored as what validation made of it (every field of every
model, and which fields were given), and is rebuilt as the plain objects of ``argmap.map.data``:
no YAML parse, no Pydantic (the loader finds a node's line only when a message asks for one).
Rebuilding checks the shape of every value against the models' fields (the fields each has,
exactly; the enums; the types), and raises ``StoredError`` on the least mismatch, so that a
damaged or foreign payload means "validate the file again", never a map that validation would
not give.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from argmap.map.data import (
    ArticleData,
    CitationData,
    ClaimData,
    EvidenceData,
    LocatorData,
    RelationData,
    SectionData,
    field_names,
)
from argmap.map.kinds import Attribution, ClaimKind, EvidenceKind, RelationType, Stance

FORMAT = 1
SET = "~set"  # the fields a model was given (pydantic's model_fields_set)

Enum = TypeVar("Enum", bound=StrEnum)


class StoredError(ValueError):
    """A payload that is not what this code stores: it is ignored and the file validated."""


def stamp() -> str:
    """What the stored data depends on: this format, the code of the models and of this
    reading, and Pydantic's release (whose validation made the data). Part of the cache key, so
    that data stored by other code is never read."""
    here = Path(__file__).parent
    code = hashlib.sha256()
    for name in ("kinds.py", "models.py", "data.py", "plain.py", "stored.py"):
        code.update((here / name).read_bytes())
    code.update(_pydantic_version())
    return f"{FORMAT} {code.hexdigest()}"


def _pydantic_version() -> bytes:
    """The text of Pydantic's ``version.py`` (which holds its ``VERSION``), found without
    importing Pydantic (~50 ms), which a map read from this cache never needs."""
    from importlib.util import find_spec

    spec = find_spec("pydantic")
    if spec is None or spec.origin is None:  # pragma: no cover - a dependency of argmap
        return b""
    try:
        return (Path(spec.origin).parent / "version.py").read_bytes()
    except OSError:  # pragma: no cover - an install without the file: never matches a stamp
        return b"?"


def encode_file(article: ArticleData | None, claims: list[ClaimData]) -> dict[str, Any]:
    """One validated file's payload: its article (or none) and its claims."""
    return {
        "article": None if article is None else _article_payload(article),
        "claims": [_claim_payload(claim) for claim in claims],
    }


def _article_payload(article: ArticleData) -> dict[str, Any]:
    return {
        SET: sorted(article.given),
        "key": article.key,
        "title": article.title,
        "language": article.language,
        "sections": [
            {SET: sorted(s.given), "id": s.id, "title": s.title} for s in article.sections
        ],
        "note": article.note,
    }


def _claim_payload(claim: ClaimData) -> dict[str, Any]:
    locator = claim.locator
    return {
        SET: sorted(claim.given),
        "id": claim.id,
        "kind": claim.kind.value,
        "text": dict(claim.text),
        "locator": {
            SET: sorted(locator.given),
            "section": locator.section,
            "paragraph": locator.paragraph,
        },
        "attribution": claim.attribution.value,
        "reported_from": list(claim.reported_from),
        "relations": [
            {SET: sorted(r.given), "type": r.type.value, "target": r.target}
            for r in claim.relations
        ],
        "evidence": [
            {
                SET: sorted(ev.given),
                "id": ev.id,
                "kind": ev.kind.value,
                "description": dict(ev.description),
                "citations": [
                    {
                        SET: sorted(c.given),
                        "key": c.key,
                        "printed": c.printed,
                        "locator": c.locator,
                        "stance": c.stance.value,
                    }
                    for c in ev.citations
                ],
            }
            for ev in claim.evidence
        ],
        "note": claim.note,
    }


def decode_file(payload: Any) -> tuple[ArticleData | None, list[ClaimData]]:
    """A payload back as the article and claims validation gave; StoredError when anything in
    it is not exactly of that shape."""
    data = _mapping(payload, {"article", "claims"})
    raw_article = data["article"]
    article = None if raw_article is None else _article(raw_article)
    return article, [_claim(item) for item in _list(data["claims"])]


def _given(value: dict[str, Any]) -> frozenset[str]:
    """The fields a stored object names as given: each one of its own."""
    given = _list(value[SET])
    if not all(isinstance(name, str) and name in value and name != SET for name in given):
        raise StoredError("unknown field named as given")
    return frozenset(given)


def _article(value: Any) -> ArticleData:
    data = _mapping(value, ArticleData)
    return ArticleData(
        key=_str(data["key"]),
        title=_str(data["title"]),
        language=_str(data["language"]),
        sections=[_section(item) for item in _list(data["sections"])],
        note=_opt_str(data["note"]),
        given=_given(data),
    )


def _section(value: Any) -> SectionData:
    data = _mapping(value, SectionData)
    return SectionData(id=_str(data["id"]), title=_str(data["title"]), given=_given(data))


def _claim(value: Any) -> ClaimData:
    data = _mapping(value, ClaimData)
    return ClaimData(
        id=_str(data["id"]),
        kind=_enum(ClaimKind, data["kind"]),
        text=_texts(data["text"]),
        locator=_locator(data["locator"]),
        attribution=_enum(Attribution, data["attribution"]),
        reported_from=[_str(key) for key in _list(data["reported_from"])],
        relations=[_relation(item) for item in _list(data["relations"])],
        evidence=[_evidence(item) for item in _list(data["evidence"])],
        note=_opt_str(data["note"]),
        given=_given(data),
    )


def _locator(value: Any) -> LocatorData:
    data = _mapping(value, LocatorData)
    return LocatorData(
        section=_str(data["section"]), paragraph=_int(data["paragraph"]), given=_given(data)
    )


def _relation(value: Any) -> RelationData:
    data = _mapping(value, RelationData)
    return RelationData(
        type=_enum(RelationType, data["type"]), target=_str(data["target"]), given=_given(data)
    )


def _evidence(value: Any) -> EvidenceData:
    data = _mapping(value, EvidenceData)
    return EvidenceData(
        id=_str(data["id"]),
        kind=_enum(EvidenceKind, data["kind"]),
        description=_texts(data["description"]),
        citations=[_citation(item) for item in _list(data["citations"])],
        given=_given(data),
    )


def _citation(value: Any) -> CitationData:
    data = _mapping(value, CitationData)
    return CitationData(
        key=_str(data["key"]),
        printed=_str(data["printed"]),
        locator=_opt_str(data["locator"]),
        stance=_enum(Stance, data["stance"]),
        given=_given(data),
    )


def _mapping(value: Any, shape: type | set[str]) -> dict[str, Any]:
    """``value`` if it is a dict of exactly the keys of ``shape`` (a plain class, whose fields
    and the given ones are stored, or a set of keys)."""
    keys = shape if isinstance(shape, set) else _KEYS[shape]
    if not isinstance(value, dict) or set(value) != keys:
        raise StoredError("a stored object does not have the expected fields")
    return value


_KEYS: dict[type, frozenset[str]] = {
    cls: field_names(cls) | {SET}
    for cls in (
        ArticleData,
        SectionData,
        ClaimData,
        LocatorData,
        RelationData,
        EvidenceData,
        CitationData,
    )
}


def _list(value: Any, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise StoredError("expected a list")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise StoredError("expected a string")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise StoredError("expected a whole number")
    return value


def _texts(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise StoredError("expected texts by language")
    return {_str(lang): _str(text) for lang, text in value.items()}


def _enum(kind: type[Enum], value: Any) -> Enum:
    try:
        return kind(_str(value))
    except ValueError:
        raise StoredError(f"not a {kind.__name__}: {value!r}") from None
