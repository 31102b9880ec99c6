"""Plainly valid map data built without Pydantic's validators: exactly what validation gives, or
left to Pydantic (never a model that validation would not give)."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from argmap.map import loader, plain
from argmap.map.convert import article_model, claim_model
from argmap.map.data import ArticleData, ClaimData
from argmap.map.loader import load_map
from argmap.map.models import Article, BibKey, Claim, Identifier, LanguageCode, NonEmpty

TESTS = Path(__file__).parents[1]
REPO = TESTS.parent
MAP_FILES = sorted(
    [
        *(REPO / "arguments").glob("*.yaml"),
        *(TESTS / "data").rglob("arguments/*.yaml"),
        *(TESTS / "data" / "hostile").glob("map-*.yaml"),
    ]
)


def plain_claim(raw: Any) -> Claim | None:
    """What ``argmap.map.plain`` builds of ``raw``, as the model the other commands get."""
    built = plain.plain_claim(raw)
    assert built is None or type(built) is ClaimData
    return None if built is None else claim_model(built)


def plain_article(raw: Any) -> Article | None:
    """What ``argmap.map.plain`` builds of the article ``raw``, as the model."""
    built = plain.plain_article(raw)
    assert built is None or type(built) is ArticleData
    return None if built is None else article_model(built)


def same(built: Any, validated: Any, where: str = "") -> None:
    """Equal values of the same types throughout, models given the same fields."""
    assert type(built) is type(validated), where
    if isinstance(validated, BaseModel):
        assert built.model_fields_set == validated.model_fields_set, where
        assert built.__pydantic_extra__ == validated.__pydantic_extra__, where
        assert built.__pydantic_private__ == validated.__pydantic_private__, where
        assert list(built.__dict__) == list(validated.__dict__), where
        for name in type(validated).model_fields:
            same(getattr(built, name), getattr(validated, name), f"{where}.{name}")
        assert built == validated
    elif isinstance(validated, list):
        assert len(built) == len(validated), where
        for index, (one, other) in enumerate(zip(built, validated, strict=True)):
            same(one, other, f"{where}[{index}]")
    elif isinstance(validated, dict):
        assert list(built) == list(validated), where
        for key, value in validated.items():
            same(built[key], value, f"{where}[{key!r}]")
    else:
        assert built == validated, where


def validated(model: type[BaseModel], raw: Any) -> BaseModel | None:
    """What Pydantic makes of ``raw``, or None when it refuses it."""
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None


def raw_files() -> list[tuple[Path, dict[str, Any]]]:
    """The data of every map file of the repository and the test data that reads as a mapping."""
    out = []
    for path in MAP_FILES:
        try:
            data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=yaml.CSafeLoader)
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(data, dict):
            out.append((path, data))
    return out


def test_every_valid_claim_and_article_of_the_maps_is_built_plainly_and_the_same() -> None:
    claims = articles = 0
    for path, data in raw_files():
        raw_claims = data.get("claims") or []
        for index, raw in enumerate(raw_claims if isinstance(raw_claims, list) else []):
            expected = validated(Claim, raw)
            built = plain_claim(raw)
            if expected is None:
                assert built is None, f"{path.name} claims[{index}]"
                continue
            assert built is not None, f"{path.name} claims[{index}] left to Pydantic"
            same(built, expected, f"{path.name} claims[{index}]")
            claims += 1
        if "article" in data:
            expected = validated(Article, data["article"])
            built_article = plain_article(data["article"])
            if expected is None:
                assert built_article is None
            else:
                assert built_article is not None, path.name
                same(built_article, expected, f"{path.name} article")
                articles += 1
    assert claims >= 100 and articles >= 3  # the shipped map alone has 41 claims


@pytest.mark.parametrize(
    "path", [REPO / "arguments", TESTS / "data" / "mini" / "arguments"], ids=["seed", "mini"]
)
def test_a_map_loads_the_same_as_with_pydantic_alone(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = load_map(path, use_cache=False)
    monkeypatch.setattr(loader, "plain_claim", lambda raw: None)
    monkeypatch.setattr(loader, "plain_article", lambda raw: None)
    slow = load_map(path, use_cache=False)
    assert fast.map.model_dump_json() == slow.map.model_dump_json()
    same(fast.map.article, slow.map.article, "article")
    same(fast.map.claims, slow.map.claims, "claims")


def test_a_valid_map_builds_no_validator_and_does_not_import_importlib_metadata() -> None:
    # Building the claim validator imported importlib.metadata (Pydantic's plugin loader) and
    # cost ~25 ms of `argmap show` after an edit; plainly valid files need neither.
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from argmap.map.loader import load_map\n"
        "from argmap.map.models import Article, Claim\n"
        f"load_map(Path({str(REPO / 'arguments')!r}), use_cache=False)\n"
        "print(Claim.__pydantic_complete__, Article.__pydantic_complete__,"
        " 'importlib.metadata' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


# -- generated data ---------------------------------------------------------------------------

ASCII_SPACE = st.text(alphabet=" \t\n\r\x0b\x0c", max_size=2)
TEXT_CORE = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12).filter(
    lambda s: not s[0].isspace() and not s[-1].isspace()
)
NON_EMPTY = st.builds(lambda a, core, b: a + core + b, ASCII_SPACE, TEXT_CORE, ASCII_SPACE)
IDENTIFIER = st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,12}", fullmatch=True)
BIB_KEY = st.from_regex(r'[^\s{},#%"]{1,12}', fullmatch=True).filter(
    lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)
)
LANGUAGE = st.from_regex(r"[a-z]{2,3}", fullmatch=True)
TEXTS = st.dictionaries(LANGUAGE, NON_EMPTY, max_size=3)


def optional(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Mappings holding any subset of ``fields``."""
    return st.fixed_dictionaries({}, optional=fields)


