"""Map data that is plainly valid, made into plain objects without Pydantic.

After an edit, or with an empty cache, `argmap show` validated each claim it read with Pydantic;
building the claim's validator cost ~25 ms of CPU, and importing Pydantic and declaring the
models ~80 ms more. A map file holds plain YAML data: strings, lists, mappings and whole numbers.
This module checks such data against the rules the models declare (required and unknown
fields, the patterns and lengths of ``argmap.map.kinds``, choices, ``paragraph >= 1``, stripped
non-empty texts, the claim's ``reported_from`` rule) and builds the plain objects of
``argmap.map.data``, which the cache of validated files stores and `argmap show` draws; other
commands make them into the models (``argmap.map.convert``), as validating would have.

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
from argmap.map.kinds import (
    BIB_KEY_MAX,
    BIB_KEY_PATTERN,
    IDENTIFIER_MAX,
    IDENTIFIER_PATTERN,
    LANGUAGE_PATTERN,
    Attribution,
    ClaimKind,
    EvidenceKind,
    RelationType,
    Stance,
)


def _pattern(pattern: str) -> re.Pattern[str]:
    """A pattern the models declare (``argmap.map.kinds``), to match whole."""
    # Pydantic's ``^...$`` is anchored at the ends of the text; Python's ``$`` would also match
    # before a final newline, so the pattern is used without its anchors, with ``fullmatch``.
    return re.compile(pattern.removeprefix("^").removesuffix("$"))


_IDENTIFIER, _IDENTIFIER_MAX = _pattern(IDENTIFIER_PATTERN), IDENTIFIER_MAX
_BIB_KEY, _BIB_KEY_MAX = _pattern(BIB_KEY_PATTERN), BIB_KEY_MAX
_LANGUAGE = _pattern(LANGUAGE_PATTERN)
# Whitespace that Python and Pydantic (Unicode's White_Space) both strip from a text's ends.
_ASCII_SPACE = " \t\n\r\x0b\x0c"

# The models' fields (the plain classes' slots) and the required ones (written out here, so that
# reading a map needs no Pydantic; tests/map/test_plain.py holds both equal to the models').
_CLAIM_FIELDS = field_names(ClaimData)
_CLAIM_REQUIRED = frozenset({"id", "kind", "text", "locator"})
_EVIDENCE_FIELDS = field_names(EvidenceData)
_EVIDENCE_REQUIRED = frozenset({"id", "kind", "description"})
_CITATION_FIELDS = field_names(CitationData)
_CITATION_REQUIRED = frozenset({"key", "printed"})
_RELATION_FIELDS = field_names(RelationData)
_LOCATOR_FIELDS = field_names(LocatorData)
_SECTION_FIELDS = field_names(SectionData)
_ARTICLE_FIELDS = field_names(ArticleData)
_ARTICLE_REQUIRED = frozenset({"key", "title", "language"})

Choice = TypeVar("Choice", ClaimKind, EvidenceKind, Stance, RelationType, Attribution)


class _NotPlain(Exception):
    """Raised on the first value this module is not certain of: Pydantic is to judge it."""


def plain_claim(value: Any) -> ClaimData | None:
    """The claim that validating ``value`` gives, as plain data, or None when Pydantic is to
    validate it."""
    try:
        return _claim(value)
    except _NotPlain:
        return None


def plain_article(value: Any) -> ArticleData | None:
    """The article that validating ``value`` gives, as plain data, or None when Pydantic is to
    validate it."""
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


def _claim(value: Any) -> ClaimData:
    data = _fields(value, _CLAIM_FIELDS, _CLAIM_REQUIRED)
    attribution = (
        _choice(Attribution, data["attribution"]) if "attribution" in data else Attribution.ASSERTED
    )
    reported = [_bib_key(key) for key in _list(data.get("reported_from", []))]
    # the model's own validator: a reported claim names its sources, an asserted one none
    if (attribution is Attribution.REPORTED) != bool(reported):
        raise _NotPlain
    return ClaimData(
        given=frozenset(data),
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


def _locator(value: Any) -> LocatorData:
    data = _fields(value, _LOCATOR_FIELDS, _LOCATOR_FIELDS)
    paragraph = data["paragraph"]
    # exactly an int: Pydantic converts a bool, a whole float or a numeric string
    if type(paragraph) is not int or paragraph < 1:
        raise _NotPlain
    return LocatorData(
        given=frozenset(data), section=_non_empty(data["section"]), paragraph=paragraph
    )


def _relation(value: Any) -> RelationData:
    data = _fields(value, _RELATION_FIELDS, _RELATION_FIELDS)
    return RelationData(
        given=frozenset(data),
        type=_choice(RelationType, data["type"]),
        target=_identifier(data["target"]),
    )


def _evidence(value: Any) -> EvidenceData:
    data = _fields(value, _EVIDENCE_FIELDS, _EVIDENCE_REQUIRED)
    return EvidenceData(
        given=frozenset(data),
        id=_identifier(data["id"]),
        kind=_choice(EvidenceKind, data["kind"]),
        description=_texts(data["description"]),
        citations=[_citation(item) for item in _list(data.get("citations", []))],
    )


def _citation(value: Any) -> CitationData:
    data = _fields(value, _CITATION_FIELDS, _CITATION_REQUIRED)
    return CitationData(
        given=frozenset(data),
        key=_bib_key(data["key"]),
        printed=_non_empty(data["printed"]),
        locator=_optional_str(data.get("locator")),
        stance=_choice(Stance, data["stance"]) if "stance" in data else Stance.SUPPORTS,
    )


def _article(value: Any) -> ArticleData:
    data = _fields(value, _ARTICLE_FIELDS, _ARTICLE_REQUIRED)
    return ArticleData(
        given=frozenset(data),
        key=_bib_key(data["key"]),
        title=_non_empty(data["title"]),
        language=_language(data["language"]),
        sections=[_section(item) for item in _list(data.get("sections", []))],
        note=_optional_str(data.get("note")),
    )


def _section(value: Any) -> SectionData:
    data = _fields(value, _SECTION_FIELDS, _SECTION_FIELDS)
    return SectionData(
        given=frozenset(data), id=_non_empty(data["id"]), title=_non_empty(data["title"])
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
