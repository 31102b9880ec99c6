"""The map's vocabulary without Pydantic: the kinds, stances and relation types (``StrEnum``), and
the patterns and lengths of ids, keys and language codes. ``argmap.map.models`` declares its
fields with these, and ``argmap.map.plain`` checks plain data against the same ones, so that
neither `argmap show` (which reads the map as plain objects) nor the rules have a second copy."""

from __future__ import annotations

from enum import StrEnum

# Anchored as Pydantic reads them (at the very ends of the text).
IDENTIFIER_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"
IDENTIFIER_MAX = 80
BIB_KEY_PATTERN = r"^[^\s{},#%\"]+$"
BIB_KEY_MAX = 200
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"


class ClaimKind(StrEnum):
    """The role a claim plays in the argument."""

    DIAGNOSIS = "diagnosis"
    THESIS = "thesis"
    CONTEXT = "context"
    PREMISE = "premise"
    FINDING = "finding"
    RECOMMENDATION = "recommendation"
    OBJECTION = "objection"


class EvidenceKind(StrEnum):
    """What sort of material an item of evidence is."""

    CASE_STUDY = "case_study"
    COMPARATIVE_STUDY = "comparative_study"
    FIELDWORK = "fieldwork"
    LITERATURE = "literature"
    STATISTICS = "statistics"
    THEORY = "theory"
    POLICY = "policy"


class Stance(StrEnum):
    """How a cited work bears on the evidence that cites it."""

    SUPPORTS = "supports"
    CONTRASTS = "contrasts"
    MENTIONS = "mentions"


class RelationType(StrEnum):
    """A typed link from one claim to another."""

    SUPPORTS = "supports"
    ATTACKS = "attacks"
    LEADS_TO = "leads_to"


class Attribution(StrEnum):
    """Whether the article asserts a claim itself or reports it from a cited work."""

    ASSERTED = "asserted"
    REPORTED = "reported"