CITATION = st.builds(
    lambda required, extra: {**required, **extra},
    st.fixed_dictionaries({"key": BIB_KEY, "printed": NON_EMPTY}),
    optional(
        {
            "locator": st.none() | st.text(max_size=8),
            "stance": st.sampled_from(["supports", "contrasts", "mentions"]),
        }
    ),
)
EVIDENCE = st.builds(
    lambda required, extra: {**required, **extra},
    st.fixed_dictionaries(
        {
            "id": IDENTIFIER,
            "kind": st.sampled_from(["case_study", "literature", "statistics", "policy"]),
            "description": TEXTS,
        }
    ),
    optional({"citations": st.lists(CITATION, max_size=3)}),
)
RELATION = st.fixed_dictionaries(
    {"type": st.sampled_from(["supports", "attacks", "leads_to"]), "target": IDENTIFIER}
)


def _claim(required: dict[str, Any], extra: dict[str, Any], reported: list[str]) -> dict[str, Any]:
    claim = {**required, **extra}
    if reported:
        claim["attribution"] = "reported"
        claim["reported_from"] = reported
    return claim


CLAIM = st.builds(
    _claim,
    st.fixed_dictionaries(
        {
            "id": IDENTIFIER,
            "kind": st.sampled_from(["diagnosis", "premise", "finding", "recommendation"]),
            "text": TEXTS,
            "locator": st.fixed_dictionaries(
                {"section": NON_EMPTY, "paragraph": st.integers(1, 10**20)}
            ),
        }
    ),
    optional(
        {
            "attribution": st.just("asserted"),
            "relations": st.lists(RELATION, max_size=3),
            "evidence": st.lists(EVIDENCE, max_size=3),
            "note": st.none() | st.text(max_size=8),
        }
    ),
    st.lists(BIB_KEY, max_size=2),
)
ARTICLE = st.builds(
    lambda required, extra: {**required, **extra},
    st.fixed_dictionaries({"key": BIB_KEY, "title": NON_EMPTY, "language": LANGUAGE}),
    optional(
        {
            "sections": st.lists(
                st.fixed_dictionaries({"id": NON_EMPTY, "title": NON_EMPTY}), max_size=3
            ),
            "note": st.none() | st.text(max_size=8),
        }
    ),
)

