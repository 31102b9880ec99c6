"""Pydantic models of an argument map: claims, evidence, citations and relations between claims."""

from __future__ import annotations

import os
from typing import Annotated

# argmap's models use no third-party pydantic plugins: skip pydantic's scan of every installed
# package's entry points for them at the first validator built (it grows with the environment:
# 2-4 ms in a bare virtualenv, tens of ms in a large one). A value the user set is kept.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from argmap.map.data import place_label, text_in
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

# (The enums are defined in argmap.map.kinds, which needs no Pydantic; they are named here too.)
__all__ = [
    "ArgumentMap",
    "Article",
    "Attribution",
    "BibKey",
    "Citation",
    "Claim",
    "ClaimKind",
    "Evidence",
    "EvidenceKind",
    "Identifier",
    "LanguageCode",
    "Locator",
    "MapFile",
    "NonEmpty",
    "Relation",
    "RelationType",
    "Section",
    "Stance",
]

Identifier = Annotated[
    str, StringConstraints(pattern=IDENTIFIER_PATTERN, max_length=IDENTIFIER_MAX)
]
BibKey = Annotated[str, StringConstraints(pattern=BIB_KEY_PATTERN, max_length=BIB_KEY_MAX)]
LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class _Strict(BaseModel):
    """Base of every model: unknown fields are errors, not silently dropped."""

    # defer_build: a model's validator is built at its first validation, not at import, so
    # that a map read from the cache of validated files (argmap.map.stored) builds none at all
    # (building the eight validators at import cost ~40 ms of every command's start-up).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Locator(_Strict):
    """Where a claim stands in the source: its section and paragraph within that section."""

    section: NonEmpty
    paragraph: int = Field(ge=1)

    def __str__(self) -> str:
        return place_label(self.section, self.paragraph)


class Citation(_Strict):
    """One dated in-text citation: a BibTeX key, optional pages, and the form as printed."""

    key: BibKey
    printed: NonEmpty
    locator: str | None = None
    stance: Stance = Stance.SUPPORTS


class Evidence(_Strict):
    """Material behind a claim: a description in each language and the citations that back it."""

    id: Identifier
    kind: EvidenceKind
    description: dict[LanguageCode, NonEmpty]
    citations: list[Citation] = Field(default_factory=list)


class Relation(_Strict):
    """A link from the claim that holds it to the claim named by ``target``."""

    type: RelationType
    target: Identifier


class Claim(_Strict):
    """A step of the argument, in the source's language and English, with its place and support."""

    id: Identifier
    kind: ClaimKind
    text: dict[LanguageCode, NonEmpty]
    locator: Locator
    attribution: Attribution = Attribution.ASSERTED
    reported_from: list[BibKey] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _reported_names_its_source(self) -> Claim:
        if self.attribution is Attribution.REPORTED and not self.reported_from:
            raise ValueError("a reported claim needs 'reported_from': the keys of the cited works")
        if self.attribution is Attribution.ASSERTED and self.reported_from:
            raise ValueError("'reported_from' is only for claims with attribution 'reported'")
        return self

    def text_in(self, lang: str) -> str:
        """The claim's text in ``lang``, falling back to any text it has."""
        return text_in(self.text, lang)


class Section(_Strict):
    """A section of the mapped article, as the map refers to it in locators."""

    id: NonEmpty
    title: NonEmpty


class Article(_Strict):
    """The work the map is of: its own BibTeX key, title, language and sections."""

    key: BibKey
    title: NonEmpty
    language: LanguageCode
    sections: list[Section] = Field(default_factory=list)
    note: str | None = None


class ArgumentMap(_Strict):
    """A whole argument map: the article it maps and its claims."""

    article: Article
    claims: list[Claim] = Field(default_factory=list)

    def claim(self, claim_id: str) -> Claim:
        """The claim with id ``claim_id``; KeyError if there is none."""
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise KeyError(claim_id)

    def citations(self) -> list[tuple[Claim, Evidence, Citation]]:
        """Every citation of the map, in map order, with the claim and evidence that hold it."""
        return [
            (claim, ev, cit)
            for claim in self.claims
            for ev in claim.evidence
            for cit in ev.citations
        ]


class MapFile(_Strict):
    """One YAML file of a map, as an editor sees it: the article block (in one file) and claims.

    The loader validates files piece by piece for better messages; this model exists so that
    `argmap schema` can describe a file as a whole.
    """

    article: Article | None = None
    claims: list[Claim] | None = None
