"""Every export format: the registry is complete, and each output matches its golden file.

svg and png are the DOT export drawn by Graphviz: their golden file is the DOT one (what argmap
hands to Graphviz), and test_graphviz checks the drawings themselves, which vary with Graphviz's
version."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path

import pytest

import argmap.exporters
from argmap.exporters import REGISTRY, ExportFormat

GOLDEN = Path(__file__).parents[1] / "golden"
HELPERS = {"diagram"}  # shared by several exporters; not a format of its own


def test_registry_covers_every_format_and_nothing_else() -> None:
    assert set(REGISTRY) == set(ExportFormat)
    modules = {m.name for m in pkgutil.iter_modules(argmap.exporters.__path__)} - HELPERS
    assert modules == {spec.module.rsplit(".", 1)[1] for spec in REGISTRY.values()}


TEXT_FORMATS = [f for f in ExportFormat if REGISTRY[f].drawn_from is None]


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_every_format_has_an_export_function_and_a_golden_file(fmt: ExportFormat) -> None:
    spec = REGISTRY[fmt]
    module = importlib.import_module(spec.module)
    assert callable(module.draw if spec.drawn_from else module.export)
    source = spec.drawn_from or fmt
    assert (GOLDEN / "export" / f"fixture.{source.value}{REGISTRY[source].suffix}").exists()


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_golden(
    fmt: ExportFormat, run_export: Callable[..., str], golden: Callable[[str, str], None]
) -> None:
    golden(f"export/fixture.{fmt.value}{REGISTRY[fmt].suffix}", run_export(fmt))


@pytest.mark.parametrize("fmt", [ExportFormat.MARKDOWN, ExportFormat.MERMAID, ExportFormat.HTML])
def test_golden_in_english(
    fmt: ExportFormat, run_export: Callable[..., str], golden: Callable[[str, str], None]
) -> None:
    golden(f"export/fixture.{fmt.value}.en{REGISTRY[fmt].suffix}", run_export(fmt, lang="en"))


def test_golden_focused_markdown(
    run_export: Callable[..., str], golden: Callable[[str, str], None]
) -> None:
    golden("export/fixture.focus-C1.markdown.md", run_export(ExportFormat.MARKDOWN, focus="C1"))


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_output_is_deterministic(fmt: ExportFormat, run_export: Callable[..., str]) -> None:
    assert run_export(fmt) == run_export(fmt)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("es", "Según Hirst y Zeitlin, la especialización flexible"),
        ("en", "According to Hirst and Zeitlin, flexible specialisation"),
    ],
)
def test_a_reported_claim_names_its_sources_after_its_text(lang: str, line: str) -> None:
    # The shipped F4 names its source in its own words: with the sources set before the text,
    # pandoc printed "Según Hirst y Zeitlin (1997): Según Hirst y Zeitlin, la especialización ..."
    from argmap.bib.reader import load_bibliography
    from argmap.exporters import ExportContext, exporter
    from argmap.map.loader import load_map

    repo = Path(__file__).parents[2]
    ctx = ExportContext(
        map=load_map(repo / "arguments").map,
        lang=lang,
        bib=load_bibliography(repo / "refs.bib"),
        bib_name="refs.bib",
    )
    lines = exporter(ExportFormat.MARKDOWN)(ctx).splitlines()
    f4 = next(text for text in lines if text.startswith(line))
    word = "según" if lang == "es" else "after"
    assert f4.endswith(
        f" competencia desenfrenada [{word} @hirst1997]."
        if lang == "es"
        else f" unbridled competition [{word} @hirst1997]."
    )
    assert not any(text.startswith(("Según @", "After @")) for text in lines)
