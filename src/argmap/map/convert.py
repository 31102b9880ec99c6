"""The map's plain objects (``argmap.map.data``) made into the Pydantic models, and back.

The loader reads every map as plain objects; `argmap show` draws those, and every other command
gets the models made from them here with ``model_construct`` (what validating the same data
gives: the objects are made only from data the models' rules accept, or from models Pydantic
validated). The fields each object was given become the model's ``model_fields_set``.
"""

from __future__ import annotations

from argmap.map.data import (
    ArticleData,
    CitationData,
    ClaimData,
    EvidenceData,
    LocatorData,
    MapData,
    RelationData,
    SectionData,
)
from argmap.map.models import (
    ArgumentMap,
    Article,
    Citation,
    Claim,
    Evidence,
    Locator,
    Relation,
    Section,
)


def map_model(data: MapData) -> ArgumentMap:
    """The ``ArgumentMap`` of ``data``."""
    # Its parts are valid models and it has no validator of its own: constructing it gives
    # what validating it gives, without building the whole map's validator.
    return ArgumentMap.model_construct(
        article=article_model(data.article), claims=[claim_model(c) for c in data.claims]
    )


def article_model(data: ArticleData) -> Article:
    """The ``Article`` of ``data``."""
    return Article.model_construct(
        _fields_set=set(data.given),
        key=data.key,
        title=data.title,
        language=data.language,
        sections=[
            Section.model_construct(_fields_set=set(s.given), id=s.id, title=s.title)
            for s in data.sections
        ],
        note=data.note,
    )


def claim_model(data: ClaimData) -> Claim:
    """The ``Claim`` of ``data``."""
    locator = data.locator
    return Claim.model_construct(
        _fields_set=set(data.given),
        id=data.id,
        kind=data.kind,
        text=data.text,
        locator=Locator.model_construct(
            _fields_set=set(locator.given), section=locator.section, paragraph=locator.paragraph
        ),
        attribution=data.attribution,
        reported_from=data.reported_from,
        relations=[
            Relation.model_construct(_fields_set=set(r.given), type=r.type, target=r.target)
            for r in data.relations
        ],
        evidence=[_evidence_model(ev) for ev in data.evidence],
        note=data.note,
    )


def _evidence_model(data: EvidenceData) -> Evidence:
    return Evidence.model_construct(
        _fields_set=set(data.given),
        id=data.id,
        kind=data.kind,
        description=data.description,
        citations=[
            Citation.model_construct(
                _fields_set=set(c.given),
                key=c.key,
                printed=c.printed,
                locator=c.locator,
                stance=c.stance,
            )
            for c in data.citations
        ],
    )


def article_data(model: Article) -> ArticleData:
    """A validated ``Article`` as plain data."""
    return ArticleData(
        key=model.key,
        title=model.title,
        language=model.language,
        sections=[
            SectionData(id=s.id, title=s.title, given=frozenset(s.model_fields_set))
            for s in model.sections
        ],
        note=model.note,
        given=frozenset(model.model_fields_set),
    )


def claim_data(model: Claim) -> ClaimData:
    """A validated ``Claim`` as plain data."""
    locator = model.locator
    return ClaimData(
        id=model.id,
        kind=model.kind,
        text=dict(model.text),
        locator=LocatorData(
            section=locator.section,
            paragraph=locator.paragraph,
            given=frozenset(locator.model_fields_set),
        ),
        attribution=model.attribution,
        reported_from=list(model.reported_from),
        relations=[
            RelationData(type=r.type, target=r.target, given=frozenset(r.model_fields_set))
            for r in model.relations
        ],
        evidence=[
            EvidenceData(
                id=ev.id,
                kind=ev.kind,
                description=dict(ev.description),
                citations=[
                    CitationData(
                        key=c.key,
                        printed=c.printed,
                        locator=c.locator,
                        stance=c.stance,
                        given=frozenset(c.model_fields_set),
                    )
                    for c in ev.citations
                ],
                given=frozenset(ev.model_fields_set),
            )
            for ev in model.evidence
        ],
        note=model.note,
        given=frozenset(model.model_fields_set),
    )
