"""The argument map as plain objects, without Pydantic, and the shape both forms share.

`argmap show` (tree and text) reads a map as these objects: importing Pydantic and declaring the
models cost ~80 ms of CPU, more than half of a run. Each class holds the fields of the model of
the same name in ``argmap.map.models`` (the one source of the rules: ``argmap.map.plain`` builds
these objects only from data that plainly satisfies them, and leaves anything else to Pydantic),
plus ``given``, the fields the input named (Pydantic's ``model_fields_set``). Every other
command gets the models, made from these objects by ``argmap.map.convert``.

The ``...Like`` protocols name what the graph, the outline and the scope read, which the models
and these objects both provide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

from argmap.map.kinds import Attribution, ClaimKind, EvidenceKind, RelationType, Stance


class LocatorLike(Protocol):
    """Where a claim stands in the source."""

    @property
    def section(self) -> str: ...
    @property
    def paragraph(self) -> int: ...


class CitationLike(Protocol):
    """One in-text citation."""

    @property
    def key(self) -> str: ...
    @property
    def printed(self) -> str: ...
    @property
    def locator(self) -> str | None: ...
    @property
    def stance(self) -> Stance: ...


class EvidenceLike(Protocol):
    """An item of evidence."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> EvidenceKind: ...
    @property
    def description(self) -> Mapping[str, str]: ...
    @property
    def citations(self) -> Sequence[CitationLike]: ...


class RelationLike(Protocol):
    """A typed link to another claim."""

    @property
    def type(self) -> RelationType: ...
    @property
    def target(self) -> str: ...


class ClaimLike(Protocol):
    """A step of the argument."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> ClaimKind: ...
    @property
    def text(self) -> Mapping[str, str]: ...
    @property
    def locator(self) -> LocatorLike: ...
    @property
    def attribution(self) -> Attribution: ...
    @property
    def reported_from(self) -> Sequence[str]: ...
    @property
    def relations(self) -> Sequence[RelationLike]: ...
    @property
    def evidence(self) -> Sequence[EvidenceLike]: ...
    def text_in(self, lang: str) -> str:
        """The claim's text in ``lang``, falling back to any text it has."""
        ...


class SectionLike(Protocol):
    """A section of the mapped article."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...


class ArticleLike(Protocol):
    """The work the map is of."""

    @property
    def key(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def sections(self) -> Sequence[SectionLike]: ...


ClaimT = TypeVar("ClaimT", bound=ClaimLike, covariant=True)


def place_label(section: str, paragraph: int) -> str:
    """A locator as shown (``§2 ¶3``): by the models' ``Locator`` and ``LocatorData`` alike."""
    return f"§{section} ¶{paragraph}"


def text_in(texts: Mapping[str, str], lang: str) -> str:
    """The text in ``lang``, falling back to any text given: ``Claim.text_in`` of both forms."""
    return texts.get(lang) or next(iter(texts.values()))


class MapLike(Protocol[ClaimT]):
    """A whole map, of claims of type ``ClaimT`` (the models' or these plain ones)."""

    @property
    def article(self) -> ArticleLike: ...
    @property
    def claims(self) -> Sequence[ClaimT]: ...


class LocatorData:
    """A claim's place in the source (``models.Locator``)."""

    __slots__ = ("given", "paragraph", "section")

    def __init__(self, *, section: str, paragraph: int, given: frozenset[str]) -> None:
        self.section, self.paragraph, self.given = section, paragraph, given

    def __str__(self) -> str:
        return place_label(self.section, self.paragraph)


class CitationData:
    """One dated in-text citation (``models.Citation``)."""

    __slots__ = ("given", "key", "locator", "printed", "stance")

    def __init__(
        self, *, key: str, printed: str, locator: str | None, stance: Stance, given: frozenset[str]
    ) -> None:
        self.key, self.printed, self.locator, self.stance = key, printed, locator, stance
        self.given = given


class EvidenceData:
    """Material behind a claim (``models.Evidence``)."""

    __slots__ = ("citations", "description", "given", "id", "kind")

    def __init__(
        self,
        *,
        id: str,
        kind: EvidenceKind,
        description: dict[str, str],
        citations: list[CitationData],
        given: frozenset[str],
    ) -> None:
        self.id, self.kind, self.description, self.citations = id, kind, description, citations
        self.given = given


class RelationData:
    """A link to the claim named by ``target`` (``models.Relation``)."""

    __slots__ = ("given", "target", "type")

    def __init__(self, *, type: RelationType, target: str, given: frozenset[str]) -> None:
        self.type, self.target, self.given = type, target, given


class ClaimData:
    """A step of the argument (``models.Claim``)."""

    __slots__ = (
        "attribution",
        "evidence",
        "given",
        "id",
        "kind",
        "locator",
        "note",
        "relations",
        "reported_from",
        "text",
    )

    def __init__(
        self,
        *,
        id: str,
        kind: ClaimKind,
        text: dict[str, str],
        locator: LocatorData,
        attribution: Attribution,
        reported_from: list[str],
        relations: list[RelationData],
        evidence: list[EvidenceData],
        note: str | None,
        given: frozenset[str],
    ) -> None:
        self.id, self.kind, self.text, self.locator = id, kind, text, locator
        self.attribution, self.reported_from = attribution, reported_from
        self.relations, self.evidence, self.note, self.given = relations, evidence, note, given

    def text_in(self, lang: str) -> str:
        """The claim's text in ``lang``, falling back to any text it has."""
        return text_in(self.text, lang)


class SectionData:
    """A section of the mapped article (``models.Section``)."""

    __slots__ = ("given", "id", "title")

    def __init__(self, *, id: str, title: str, given: frozenset[str]) -> None:
        self.id, self.title, self.given = id, title, given


class ArticleData:
    """The work the map is of (``models.Article``)."""

    __slots__ = ("given", "key", "language", "note", "sections", "title")

    def __init__(
        self,
        *,
        key: str,
        title: str,
        language: str,
        sections: list[SectionData],
        note: str | None,
        given: frozenset[str],
    ) -> None:
        self.key, self.title, self.language, self.sections = key, title, language, sections
        self.note, self.given = note, given


class MapData:
    """A whole map (``models.ArgumentMap``)."""

    __slots__ = ("article", "claims")

    def __init__(self, article: ArticleData, claims: list[ClaimData]) -> None:
        self.article, self.claims = article, claims

    def citations(self) -> list[tuple[ClaimData, EvidenceData, CitationData]]:
        """Every citation of the map, in map order, with the claim and evidence that hold it."""
        return [
            (claim, ev, cit)
            for claim in self.claims
            for ev in claim.evidence
            for cit in ev.citations
        ]


def field_names(cls: type) -> frozenset[str]:
    """The model fields a plain class above holds: its slots, but ``given``. (The reader and the
    map cache take their field lists from here; tests/map/test_plain.py holds them equal to the
    models'.)"""
    slots: tuple[str, ...] = vars(cls)["__slots__"]
    return frozenset(slots) - {"given"}
