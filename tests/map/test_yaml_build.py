"""A map file's data is built in the pass that records its lines exactly as PyYAML's safe
constructor builds it, or left to that constructor; a scalar PyYAML cannot build is an error at
its line, not a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.errors import MapError
from argmap.map.loader import MapInvalid, parse_yaml

TESTS = Path(__file__).parents[1]
REPO = TESTS.parent
YAML_FILES = sorted(
    {
        *(REPO / "arguments").glob("*.yaml"),
        *(TESTS / "data").rglob("*.yaml"),
        *(TESTS / "data").rglob("*.yml"),
    }
)


def by_pyyaml(text: str) -> Any:
    """The document as PyYAML's safe C loader builds it."""
    return yaml.load(text, Loader=yaml.CSafeLoader)


def same(built: Any, expected: Any) -> None:
    """Equal, of the same types, with mapping keys in the same order."""
    assert type(built) is type(expected)
    if isinstance(expected, dict):
        assert list(built) == list(expected)
        for key, value in expected.items():
            same(built[key], value)
    elif isinstance(expected, list):
        assert len(built) == len(expected)
        for one, other in zip(built, expected, strict=True):
            same(one, other)
    elif expected != expected:  # NaN
        assert built != built
    else:
        assert built == expected


def parsed(path: Path, text: str) -> Any:
    return parse_yaml(path, text.encode("utf-8")).data


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(TESTS.parent)))
def test_every_yaml_file_of_the_tests_is_built_as_pyyaml_builds_it(path: Path) -> None:
    raw = path.read_bytes()
    try:
        expected = by_pyyaml(raw.decode("utf-8-sig").replace("\r\n", "\n"))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):
        return  # the loader refuses it (tests of its messages are elsewhere)
    try:
        got = parse_yaml(path, raw)
    except MapError:
        return  # refused for an alias, a duplicate key, a control character...
    same(got.data, expected)


@pytest.mark.parametrize(
    ("text", "built_here"),
    [
        ("a: 1\nb: [x, 2.5, true, null, 2001-12-14]\n", True),
        ("? [a]\n: 1\n", False),  # a key that is no plain value: PyYAML refuses it
        ("1: one\n01: two\n", False),  # two keys built alike: PyYAML keeps the later value
        ("base: {a: 1}\nboth:\n  <<: {a: 1, b: 2}\n  c: 3\n", False),  # a merge key
        ("=: x\n", False),  # the value key
        ("s: !!set {a, b}\n", False),
        ("b: !!binary aGVsbG8=\n", False),
        ("o: !!omap [a: 1, b: 2]\n", False),
        ("t: !!str 3\nn: !!int '7'\nf: !!float '1'\n", True),
        ("plain\n", True),
        ("- a\n- {b: [c, {d: e}]}\n", True),
        ("x: .nan\ny: -.inf\nz: 0x1F\nw: 1_000\nv: 1:20\n", True),
        ("when: 2001-12-14t21:59:43.10-05:00\n", True),
    ],
)
def test_documents_are_built_here_or_by_pyyaml_alike(
    text: str, built_here: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path("doc.yaml")
    calls: list[Any] = []
    real = yaml.CSafeLoader.construct_document

    def counting(self: Any, node: Any) -> Any:
        calls.append(node)
        return real(self, node)

    monkeypatch.setattr(yaml.CSafeLoader, "construct_document", counting)
    try:
        expected = by_pyyaml(text)
    except yaml.YAMLError:
        expected = None
    calls.clear()
    try:
        got = parsed(path, text)
    except MapError:
        assert expected is None
        return
    same(got, expected)
    assert (not calls) is built_here


PLAIN = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=12)
    | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6) | st.integers() | st.booleans(), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(PLAIN, st.sampled_from([None, True, False]), st.booleans())
def test_any_plain_document_is_built_as_pyyaml_builds_it(
    data: Any, flow: bool | None, quote_keys: bool
) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=quote_keys, sort_keys=False)
    try:
        got = parsed(Path("doc.yaml"), text)
    except MapError as refused:
        # refused by design (tested elsewhere): a control character in the text, or two keys
        # written alike ('false' and false)
        assert isinstance(refused, MapInvalid) or "duplicate key" in str(refused)
        return
    same(got, by_pyyaml(text))


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("claims:\n  - note: 2001-13-45\n", 2, "not a valid date: 2001-13-45"),
        ("a: 1\nb: 0b_\n", 2, "not a valid whole number: 0b_"),
        ("2001-02-30: x\n", 1, "not a valid date: 2001-02-30"),
    ],
)
def test_a_scalar_pyyaml_cannot_build_is_an_error_at_its_line(
    text: str, line: int, what: str
) -> None:
    # PyYAML reads these as a date or a number and fails building them with a bare ValueError,
    # which was a traceback
    with pytest.raises(MapError) as caught:
        parsed(Path("map.yaml"), text)
    assert caught.value.line == line
    assert what in str(caught.value) and "quote it" in str(caught.value)
