"""The shipped map of Saraví (1998): its shape is locked here (issues 3 and 14)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from argmap.bib.reader import load_bibliography
from argmap.map.graph import path_from_root, reachable, root_claims, tree_edges
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
        "context": 7,
        "premise": 15,
        "finding": 17,
        "recommendation": 3,
        "objection": 2,
    }


def test_the_thesis_lies_between_the_diagnosis_and_the_recommendations(seed: LoadedMap) -> None:
    thesis = [c.id for c in seed.map.claims if c.kind is ClaimKind.THESIS]
    assert thesis == ["F2"]
    assert path_from_root(seed.map, "R1") == ["D1", "F2", "F5", "R1"]


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


# Where the article cites each work: (section, paragraph) -> keys, one per dated citation as
# printed ("Tokman, 1977, 1978" is two). Each must sit in a claim with that locator, once.
CITED_AT: dict[tuple[str, int], list[str]] = {
    ("1", 1): ["piore1984", "capecchi1990", "pedersen1994", "coriat1997", "humphrey1995"],
    ("1", 3): ["tokman1977", "tokman1978", "arias1988", "cook1995", "martinez1995"],
    ("1", 4): ["pedersen1994", "perezsainz1995", "pyke1992"],
    ("2", 1): ["saravi1997a"],
    ("2", 2): ["schmitz1995"],
    ("2", 3): ["brown1997", "rabellotti1995", "saravi1997a"],
    ("2", 4): ["rabellotti1995"],
    ("2", 5): ["brown1997", "saravi1998", "rabellotti1994", "berry1997"],
    ("2", 6): ["messner1996", "brusco1990", "piore1990", "deiottati1995", "berry1997"],
    ("2", 7): ["casalet1995", "casalet1997"],
    ("2", 9): ["brown1997", "saravi1997a", "rabellotti1995", "brown1997", "saravi1998"],
    ("2", 10): ["martinezvazquez1995"],
    ("2", 11): ["deiottati1995", "berry1997"],
    ("2", 12): ["wilson1994"],
    ("3", 1): ["lazerson1988", "piore1984", "perulli1992"],
    ("3", 2): ["piore1984", "pedersen1994"],
    ("3", 4): ["saravi1997b"],
    ("3", 5): ["wilson1994", "bensusan1997"],
    ("3", 9): ["perulli1992", "lipietz1995"],
    ("3", 10): ["perulli1992"],
    ("3", 11): ["bensusan1997", "morris1992", "saravi1997b"],
    ("final", 2): ["hirst1997"],
    ("final", 3): ["piore1990"],
    ("final", 6): ["hirst1997"],
}


def test_each_citation_of_the_article_sits_once_at_its_paragraph(seed: LoadedMap) -> None:
    expected = Counter(
        (section, paragraph, key) for (section, paragraph), keys in CITED_AT.items() for key in keys
    )
    found = Counter(
        (claim.locator.section, claim.locator.paragraph, cit.key)
        for claim, _, cit in seed.map.citations()
    )
    assert found == expected
    assert sum(expected.values()) == 56


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


@pytest.mark.parametrize("engine", ["citeproc-py", "auto"])
def test_place_names_and_spanish_titles_keep_their_capitals_in_apa(engine: str) -> None:
    # APA sets English titles in sentence case: without braces the reference list read
    # "in italy", "León, mexico"; a Spanish title (no langid) was sentence-cased as English,
    # "de méxico", "en américa latina".
    from argmap.bib.refs import RefsEngine, format_references

    bib = load_bibliography(REPO / "refs.bib")
    refs = format_references(
        list(bib.entries.values()), "apa", bib=bib, engine=RefsEngine(engine)
    ).references
    text = {ref.key: ref.text for ref in refs}
    assert "co-operation in Italy (pp. 20–36)" in text["capecchi1990"]
    assert "in Emilia-Romagna" in text["capecchi1990"]
    assert "in Italy (pp. 10–19)" in text["brusco1990"]
    assert "León, Mexico" in text["morris1992"]
    assert "in Italy and Mexico compared" in text["rabellotti1995"]
    assert "industries in the South" in text["pedersen1994"]
    assert "en América Latina" in text["perezsainz1995"]
    assert "distritos industriales de México" in text["saravi1998sociologica"]
    assert "’industrial" not in text["rabellotti1995"]  # a closing quote where one opens
