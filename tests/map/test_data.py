"""The map as plain objects (argmap.map.data) against the Pydantic models: the same map, the same
drawing, the same cached form, and no Pydantic imported to read or draw it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from argmap.bib.sources import read_bibliographies
from argmap.errors import MapError
from argmap.map import stored
from argmap.map.convert import article_data, claim_data, map_model
from argmap.map.data import MapData
from argmap.map.loader import read_map
from argmap.render.layout import outline_tree, plain_lines
from argmap.render.outline import build_outline
from argmap.render.text import render_text

TESTS = Path(__file__).parents[1]
REPO = TESTS.parent
MAPS = [
    REPO / "arguments",
    TESTS / "data" / "mini" / "arguments",
    TESTS / "data" / "trace" / "arguments",
    TESTS / "data" / "export" / "arguments",
    *sorted((TESTS / "data" / "hostile").glob("map-*.yaml")),
]


def readable() -> list[Path]:
    """The maps of the list that load without errors."""
    out = []
    for path in MAPS:
        try:
            read_map(path, use_cache=False)
        except MapError:
            continue
        out.append(path)
    return out


READABLE = readable()


def test_enough_maps_load() -> None:
    assert len(READABLE) >= 6


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.parent.name + "/" + p.name)
def test_the_plain_map_and_the_models_draw_the_same(path: Path) -> None:
    # the show path draws the plain objects, every other command the models: the same tree and
    # text in each language, at each depth, focused on each claim, with and without evidence
    data = read_map(path, use_cache=False).map
    models = map_model(data)
    bib = read_bibliographies([REPO / "refs.bib"], use_cache=False)
    ids = [c.id for c in data.claims]
    for lang in ("es", "en"):
        for focus in (None, *ids[:6]):
            for depth in (None, 1, 2):
                for evidence in (True, False):
                    options = dict(lang=lang, bib=bib, focus=focus, depth=depth, evidence=evidence)
                    plain = build_outline(data, **options)
                    model = build_outline(models, **options)
                    assert render_text(plain, lang) == render_text(model, lang)
                    assert plain_lines(outline_tree(plain, lang), 100) == plain_lines(
                        outline_tree(model, lang), 100
                    )


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.parent.name + "/" + p.name)
def test_plain_objects_and_models_have_the_same_values(path: Path) -> None:
    data = read_map(path, use_cache=False).map
    models = map_model(data)
    for claim, model in zip(data.claims, models.claims, strict=True):
        assert claim.text_in("xx") == model.text_in("xx")
        assert claim.text_in("en") == model.text_in("en")
        assert str(claim.locator) == str(model.locator)
        # plain -> model -> plain gives the same cached form: nothing lost either way
        assert stored.encode_file(None, [claim_data(model)]) == stored.encode_file(None, [claim])
    assert stored.encode_file(article_data(models.article), []) == stored.encode_file(
        data.article, []
    )
    assert [c for _, _, c in models.citations()] == [
        map_model(MapData(data.article, [claim])).claims[0].evidence[i].citations[j]
        for claim in data.claims
        for i, ev in enumerate(claim.evidence)
        for j, _ in enumerate(ev.citations)
    ]


def test_reading_a_valid_map_imports_no_pydantic(tmp_path: Path) -> None:
    # read with an empty cache (parsed and checked plainly), then from the cache
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from argmap.map.loader import read_map\n"
        f"read_map(Path({str(REPO / 'arguments')!r}))\n"
        "print('pydantic' in sys.modules, 'argmap.map.models' in sys.modules)\n"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        assert out.stdout.split() == ["False", "False"]


def test_a_claim_pydantic_must_judge_is_validated_and_made_plain(tmp_path: Path) -> None:
    # paragraph "3" is converted by Pydantic, never by the plain check: the claim comes out as
    # Pydantic makes it, as plain data
    (tmp_path / "map.yaml").write_text(
        "article: {key: roe1998, title: T, language: es}\n"
        "claims:\n"
        "  - id: D1\n"
        "    kind: diagnosis\n"
        "    text: {es: ' uno ', en: one}\n"
        '    locator: {section: "1", paragraph: "3"}\n',
        encoding="utf-8",
    )
    loaded = read_map(tmp_path / "map.yaml", use_cache=False)
    (claim,) = loaded.map.claims
    assert type(claim.locator.paragraph) is int and claim.locator.paragraph == 3
    assert claim.text == {"es": "uno", "en": "one"}
    assert claim.given == {"id", "kind", "text", "locator"}
