"""The shipped map of Saraví (1998): its shape is locked here (issue 3)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from argmap.bib.reader import load_bibliography
from argmap.map.graph import reachable, root_claims, tree_edges
from argmap.map.loader import LoadedMap, load_map
from argmap.map.models import Attribution, ClaimKind

REPO = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def seed() -> LoadedMap:
    return load_map(REPO / "arguments")


def test_claim_counts_by_kind(seed: LoadedMap) -> None:
    counts = Counter(str(c.kind) for c in seed.map.claims)
    assert counts == {
        "diagnosis": 1,
        "thesis": 1,
        "context": 4,
        "premise": 13,
        "finding": 14,
        "recommendation": 3,
        "objection": 3,
    }


def test_one_file_per_part_and_metadata_apart(seed: LoadedMap) -> None:
    names = [p.name for p in seed.files]
    assert names == [
        "00-article.yaml",
        "10-introduccion.yaml",
        "20-cooperacion.yaml",
        "30-costos-sociales.yaml",
        "40-discusion.yaml",
    ]


def test_exactly_three_recommendations_all_reachable(seed: LoadedMap) -> None:
    recs = [c.id for c in seed.map.claims if c.kind is ClaimKind.RECOMMENDATION]
    assert recs == ["R1", "R2", "R3"]
    root = root_claims(seed.map)
    assert [r.id for r in root] == ["D1"]
    assert set(recs) <= reachable(tree_edges(seed.map), "D1")


def test_every_claim_reachable_from_the_diagnosis(seed: LoadedMap) -> None:
    assert reachable(tree_edges(seed.map), "D1") == {c.id for c in seed.map.claims}


def test_56_citation_occurrences_of_34_works(seed: LoadedMap) -> None:
    citations = seed.map.citations()
    assert len(citations) == 56
    assert len({c.key for _, _, c in citations}) == 34


def test_every_key_is_in_refs_bib(seed: LoadedMap) -> None:
    bib = load_bibliography(REPO / "refs.bib")
    keys = {c.key for _, _, c in seed.map.citations()}
    keys |= {k for c in seed.map.claims for k in c.reported_from}
    assert keys <= set(bib.entries)
    assert seed.map.article.key in bib.entries
    assert set(bib.entries) == keys | {seed.map.article.key}
    assert [p for p in bib.problems if p.severity == "error"] == []


def test_every_claim_has_both_languages_and_a_locator(seed: LoadedMap) -> None:
    for claim in seed.map.claims:
        assert set(claim.text) == {"es", "en"}, claim.id
        assert claim.locator.paragraph >= 1


def test_reported_claims_cite_what_they_report(seed: LoadedMap) -> None:
    for claim in seed.map.claims:
        if claim.attribution is Attribution.REPORTED:
            cited = {c.key for ev in claim.evidence for c in ev.citations}
            assert set(claim.reported_from) <= cited, claim.id


def test_ocr_forms_are_kept_as_printed(seed: LoadedMap) -> None:
    printed = {c.printed for _, _, c in seed.map.citations()}
    assert {
        "Pederson el al., 1994",
        "Rabelloti, 1994",
        "Dei Otatti, 1995",
        "Brown Grossman y Doruínguez Villalobos (1997)",
    } <= printed


def test_entries_known_only_by_author_and_year_say_so() -> None:
    bib = load_bibliography(REPO / "refs.bib")
    for entry in bib.entries.values():
        assert "x-provenance" in entry.fields, entry.key
        if entry.type == "misc":
            assert entry.incomplete, entry.key
            assert "title" not in entry.fields, entry.key
