"""Map data that is plainly valid, made into the models without building Pydantic's validators.

After an edit, or with an empty cache, `argmap show` validated each claim it read with Pydantic,
and building the claim's validator (with the import of ``importlib.metadata`` that Pydantic's
plugin loader makes, even with plugins disabled) cost ~25 ms of CPU of a ~190 ms run. A map file
holds plain YAML data: strings, lists, mappings and whole numbers. This module checks such data
against the rules the models declare (required and unknown fields, patterns, lengths, choices,
``paragraph >= 1``, stripped non-empty texts, the claim's ``reported_from`` rule) and builds the
models with ``model_construct``, as the cache of validated files does (``argmap.map.stored``).

It decides only what it is certain of: a value of a type Pydantic would convert (``paragraph:
"3"``, ``paragraph: true``), whitespace at the ends of a text other than ASCII's (which Pydantic
strips by Unicode's rules, not Python's), a surrogate, any rule broken — each makes it return
None, and the loader validates that claim with Pydantic, whose result and messages are the ones
users get. ``tests/map/test_plain.py`` holds its results equal to Pydantic's, field by field and
type by type, on generated data and on every code point where Python's and Pydantic's notions of
whitespace could part.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar, get_args

from argmap.map.models import (
    Article,
    Attribution,
    BibKey,
    Citation,
    Claim,
    ClaimKind,
    Evidence,
    EvidenceKind,
    Identifier,
    LanguageCode,
    Locator,
    Relation,
    RelationType,
    Section,
    Stance,
)


def _pattern(annotated: Any) -> re.Pattern[str]:
    """The pattern a model's constrained string declares, to match whole: taken from the
    declaration so that the two cannot drift apart."""
    # Pydantic's ``^...$`` is anchored at the ends of the text; Python's ``$`` would also match
    # before a final newline, so the pattern is used without its anchors, with ``fullmatch``.
    pattern = get_args(annotated)[1].pattern
    return re.compile(pattern.removeprefix("^").removesuffix("$"))


def _max_length(annotated: Any) -> int:
    """The maximum length a model's constrained string declares."""
    limit = get_args(annotated)[1].max_length
    assert isinstance(limit, int)
    return limit


_IDENTIFIER, _IDENTIFIER_MAX = _pattern(Identifier), _max_length(Identifier)
_BIB_KEY, _BIB_KEY_MAX = _pattern(BibKey), _max_length(BibKey)
_LANGUAGE = _pattern(LanguageCode)
# Whitespace that Python and Pydantic (Unicode's White_Space) both strip from a text's ends.
_ASCII_SPACE = " \t\n\r\x0b\x0c"

_CLAIM_FIELDS = frozenset(Claim.model_fields)
_CLAIM_REQUIRED = frozenset({"id", "kind", "text", "locator"})
_EVIDENCE_FIELDS = frozenset(Evidence.model_fields)
_EVIDENCE_REQUIRED = frozenset({"id", "kind", "description"})
_CITATION_FIELDS = frozenset(Citation.model_fields)
_CITATION_REQUIRED = frozenset({"key", "printed"})
_RELATION_FIELDS = frozenset(Relation.model_fields)
_LOCATOR_FIELDS = frozenset(Locator.model_fields)
_SECTION_FIELDS = frozenset(Section.model_fields)
_ARTICLE_FIELDS = frozenset(Article.model_fields)
_ARTICLE_REQUIRED = frozenset({"key", "title", "language"})

Choice = TypeVar("Choice", ClaimKind, EvidenceKind, Stance, RelationType, Attribution)


class _NotPlain(Exception):
    """Raised on the first value this module is not certain of: Pydantic is to judge it."""


def plain_claim(value: Any) -> Claim | None:
    """The Claim that validating ``value`` gives, or None when Pydantic is to validate it."""
    try:
        return _claim(value)
    except _NotPlain:
        return None


def plain_article(value: Any) -> Article | None:
    """The Article that validating ``value`` gives, or None when Pydantic is to validate it."""
    try:
        return _article(value)
    except _NotPlain:
        return None


def _fields(value: Any, allowed: frozenset[str], required: frozenset[str]) -> dict[str, Any]:
    """``value`` as a model's input: a mapping with every required field and no unknown one."""
    if type(value) is not dict:
        raise _NotPlain
    keys = value.keys()
    if not (keys >= required and keys <= allowed):
        raise _NotPlain
    return value


