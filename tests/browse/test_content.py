"""What the browser's panes hold, without Textual: details, search, and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console, RenderableType
from typer.testing import CliRunner

from argmap.bib.reader import load_bibliography
from argmap.browse.content import BrowseContent, load_content
from argmap.cli.app import app
from argmap.map.loader import load_map


def plain(renderable: RenderableType) -> str:
    console = Console(width=200, record=True, no_color=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


@pytest.fixture
def mini_content(mini: Path) -> BrowseContent:
    bib = load_bibliography(mini / "refs.bib", use_cache=False)
    return load_content(load_map(mini / "arguments").map, bib, "apa", "en-US")


def test_missing_key_and_stance_are_shown(mini_content: BrowseContent) -> None:
    text = plain(mini_content.detail("P1", "es"))
    assert "✗ nobody1999  no está en la bibliografía  (menciona)" in text
    assert "✓ Roe & Pérez Sáinz 2018  [roe2018]" in text
    assert "reportada de: Roe & Pérez Sáinz 2018  [roe2018]" in text
    assert mini_content.references["roe2018"] in text
    assert "nobody1999" not in mini_content.references


def test_without_a_bibliography_citations_say_so(mini: Path) -> None:
    content = load_content(load_map(mini / "arguments").map, None, "apa", "en-US")
    text = plain(content.detail("D1", "en"))
    assert "• roe2018  (no bibliography)" in text
    assert content.references == {}


def test_detail_lists_relations_both_ways(mini_content: BrowseContent) -> None:
    text = plain(mini_content.detail("T1", "en"))
    assert "T1 supports D1 diagnosis" in text
    assert "T1 leads to R1 recommendation" in text
    text = plain(mini_content.detail("R1", "en"))
    assert "F1 finding supports R1" in text and "T1 context leads to R1" in text


def test_search_folds_case_and_accents(mini_content: BrowseContent) -> None:
    hits = mini_content.search("CREDITO", "es")
    assert {(h.kind, h.target) for h in hits} == {("claim", "D1"), ("claim", "P1")}
    assert [h.kind for h in mini_content.search("perez sainz", "es")] == ["source"]
    # a word of the formatted reference only (the publisher) finds the source too
    assert [(h.kind, h.target) for h in mini_content.search("some press", "es")] == [
        ("source", "roe2018")
    ]
    assert mini_content.search("   ", "es") == []
    assert mini_content.search("zzz-nothing", "es") == []


def test_search_finds_evidence_in_the_other_language(mini_content: BrowseContent) -> None:
    hits = mini_content.search("loan book", "es")
    assert [(h.kind, h.target, h.where) for h in hits] == [("evidence", "P1", "E2")]
    assert "Loan book figures" in hits[0].label  # the language that matched


runner = CliRunner()


def test_cli_loads_the_map_before_the_app(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argmap.browse.app as browse_app
    import argmap.cli.browse as cli_browse

    started: list[str] = []
    monkeypatch.setattr(cli_browse, "interactive", lambda: True)
    monkeypatch.setattr(browse_app.BrowseApp, "run", lambda self: started.append(self.lang))
    result = runner.invoke(app, ["browse", "--map", str(mini / "arguments")])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["browse", "--map", str(mini / "arguments"), "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    assert started == ["es", "en"]  # the map's own language unless asked

    bad = tmp_path / "bad.yaml"
    bad.write_text("article:\n  key: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["browse", "--map", str(bad)])
    assert result.exit_code == 2 and f"{bad}:3" in result.stderr
    result = runner.invoke(
        app, ["browse", "--map", str(mini / "arguments"), "--bib", str(tmp_path / "no.bib")]
    )
    assert result.exit_code == 2 and "no.bib" in result.stderr
    assert "Traceback" not in result.stderr
    result = runner.invoke(app, ["browse", "--map", str(mini / "arguments"), "--style", "apaa"])
    assert result.exit_code == 2 and "unknown citation style 'apaa'" in result.stderr
    result = runner.invoke(app, ["browse", "--map", str(mini / "arguments"), "--locale", "xx"])
    assert result.exit_code == 2 and "unknown locale 'xx'" in result.stderr
    assert started == ["es", "en"]


def test_every_claim_and_source_of_the_shipped_map_renders() -> None:
    repo = Path(__file__).parents[2]
    bib = load_bibliography(repo / "refs.bib", use_cache=False)
    argmap = load_map(repo / "arguments").map
    content = BrowseContent(argmap, bib)  # references left out: citeproc is tested elsewhere
    for lang in ("es", "en"):
        for claim in argmap.claims:
            assert claim.id in plain(content.detail(claim.id, lang))
            assert claim.id in plain(content.claim_trace(claim.id, lang))
        for key in {k for c in argmap.claims for k in content.sources_of(c.id)}:
            assert key in plain(content.source_trace(key, lang))
