"""Validated map files as plain JSON data and back, for the cache of validated files.

A file that validated cleanly is stored as what validation made of it (every field of every
model, and which fields were given), and is rebuilt with ``model_construct``: no YAML parse and
no pydantic validator is needed for it (the loader finds a node's line only when a message
asks for one). Rebuilding checks
the shape of every value against the models (the fields each model has, exactly; the enums; the
types), and raises ``StoredError`` on the least mismatch, so that a damaged or foreign payload
means "validate the file again", never a map that validation would not give.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from argmap.map.models import (
    Article,
    Attribution,
    Citation,
    Claim,
    ClaimKind,
    Evidence,
    EvidenceKind,
    Locator,
    Relation,
    RelationType,
    Section,
    Stance,
)

FORMAT = 1
SET = "~set"  # the fields a model was given (pydantic's model_fields_set)

Model = TypeVar("Model", bound=BaseModel)
Enum = TypeVar("Enum", bound=StrEnum)


class StoredError(ValueError):
    """A payload that is not what this code stores: it is ignored and the file validated."""


def stamp() -> str:
    """What the stored data depends on: this format, the models' code, pydantic's version.
    Part of the cache key, so that data stored by other code is never read."""
    from pydantic.version import VERSION

    here = Path(__file__).parent
    code = hashlib.sha256()
    for name in ("models.py", "stored.py"):
        code.update((here / name).read_bytes())
    return f"{FORMAT} {VERSION} {code.hexdigest()}"


def dump(model: BaseModel) -> dict[str, Any]:
    """``model`` as JSON data: each field by name (nested models likewise), and the given ones."""
    out: dict[str, Any] = {SET: sorted(model.model_fields_set)}
    for name in type(model).model_fields:
        out[name] = _plain(getattr(model, name))
    return out


def _plain(value: Any) -> Any:
    """A field's value as JSON data."""
    if isinstance(value, BaseModel):
        return dump(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def encode_file(article: Article | None, claims: list[Claim]) -> dict[str, Any]:
    """One validated file's payload: its article (or none) and its claims."""
    return {
        "article": None if article is None else dump(article),
        "claims": [dump(claim) for claim in claims],
    }


def decode_file(payload: Any) -> tuple[Article | None, list[Claim]]:
    """A payload back as the article and claims validation gave; StoredError when anything in
    it is not exactly of that shape."""
    data = _mapping(payload, {"article", "claims"})
    raw_article = data["article"]
    article = None if raw_article is None else _article(raw_article)
    return article, [_claim(item) for item in _list(data["claims"])]


def _build(model: type[Model], value: Any, fields: dict[str, Any]) -> Model:
    """``model`` from ``fields`` (already rebuilt), given exactly the fields ``value`` names."""
    given = _list(value[SET])
    if not all(isinstance(name, str) and name in fields for name in given):
        raise StoredError(f"{model.__name__}: unknown field named as given")
    if set(fields) != set(model.model_fields):
        raise StoredError(f"{model.__name__}: the stored fields are not the model's")
    return model.model_construct(_fields_set=set(given), **fields)


def _article(value: Any) -> Article:
    data = _mapping(value, {SET, "key", "title", "language", "sections", "note"})
    sections = [_section(item) for item in _list(data["sections"])]
    fields = {
        "key": _str(data["key"]),
        "title": _str(data["title"]),
        "language": _str(data["language"]),
        "sections": sections,
        "note": _opt_str(data["note"]),
    }
    return _build(Article, data, fields)


def _section(value: Any) -> Section:
    data = _mapping(value, {SET, "id", "title"})
    return _build(Section, data, {"id": _str(data["id"]), "title": _str(data["title"])})


def _claim(value: Any) -> Claim:
    data = _mapping(
        value,
        {
            SET,
            "id",
            "kind",
            "text",
            "locator",
            "attribution",
            "reported_from",
            "relations",
            "evidence",
            "note",
        },
    )
    fields = {
        "id": _str(data["id"]),
        "kind": _enum(ClaimKind, data["kind"]),
        "text": _texts(data["text"]),
        "locator": _locator(data["locator"]),
        "attribution": _enum(Attribution, data["attribution"]),
        "reported_from": [_str(key) for key in _list(data["reported_from"])],
        "relations": [_relation(item) for item in _list(data["relations"])],
        "evidence": [_evidence(item) for item in _list(data["evidence"])],
        "note": _opt_str(data["note"]),
    }
    return _build(Claim, data, fields)


def _locator(value: Any) -> Locator:
    data = _mapping(value, {SET, "section", "paragraph"})
    fields = {"section": _str(data["section"]), "paragraph": _int(data["paragraph"])}
    return _build(Locator, data, fields)


def _relation(value: Any) -> Relation:
    data = _mapping(value, {SET, "type", "target"})
    fields = {"type": _enum(RelationType, data["type"]), "target": _str(data["target"])}
    return _build(Relation, data, fields)


def _evidence(value: Any) -> Evidence:
    data = _mapping(value, {SET, "id", "kind", "description", "citations"})
    fields = {
        "id": _str(data["id"]),
        "kind": _enum(EvidenceKind, data["kind"]),
        "description": _texts(data["description"]),
        "citations": [_citation(item) for item in _list(data["citations"])],
    }
    return _build(Evidence, data, fields)


def _citation(value: Any) -> Citation:
    data = _mapping(value, {SET, "key", "printed", "locator", "stance"})
    fields = {
        "key": _str(data["key"]),
        "printed": _str(data["printed"]),
        "locator": _opt_str(data["locator"]),
        "stance": _enum(Stance, data["stance"]),
    }
    return _build(Citation, data, fields)


def _mapping(value: Any, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != keys:
        raise StoredError("a stored object does not have the expected fields")
    return value


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