def _claim(value: Any) -> Claim:
    data = _fields(value, _CLAIM_FIELDS, _CLAIM_REQUIRED)
    attribution = (
        _choice(Attribution, data["attribution"]) if "attribution" in data else Attribution.ASSERTED
    )
    reported = [_bib_key(key) for key in _list(data.get("reported_from", []))]
    # the model's own validator: a reported claim names its sources, an asserted one none
    if (attribution is Attribution.REPORTED) != bool(reported):
        raise _NotPlain
    return Claim.model_construct(
        _fields_set=set(data),
        id=_identifier(data["id"]),
        kind=_choice(ClaimKind, data["kind"]),
        text=_texts(data["text"]),
        locator=_locator(data["locator"]),
        attribution=attribution,
        reported_from=reported,
        relations=[_relation(item) for item in _list(data.get("relations", []))],
        evidence=[_evidence(item) for item in _list(data.get("evidence", []))],
        note=_optional_str(data.get("note")),
    )


def _locator(value: Any) -> Locator:
    data = _fields(value, _LOCATOR_FIELDS, _LOCATOR_FIELDS)
    paragraph = data["paragraph"]
    # exactly an int: Pydantic converts a bool, a whole float or a numeric string
    if type(paragraph) is not int or paragraph < 1:
        raise _NotPlain
    return Locator.model_construct(
        _fields_set=set(data), section=_non_empty(data["section"]), paragraph=paragraph
    )


def _relation(value: Any) -> Relation:
    data = _fields(value, _RELATION_FIELDS, _RELATION_FIELDS)
    return Relation.model_construct(
        _fields_set=set(data),
        type=_choice(RelationType, data["type"]),
        target=_identifier(data["target"]),
    )


def _evidence(value: Any) -> Evidence:
    data = _fields(value, _EVIDENCE_FIELDS, _EVIDENCE_REQUIRED)
    return Evidence.model_construct(
        _fields_set=set(data),
        id=_identifier(data["id"]),
        kind=_choice(EvidenceKind, data["kind"]),
        description=_texts(data["description"]),
        citations=[_citation(item) for item in _list(data.get("citations", []))],
    )


def _citation(value: Any) -> Citation:
    data = _fields(value, _CITATION_FIELDS, _CITATION_REQUIRED)
    return Citation.model_construct(
        _fields_set=set(data),
        key=_bib_key(data["key"]),
        printed=_non_empty(data["printed"]),
        locator=_optional_str(data.get("locator")),
        stance=_choice(Stance, data["stance"]) if "stance" in data else Stance.SUPPORTS,
    )


def _article(value: Any) -> Article:
    data = _fields(value, _ARTICLE_FIELDS, _ARTICLE_REQUIRED)
    return Article.model_construct(
        _fields_set=set(data),
        key=_bib_key(data["key"]),
        title=_non_empty(data["title"]),
        language=_language(data["language"]),
        sections=[_section(item) for item in _list(data.get("sections", []))],
        note=_optional_str(data.get("note")),
    )


def _section(value: Any) -> Section:
    data = _fields(value, _SECTION_FIELDS, _SECTION_FIELDS)
    return Section.model_construct(
        _fields_set=set(data), id=_non_empty(data["id"]), title=_non_empty(data["title"])
    )


def _list(value: Any) -> list[Any]:
    # exactly a list: Pydantic also takes tuples, sets and other iterables, YAML gives none
    if type(value) is not list:
        raise _NotPlain
    return value


def _str(value: Any) -> str:
    """Exactly a str, without a surrogate (which Pydantic refuses as invalid Unicode)."""
    if type(value) is not str:
        raise _NotPlain
    if not value.isascii():
        try:
            value.encode()  # (a surrogate does not encode; no pattern to compile at import)
        except UnicodeEncodeError:
            raise _NotPlain from None
    return value


def _optional_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _non_empty(value: Any) -> str:
    """A ``NonEmpty`` text as Pydantic gives it: stripped of whitespace at both ends, not empty.
    Only ASCII whitespace is stripped here; any other at an end is left to Pydantic."""
    text = _str(value).strip(_ASCII_SPACE)
    if not text or text[0].isspace() or text[-1].isspace():
        raise _NotPlain
    return text


def _identifier(value: Any) -> str:
    text = _str(value)
    if len(text) > _IDENTIFIER_MAX or _IDENTIFIER.fullmatch(text) is None:
        raise _NotPlain
    return text


def _bib_key(value: Any) -> str:
    text = _str(value)
    if len(text) > _BIB_KEY_MAX or _BIB_KEY.fullmatch(text) is None:
        raise _NotPlain
    return text


def _language(value: Any) -> str:
    text = _str(value)
    if _LANGUAGE.fullmatch(text) is None:
        raise _NotPlain
    return text


def _texts(value: Any) -> dict[str, str]:
    """Texts by language code (``dict[LanguageCode, NonEmpty]``)."""
    if type(value) is not dict:
        raise _NotPlain
    return {_language(lang): _non_empty(text) for lang, text in value.items()}


def _choice(kind: type[Choice], value: Any) -> Choice:
    """A member of ``kind`` by its value, given exactly as a str."""
    if type(value) is not str:
        raise _NotPlain
    try:
        return kind(value)
    except ValueError:
        raise _NotPlain from None
