"""Words for the map's enumerations in each output language (kinds, relations, stances)."""

from __future__ import annotations

from argmap.map.kinds import ClaimKind, EvidenceKind, RelationType, Stance

CLAIM_KINDS: dict[str, dict[ClaimKind, str]] = {
    "es": {
        ClaimKind.DIAGNOSIS: "diagnóstico",
        ClaimKind.THESIS: "tesis",
        ClaimKind.CONTEXT: "contexto",
        ClaimKind.PREMISE: "premisa",
        ClaimKind.FINDING: "hallazgo",
        ClaimKind.RECOMMENDATION: "recomendación",
        ClaimKind.OBJECTION: "objeción",
    },
    "en": {kind: kind.value for kind in ClaimKind},
}

EVIDENCE_KINDS: dict[str, dict[EvidenceKind, str]] = {
    "es": {
        EvidenceKind.CASE_STUDY: "estudio de caso",
        EvidenceKind.COMPARATIVE_STUDY: "estudio comparativo",
        EvidenceKind.FIELDWORK: "trabajo de campo",
        EvidenceKind.LITERATURE: "bibliografía",
        EvidenceKind.STATISTICS: "estadísticas",
        EvidenceKind.THEORY: "teoría",
        EvidenceKind.POLICY: "política pública",
    },
    "en": {kind: kind.value.replace("_", " ") for kind in EvidenceKind},
}

RELATIONS: dict[str, dict[RelationType, str]] = {
    "es": {
        RelationType.SUPPORTS: "apoya",
        RelationType.ATTACKS: "objeta",
        RelationType.LEADS_TO: "conduce a",
    },
    "en": {
        RelationType.SUPPORTS: "supports",
        RelationType.ATTACKS: "attacks",
        RelationType.LEADS_TO: "leads to",
    },
}

# Pandoc citation prefixes for citations that do not simply support their evidence.
STANCE_PREFIXES: dict[str, dict[Stance, str]] = {
    "es": {Stance.SUPPORTS: "", Stance.CONTRASTS: "cf.", Stance.MENTIONS: "véase"},
    "en": {Stance.SUPPORTS: "", Stance.CONTRASTS: "cf.", Stance.MENTIONS: "see"},
}


def claim_kind(kind: ClaimKind, lang: str) -> str:
    """The name of a claim kind in ``lang`` (English when there is no table for it)."""
    return CLAIM_KINDS.get(lang, CLAIM_KINDS["en"])[kind]


def evidence_kind(kind: EvidenceKind, lang: str) -> str:
    """The name of an evidence kind in ``lang``."""
    return EVIDENCE_KINDS.get(lang, EVIDENCE_KINDS["en"])[kind]


def relation(rel: RelationType, lang: str) -> str:
    """The verb of a relation in ``lang``."""
    return RELATIONS.get(lang, RELATIONS["en"])[rel]


def stance_prefix(stance: Stance, lang: str) -> str:
    """The pandoc prefix for a citation's stance in ``lang`` (empty for plain support)."""
    return STANCE_PREFIXES.get(lang, STANCE_PREFIXES["en"])[stance]


# Fixed words of `show` output.
WORDS = {
    "es": {
        "see": "ver",
        "more": "más (amplíe --depth)",
        "unlinked": "Sin enlace con la raíz",
        "missing": "no está en la bibliografía",
        "continued": "continuación",
        "continues": "sigue más abajo",
        "legend": "◇ evidencia · ✓ en la bibliografía · ✗ falta en la bibliografía",
    },
    "en": {
        "see": "see",
        "more": "more (raise --depth)",
        "unlinked": "Not linked to the root",
        "missing": "not in the bibliography",
        "continued": "continued",
        "continues": "continued below",
        "legend": "◇ evidence · ✓ in the bibliography · ✗ missing from the bibliography",
    },
}


def words(lang: str) -> dict[str, str]:
    """Fixed words of the output in ``lang`` (English when there are none)."""
    return WORDS.get(lang, WORDS["en"])