# Values near every rule's edge, and of every type YAML can give or Pydantic would convert.
ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1,
    3.0,
    2.5,
    "3",
    "",
    " ",
    "\n",
    "\xa0x",
    "x\xa0",
    "x\u2003",
    "\x1cx",
    "x\x1c",
    "\x85x",
    "x\u180e",
    "\u200bx",
    "x\ud800",
    "a b",
    "a\tb",
    "a\xa0b",
    "a\u2028b",
    "a{b",
    'a"b',
    "a#b",
    "é",
    "A" * 80,
    "A" * 81,
    "k" * 200,
    "k" * 201,
    "x\n",
    "es",
    "ES",
    "eng",
    "engl",
    "diagnosis",
    "Diagnosis",
    "reported",
    "asserted",
    "supports",
    "leads_to",
    "literature",
    [],
    ["k"],
    ["a b"],
    {},
    {"es": "x"},
    {"ES": "x"},
    {1: "x"},
    {"es": ""},
    {"section": "s", "paragraph": 1},
    {"section": "s", "paragraph": 0},
    ("t",),
    b"x",
]


def paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value inside ``value`` (mapping keys and list indexes)."""
    found = [here] if here else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*here, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    """Valid data with one to three values replaced, removed or added."""
    data = copy.deepcopy(draw(base))
    for _ in range(draw(st.integers(1, 3))):
        where = paths(data)
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "add" or not where:
            holders = [p for p in where if isinstance(get(data, p), dict)]
            target = get(data, draw(st.sampled_from(holders))) if holders else data
            name = draw(st.sampled_from(["extra", "id", "note", "stance", "sections"]))
            target[name] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
            continue
        path = draw(st.sampled_from(where))
        parent = get(data, path[:-1])
        if action == "remove":
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
    return data


def get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CLAIM)
def test_plainly_valid_claims_are_built_as_pydantic_validates_them(raw: dict[str, Any]) -> None:
    expected = Claim.model_validate(raw)
    built = plain_claim(raw)
    assert built is not None
    same(built, expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLE)
def test_plainly_valid_articles_are_built_as_pydantic_validates_them(raw: dict[str, Any]) -> None:
    built = plain_article(raw)
    assert built is not None
    same(built, Article.model_validate(raw))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(CLAIM))
def test_any_other_claim_is_left_to_pydantic_or_built_the_same(raw: dict[str, Any]) -> None:
    built = plain_claim(raw)
    expected = validated(Claim, raw)
    if built is not None:
        assert expected is not None, "built a claim Pydantic refuses"
        same(built, expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(ARTICLE))
def test_any_other_article_is_left_to_pydantic_or_built_the_same(raw: dict[str, Any]) -> None:
    built = plain_article(raw)
    expected = validated(Article, raw)
    if built is not None:
        assert expected is not None, "built an article Pydantic refuses"
        same(built, expected)


def _judged(check: Any, value: str) -> str | None:
    """What one of plain's checks makes of ``value``, or None when it leaves it to Pydantic."""
    try:
        return check(value)  # type: ignore[no-any-return]
    except plain._NotPlain:
        return None


@pytest.mark.parametrize(
    ("check", "model_type", "around"),
    [
        (plain._non_empty, NonEmpty, "{c}a{c}"),
        (plain._non_empty, NonEmpty, " {c}a{c}\n"),
        (plain._bib_key, BibKey, "a{c}b"),
        (plain._identifier, Identifier, "a{c}"),
        (plain._language, LanguageCode, "ab{c}"),
    ],
    ids=["text", "text-padded", "bib-key", "identifier", "language"],
)
def test_every_code_point_is_taken_only_as_pydantic_takes_it(
    check: Any, model_type: Any, around: str
) -> None:
    # plain strips only ASCII whitespace, and leaves a text to Pydantic when another character
    # Python calls whitespace is at an end; its patterns use Python's "\s". Exact only if
    # Pydantic strips no other character and finds "\s" nowhere Python's finds none: every
    # code point (surrogates too, which Pydantic refuses) is tried in each position.
    adapter = TypeAdapter(list[model_type])
    accepted = 0
    # (the two ASCII-only patterns up to U+3000, the last whitespace character)
    end = 0x110000 if model_type in (NonEmpty, BibKey) else 0x3001
    for start in range(0, end, 0x10000):
        stop = min(start + 0x10000, end)
        values = [around.format(c=chr(c)) for c in range(start, stop)]
        ours = [(value, _judged(check, value)) for value in values]
        taken = [(value, made) for value, made in ours if made is not None]
        assert adapter.validate_python([value for value, _ in taken]) == [m for _, m in taken]
        accepted += len(taken)
    if model_type is NonEmpty or model_type is BibKey:
        # and it is not needlessly cautious: all but whitespace, surrogates (and a key's
        # punctuation) are taken
        assert accepted > 0x110000 - 0x800 - 40


