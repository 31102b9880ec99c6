"""The cache of validated map files: a hit gives exactly the map validation gives, an edit
revalidates only the edited file, and a damaged or foreign record is ignored, not trusted."""

from __future__ import annotations

import contextlib
import shutil
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from argmap.cache import maps, records
from argmap.errors import MapError
from argmap.map import loader, stored
from argmap.map.convert import article_data, article_model, claim_data, claim_model
from argmap.map.loader import LoadedMap, load_map
from argmap.map.models import (
    Article,
    Attribution,
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

TESTS = Path(__file__).parents[1]
REPO = TESTS.parent
MAPS = [
    REPO / "arguments",
    TESTS / "data" / "mini" / "arguments",
    TESTS / "data" / "trace" / "arguments",
    TESTS / "data" / "hostile" / "map-ok.yaml",
    TESTS / "data" / "hostile" / "map-bom-crlf.yaml",
    TESTS / "data" / "hostile" / "map-markup.yaml",
]


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of this test's own (and the cache switched on)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    return tmp_path / "cache"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The YAML files parsed, in order, from now on."""
    seen: list[Path] = []
    real = loader.parse_yaml

    def counting(path: Path, content: bytes | None = None) -> loader.SourceFile:
        seen.append(path)
        return real(path, content)

    monkeypatch.setattr(loader, "parse_yaml", counting)
    return seen


def dump(model: BaseModel) -> dict[str, Any]:
    """``model`` as the JSON data the cache should store of it, from the model's own fields:
    each field by name (nested models likewise), and the names of those it was given."""
    out: dict[str, Any] = {stored.SET: sorted(model.model_fields_set)}
    for name in type(model).model_fields:
        out[name] = _plain(getattr(model, name))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return dump(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def encode(article: Article | None, claims: list[Claim]) -> dict[str, Any]:
    """The payload the cache stores of these models (made plain data, as the loader has them)."""
    return stored.encode_file(
        None if article is None else article_data(article), [claim_data(c) for c in claims]
    )


def decode(payload: Any) -> tuple[Article | None, list[Claim]]:
    """A payload back as the models the other commands get."""
    article, claims = stored.decode_file(payload)
    return None if article is None else article_model(article), [claim_model(c) for c in claims]


def assert_same(cached: LoadedMap, fresh: LoadedMap) -> None:
    """Equal maps, down to which fields each model was given, and the same origins and lines."""
    assert cached.map == fresh.map
    assert cached.map.model_dump_json() == fresh.map.model_dump_json()
    assert dump(cached.map.article) == dump(fresh.map.article)
    assert [dump(c) for c in cached.map.claims] == [dump(c) for c in fresh.map.claims]
    assert cached.files == fresh.files
    assert cached.origins.keys() == fresh.origins.keys()
    for claim_id, origin in fresh.origins.items():
        other = cached.origins[claim_id]
        assert (other.source.path, other.index) == (origin.source.path, origin.index)
        for key in origin.source.lines:
            assert other.source.line_of(key) == origin.source.line_of(key)
            assert other.source.column_of(key) == origin.source.column_of(key)


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.parent.name + "/" + p.name)
def test_a_cache_hit_gives_the_map_validation_gives(path: Path, parses: list[Path]) -> None:
    fresh = load_map(path, use_cache=False)
    load_map(path)  # fills the cache
    parses.clear()
    cached = load_map(path)
    assert parses == []  # nothing parsed, nothing validated
    assert_same(cached, fresh)
    assert parses  # the lines were found when asked for


def test_an_edit_revalidates_only_the_edited_file(tmp_path: Path, parses: list[Path]) -> None:
    project = tmp_path / "arguments"
    shutil.copytree(REPO / "arguments", project)
    load_map(project)
    edited = sorted(project.glob("*.yaml"))[2]
    text = edited.read_text(encoding="utf-8")
    marker = "      es: >-\n        "
    assert marker in text
    edited.write_text(text.replace(marker, marker + "(edited) ", 1), encoding="utf-8")
    parses.clear()
    cached = load_map(project)
    assert parses == [edited]
    assert any("(edited)" in c.text.get("es", "") for c in cached.map.claims)
    assert_same(cached, load_map(project, use_cache=False))
    parses.clear()
    load_map(project)
    assert parses == []  # the edited file is cached in turn


def test_no_cache_neither_reads_nor_writes(own_cache: Path, parses: list[Path]) -> None:
    load_map(REPO / "arguments", use_cache=False)
    assert not (own_cache / "argmap" / "map").exists()
    load_map(REPO / "arguments")
    parses.clear()
    load_map(REPO / "arguments", use_cache=False)
    assert len(parses) == len(list((REPO / "arguments").glob("*.yaml")))


def test_the_environment_switch_turns_it_off(
    own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGMAP_NO_CACHE", "1")
    load_map(REPO / "arguments")
    assert not (own_cache / "argmap" / "map").exists()


def _stored_entries(path: Path) -> tuple[str, str, dict[str, Any]]:
    scope, stamp = str(path.resolve()), stored.stamp()
    entries = maps.read_entries(scope, stamp)
    assert entries
    return scope, stamp, entries


def _damage(payload: Any, how: str) -> Any:
    claim = payload["claims"][0]
    if how == "unknown-kind":
        claim["kind"] = "conjecture"
    elif how == "missing-field":
        del claim["locator"]
    elif how == "extra-field":
        claim["weight"] = 3
    elif how == "wrong-type":
        claim["locator"]["paragraph"] = "4"
    elif how == "unknown-set-field":
        claim["~set"].append("weight")
    elif how == "not-an-object":
        payload["claims"][0] = ["D1"]
    elif how == "no-claims":
        del payload["claims"]
    return payload


@pytest.mark.parametrize(
    "how",
    [
        "unknown-kind",
        "missing-field",
        "extra-field",
        "wrong-type",
        "unknown-set-field",
        "not-an-object",
        "no-claims",
    ],
)
def test_a_damaged_record_is_ignored_and_replaced(how: str, parses: list[Path]) -> None:
    path = REPO / "arguments"
    fresh = load_map(path, use_cache=False)
    load_map(path)
    scope, stamp, entries = _stored_entries(path)
    damaged_files = sum(1 for p in entries.values() if p["claims"])
    damaged = {d: p if p["claims"] == [] else _damage(p, how) for d, p in entries.items()}
    assert maps.write_entries(scope, stamp, damaged)
    parses.clear()
    assert_same(load_map(path), fresh)
    assert len(parses) >= damaged_files  # every damaged file was validated again
    parses.clear()
    load_map(path)
    assert parses == []  # and the cache holds them whole again


def test_a_corrupt_cache_file_is_ignored(own_cache: Path, parses: list[Path]) -> None:
    path = REPO / "arguments"
    fresh = load_map(path, use_cache=False)
    load_map(path)
    (cache_file,) = (own_cache / "argmap" / "map").glob("*.json")
    data = bytearray(cache_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    cache_file.write_bytes(bytes(data))
    parses.clear()
    assert_same(load_map(path), fresh)
    assert len(parses) == len(fresh.files)


def test_records_of_other_code_are_not_read(
    monkeypatch: pytest.MonkeyPatch, parses: list[Path]
) -> None:
    path = REPO / "arguments"
    load_map(path)
    monkeypatch.setattr(stored, "stamp", lambda: "other code")
    parses.clear()
    load_map(path)
    assert len(parses) == len(list(path.glob("*.yaml")))


def test_a_record_is_keyed_by_the_bytes(tmp_path: Path, parses: list[Path]) -> None:
    # Two files of the same map swap contents: each is taken for what its bytes are.
    project = tmp_path / "arguments"
    shutil.copytree(REPO / "arguments", project)
    load_map(project)
    first, second = sorted(project.glob("*.yaml"))[1:3]
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)
    parses.clear()
    cached = load_map(project)
    assert parses == []
    assert_same(cached, load_map(project, use_cache=False))


@pytest.mark.parametrize(
    "name",
    [
        "lint-map/arguments",
        "hostile/map-dup-across",
        "hostile/map-cycle.yaml",
        "hostile/map-dangling.yaml",
        "hostile/map-unknown-section.yaml",
        "hostile/map-unknown-field.yaml",
    ],
)
def test_a_map_with_errors_says_the_same_with_a_warm_cache(name: str) -> None:
    path = TESTS / "data" / name
    with pytest.raises(MapError) as fresh:
        load_map(path, use_cache=False)
    messages = []
    for _ in range(2):  # the second run takes the files that validated from the cache
        with pytest.raises(MapError) as cached:
            load_map(path)
        messages.append(str(cached.value))
    assert messages == [str(fresh.value)] * 2


def test_every_field_of_every_model_round_trips() -> None:
    # A claim that gives every field (so a field added to a model without the codec fails here).
    claim = Claim.model_validate(
        {
            "id": "R1",
            "kind": "finding",
            "text": {"es": " texto ", "en": "text"},
            "locator": {"section": "2", "paragraph": 3},
            "attribution": "reported",
            "reported_from": ["a1999"],
            "relations": [{"type": "attacks", "target": "D1"}],
            "evidence": [
                {
                    "id": "R1.e1",
                    "kind": "statistics",
                    "description": {"en": "counts"},
                    "citations": [
                        {
                            "key": "a1999",
                            "printed": "A (1999)",
                            "locator": "p. 4",
                            "stance": "mentions",
                        }
                    ],
                }
            ],
            "note": "n",
        }
    )
    article = Article.model_validate(
        {
            "key": "k",
            "title": "T",
            "language": "es",
            "sections": [{"id": "1", "title": "One"}],
            "note": "n",
        }
    )
    # what the cache stores is the models' every field, nested ones included, and no other
    payload = encode(article, [claim])
    assert payload == {"article": dump(article), "claims": [dump(claim)]}
    article2, (claim2,) = decode(payload)
    assert (article2, claim2) == (article, claim)
    assert dump(claim2) == dump(claim)
    assert isinstance(claim2.kind, ClaimKind) and isinstance(claim2.attribution, Attribution)
    assert isinstance(claim2.locator, Locator) and isinstance(claim2.relations[0], Relation)
    assert isinstance(claim2.relations[0].type, RelationType)
    assert isinstance(claim2.evidence[0], Evidence)
    assert isinstance(claim2.evidence[0].kind, EvidenceKind)
    assert isinstance(claim2.evidence[0].citations[0], Citation)
    assert isinstance(claim2.evidence[0].citations[0].stance, Stance)
    assert article2 is not None and isinstance(article2.sections[0], Section)
    # the fields a model was not given stay not given
    sparse = Claim.model_validate(
        {
            "id": "C",
            "kind": "premise",
            "text": {"en": "x"},
            "locator": {"section": "1", "paragraph": 1},
        }
    )
    (_, (back,)) = decode(encode(None, [sparse]))
    assert back.model_fields_set == sparse.model_fields_set


def test_the_cache_file_is_a_records_file(own_cache: Path) -> None:
    load_map(REPO / "arguments")
    (cache_file,) = (own_cache / "argmap" / "map").glob("*.json")
    assert records.decode(cache_file.read_bytes()) is not None
    assert oct(cache_file.stat().st_mode & 0o777) == oct(0o600)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_json_record_is_refused_or_rebuilt_never_crashes(payload: Any) -> None:
    # the loader takes exactly these as "not a record of ours"; anything else would escape
    with contextlib.suppress(stored.StoredError, TypeError, KeyError, AttributeError):
        stored.decode_file(payload)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_stored_claim_with_any_value_changed_is_refused(data: st.DataObject) -> None:
    claim = Claim.model_validate(
        {
            "id": "C1",
            "kind": "premise",
            "text": {"en": "x"},
            "locator": {"section": "1", "paragraph": 2},
            "evidence": [
                {"id": "e", "kind": "theory", "description": {"en": "d"}, "citations": []}
            ],
        }
    )
    payload = encode(None, [claim])
    raw = payload["claims"][0]
    name = data.draw(st.sampled_from(sorted(k for k in raw if k != stored.SET)))
    raw[name] = data.draw(JSON.filter(lambda v: v != raw[name]))
    try:
        _, (back,) = decode(payload)
    except (stored.StoredError, TypeError, KeyError, AttributeError):
        return
    # accepted only when the new value is of the field's type: then it is what was stored
    assert dump(back)[name] == raw[name]
