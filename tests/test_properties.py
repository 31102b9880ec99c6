"""Property-based tests (hypothesis): arbitrary input never raises anything but argmap's own
errors and finishes within a bound; a map survives a JSON round trip; the cheap surname split
agrees with the full name parser."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.bib.names import fold, quick_surnames, split_names
from argmap.bib.reader import bibliography_from_text
from argmap.citations.scanner import scan
from argmap.errors import ArgmapError, BibliographyError, MapError
from argmap.map.loader import load_map
from argmap.map.models import (
    ArgumentMap,
    Article,
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

# Text made of the characters that matter to each parser, so that examples hit their corners.
CITATION_ALPHABET = st.sampled_from(
    [
        *list("()[];,.@-&~ \n0123456789aeyAEPSVdlnotí"),
        "et al.",
        "y otros",
        " y ",
        " and ",
        "\\cite{",
        "}",
        "1997a",
        "p. 3",
        "Pérez Sáinz",
        "Brown Grossman",
        "de la",
        "von",
        "(Roe, 2018)",
        "Roe (2018)",
        "[@roe2018]",
    ]
)
BIBTEX_ALPHABET = st.sampled_from(
    [
        *list('@{}(),="#%\\ \n\tabck0123'),
        "@article",
        "@string",
        "@comment",
        "@preamble",
        "author",
        "title",
        " and ",
        "{\\'e}",
        "year = 2000",
        "key,",
        "{{",
        "}}",
        "\r\n",
    ]
)
YAML_ALPHABET = st.sampled_from(
    [
        *list(":-[]{},'\"&*!|>#% \n\t"),
        "article:",
        "claims:",
        "id: D1",
        "kind: diagnosis",
        "text:",
        "es: x",
        "en: y",
        "locator:",
        "!!python/object",
        "&a",
        "*a",
        "- ",
        "  ",
        "\ufeff",
    ]
)


def texts(alphabet: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=max_size),
        st.lists(alphabet, max_size=max_size).map("".join),
    )


@settings(max_examples=400, deadline=None)
@given(texts(CITATION_ALPHABET, 300))
def test_scanner_never_fails_and_stays_fast(text: str) -> None:
    started = time.perf_counter()
    found = scan(text)
    assert time.perf_counter() - started < 1.0
    for item in found:
        assert 1 <= item.line <= text.count("\n") + 1
        assert item.key is not None or item.authors


@settings(max_examples=300, deadline=None)
@given(texts(BIBTEX_ALPHABET, 300))
def test_bib_wrapper_never_fails(text: str) -> None:
    started = time.perf_counter()
    try:
        bib = bibliography_from_text(text, Path("fuzz.bib"))
    except BibliographyError:
        return
    assert time.perf_counter() - started < 2.0
    lines = text.count("\n") + 2
    for problem in bib.problems:
        assert problem.line is None or 1 <= problem.line <= lines
    for entry in bib.entries.values():
        assert entry.key and 1 <= entry.line <= lines
        entry.label()  # labelling decodes names and LaTeX: must not fail either


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
CSL_KEYS = st.sampled_from(
    [
        "id",
        "type",
        "title",
        "author",
        "editor",
        "issued",
        "container-title",
        "publisher",
        "page",
        "DOI",
        "family",
        "given",
        "literal",
        "date-parts",
        "raw",
    ]
)
CSL_ITEMS = st.lists(st.dictionaries(CSL_KEYS, JSON_VALUES, max_size=6), max_size=5)


@settings(max_examples=300, deadline=None)
@given(CSL_ITEMS)
def test_csl_json_reader_never_fails(items: list[dict[str, object]]) -> None:
    import json

    from argmap.bib.cslread import read_csl_json

    text = json.dumps(items, indent=1)
    try:
        bib = read_csl_json(Path("fuzz.json"), text)
    except BibliographyError:
        return
    lines = text.count("\n") + 1
    for entry in bib.entries.values():
        assert 1 <= entry.line <= lines
        entry.label()


@settings(max_examples=200, deadline=None)
@given(texts(YAML_ALPHABET, 300))
def test_csl_yaml_reader_never_fails(text: str) -> None:
    from argmap.bib.cslread import read_csl_yaml

    try:
        read_csl_yaml(Path("fuzz.yaml"), "references:\n" + text)
    except BibliographyError:
        return


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts(YAML_ALPHABET, 300))
def test_loader_never_fails(tmp_path: Path, text: str) -> None:
    path = tmp_path / "map.yaml"
    path.write_bytes(text.encode("utf-8", errors="replace"))
    started = time.perf_counter()
    try:
        load_map(path)
    except MapError as error:
        assert str(error).startswith(str(path.name)) or path.name in str(error)
    except ArgmapError:
        pass
    assert time.perf_counter() - started < 2.0


IDS = st.from_regex(r"[A-Z][A-Za-z0-9_.-]{0,6}", fullmatch=True)
WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s != "")
KEYS = st.from_regex(r"[a-z][a-z0-9:_-]{0,12}", fullmatch=True)


@st.composite
def argument_maps(draw: st.DrawFn) -> ArgumentMap:
    sections = [
        Section(id=str(i), title=draw(WORDS)) for i in range(1, draw(st.integers(1, 3)) + 1)
    ]
    ids = draw(st.lists(IDS, min_size=1, max_size=6, unique=True))
    claims = []
    for claim_id in ids:
        evidence = [
            Evidence(
                id=f"{claim_id}.e{i}",
                kind=draw(st.sampled_from(list(EvidenceKind))),
                description={"es": draw(WORDS), "en": draw(WORDS)},
                citations=[
                    Citation(
                        key=draw(KEYS),
                        printed=draw(WORDS),
                        locator=draw(st.none() | WORDS),
                        stance=draw(st.sampled_from(list(Stance))),
                    )
                    for _ in range(draw(st.integers(0, 2)))
                ],
            )
            for i in range(draw(st.integers(0, 2)))
        ]
        reported = draw(st.lists(KEYS, max_size=2))
        claims.append(
            Claim(
                id=claim_id,
                kind=draw(st.sampled_from(list(ClaimKind))),
                text={"es": draw(WORDS), "en": draw(WORDS)},
                locator=Locator(
                    section=draw(st.sampled_from([s.id for s in sections])),
                    paragraph=draw(st.integers(1, 40)),
                ),
                attribution="reported" if reported else "asserted",
                reported_from=reported,
                relations=[
                    Relation(type=draw(st.sampled_from(list(RelationType))), target=target)
                    for target in draw(st.lists(st.sampled_from(ids), max_size=3))
                ],
                evidence=evidence,
                note=draw(st.none() | WORDS),
            )
        )
    article = Article(key=draw(KEYS), title=draw(WORDS), language="es", sections=sections)
    return ArgumentMap(article=article, claims=claims)


@settings(max_examples=200, deadline=None)
@given(argument_maps())
def test_map_json_round_trip(argmap: ArgumentMap) -> None:
    from argmap.render.json import map_to_json

    text = map_to_json(argmap)
    assert ArgumentMap.model_validate_json(text) == argmap
    assert map_to_json(ArgumentMap.model_validate_json(text)) == text


NAME_PARTS = st.sampled_from(
    [
        "Ana",
        "José",
        "Müller",
        'M{\\"u}ller',
        "Garc{\\'\\i}a",
        "van",
        "von",
        "de la",
        "Dijk",
        "{Food and Agriculture Organization}",
        "Pérez Sáinz",
        "Jr",
        "O'Brien",
        "Smith-Jones",
        "{\\O}stergaard",
        "del",
        "Nu{\\~n}ez",
        "le",
        "Du",
        "{van} Gogh",
        "Saraví",
    ]
)


@st.composite
def bibtex_names(draw: st.DrawFn) -> str:
    people = []
    for _ in range(draw(st.integers(1, 4))):
        form = draw(st.integers(0, 2))
        last = " ".join(draw(st.lists(NAME_PARTS, min_size=1, max_size=3)))
        first = " ".join(draw(st.lists(NAME_PARTS, min_size=0, max_size=2)))
        if form == 0 and first:
            people.append(f"{last}, {first}")
        elif form == 1 and first:
            people.append(f"{last}, Jr, {first}")
        else:
            people.append(f"{first} {last}".strip())
    return " and ".join(people)


@settings(max_examples=400, deadline=None)
@given(bibtex_names())
def test_quick_surnames_agree_with_the_full_name_parser(raw: str) -> None:
    assert quick_surnames(raw) == tuple(fold(p.surname) for p in split_names(raw))