FULL_CLAIM: dict[str, Any] = {
    "id": "C1",
    "kind": "finding",
    "text": {"es": " Texto ", "en": "Text\n"},
    "locator": {"section": "2", "paragraph": 3},
    "attribution": "reported",
    "reported_from": ["doe2001"],
    "relations": [{"type": "supports", "target": "D1"}],
    "evidence": [
        {
            "id": "E1",
            "kind": "case_study",
            "description": {"es": "d"},
            "citations": [
                {"key": "doe2001", "printed": "Doe (2001)", "locator": "p. 3", "stance": "mentions"}
            ],
        }
    ],
    "note": "n",
}
FULL_ARTICLE: dict[str, Any] = {
    "key": "roe1998",
    "title": "T",
    "language": "es",
    "sections": [{"id": "1", "title": "Intro"}],
    "note": "n",
}


def substitutions(base: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """``base`` with each value in turn replaced by each odd value, or removed, and with each
    mapping given an unknown field."""
    out = []
    for path in paths(base):
        for odd in [*ODD_VALUES, "<removed>"]:
            data = copy.deepcopy(base)
            parent = get(data, path[:-1])
            if odd == "<removed>":
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(odd)
            out.append((f"{path}={odd!r}", data))
        if isinstance(get(base, path), dict):
            data = copy.deepcopy(base)
            get(data, path)["unknown"] = 1
            out.append((f"{path}+unknown", data))
    return out


@pytest.mark.parametrize(
    ("model", "build", "base"),
    [(Claim, plain_claim, FULL_CLAIM), (Article, plain_article, FULL_ARTICLE)],
    ids=["claim", "article"],
)
def test_each_value_replaced_by_each_odd_one_is_judged_as_pydantic_judges_it(
    model: type[BaseModel], build: Any, base: dict[str, Any]
) -> None:
    built_count = 0
    cases = substitutions(base)
    for label, raw in cases:
        built = build(raw)
        expected = validated(model, raw)
        if built is not None:
            assert expected is not None, f"{label}: built what Pydantic refuses"
            same(built, expected, label)
            built_count += 1
    assert len(cases) > 400 and built_count > 20


def test_the_rules_it_checks_are_the_models_own() -> None:
    # A rule changed in the models but not here would let plain data through that Pydantic now
    # refuses: the patterns, lengths and required fields are held equal to the declarations.
    import typing

    from argmap.map.models import Citation, Evidence, Locator, Relation, Section

    for annotated, pattern, limit in (
        (Identifier, plain._IDENTIFIER, plain._IDENTIFIER_MAX),
        (BibKey, plain._BIB_KEY, plain._BIB_KEY_MAX),
        (LanguageCode, plain._LANGUAGE, None),
    ):
        constraints = typing.get_args(annotated)[1]
        assert constraints.pattern == f"^{pattern.pattern}$"
        assert constraints.max_length == limit
        # anchors dropped for fullmatch: a final newline is refused, as Pydantic refuses it
        assert pattern.fullmatch("ab") and not pattern.fullmatch("ab\n")
    for model, required in (
        (Claim, plain._CLAIM_REQUIRED),
        (Evidence, plain._EVIDENCE_REQUIRED),
        (Citation, plain._CITATION_REQUIRED),
        (Article, plain._ARTICLE_REQUIRED),
        (Locator, plain._LOCATOR_FIELDS),
        (Relation, plain._RELATION_FIELDS),
        (Section, plain._SECTION_FIELDS),
    ):
        assert required == {n for n, f in model.model_fields.items() if f.is_required()}
    for model, fields in (
        (Claim, plain._CLAIM_FIELDS),
        (Evidence, plain._EVIDENCE_FIELDS),
        (Citation, plain._CITATION_FIELDS),
        (Article, plain._ARTICLE_FIELDS),
        (Locator, plain._LOCATOR_FIELDS),
        (Relation, plain._RELATION_FIELDS),
        (Section, plain._SECTION_FIELDS),
    ):
        assert fields == set(model.model_fields), model.__name__
