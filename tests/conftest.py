"""Shared fixtures: paths to test data, the shipped map, and golden-file comparison."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
DATA = TESTS / "data"
GOLDEN = TESTS / "golden"
REPO = TESTS.parent


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C as a terminal delivers it: a shell's background job (``pytest &``) starts with
    SIGINT ignored, which its children inherit, and the tests of an interrupted check would
    then wait for an interrupt that never comes."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files from the current output (on purpose only)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/NAME, or rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"no golden file {name}; run pytest --update-golden once"
        assert text == path.read_text(encoding="utf-8")

    return check


@pytest.fixture
def mini() -> Path:
    """The small fixture project: arguments/ and refs.bib written by us."""
    return DATA / "mini"


@pytest.fixture
def export_fixture() -> Path:
    """The export fixture project: every relation type, stances, locators, awkward characters."""
    return DATA / "export"


@pytest.fixture
def run_export(export_fixture: Path) -> Callable[..., str]:
    """Export the fixture map in a format, language and focus, as `argmap export` would."""
    from argmap.bib.reader import load_bibliography
    from argmap.exporters import REGISTRY, ExportContext, ExportFormat, exporter
    from argmap.map.loader import load_map
    from argmap.map.scope import focus_map

    def run(fmt: ExportFormat, lang: str = "es", focus: str | None = None) -> str:
        argmap = focus_map(load_map(export_fixture / "arguments").map, focus)
        bib = load_bibliography(export_fixture / "refs.bib") if REGISTRY[fmt].needs_bib else None
        ctx = ExportContext(map=argmap, lang=lang, bib=bib, bib_name="refs.bib", focus=focus)
        return exporter(fmt)(ctx)

    return run


@pytest.fixture
def write_map(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML files into tmp_path/arguments and return that directory."""

    def write(**files: str) -> Path:
        root = tmp_path / "arguments"
        root.mkdir(exist_ok=True)
        for name, text in files.items():
            (root / f"{name}.yaml").write_text(text, encoding="utf-8")
        return root

    return write
