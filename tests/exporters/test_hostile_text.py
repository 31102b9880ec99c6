"""Every exporter fed hostile text: HTML, Markdown, Rich markup and control characters in the
title, a claim's text, an item of evidence and a citation's locator. Each format escapes what it
needs; none passes a raw control character on, and pandoc's HTML holds no tag from the map."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pydot
import pypandoc
import pytest

from argmap.bib.reader import load_bibliography
from argmap.exporters import ExportContext, ExportFormat, exporter
from argmap.map.models import ArgumentMap

EXPORT = Path(__file__).parents[1] / "data" / "export"
HTML = "<img src=x onerror=alert(1)>"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u202e]")


def hostile_map(control: bool) -> ArgumentMap:
    """A small map with hostile text everywhere text goes (built without the loader, which
    refuses control characters, so that the exporters' own escaping is what is tested)."""
    esc = "\x1b[2J\x07\x9b\u202e\u2028" if control else ""
    text = {"es": f"Texto {HTML} [bold]x[/] *y* @z {esc}fin.", "en": f"Text {HTML}{esc}."}
    data: dict[str, Any] = {
        "article": {
            "key": "lane2021",
            "title": f"Título {esc} {HTML} [red]",
            "language": "es",
            "sections": [{"id": "1", "title": "Uno"}],
        },
        "claims": [
            {
                "id": "D1",
                "kind": "diagnosis",
                "text": text,
                "locator": {"section": "1", "paragraph": 1},
                "relations": [{"type": "leads_to", "target": "R1"}],
                "evidence": [
                    {
                        "id": "D1.e1",
                        "kind": "fieldwork",
                        "description": text,
                        "citations": [
                            {
                                "key": "fao2015",
                                "printed": "FAO [sic] (2015)",
                                "locator": f"p. 12 {esc} {HTML}",
                            }
                        ],
                    }
                ],
            },
            {
                "id": "R1",
                "kind": "recommendation",
                "text": text,
                "locator": {"section": "1", "paragraph": 2},
            },
        ],
    }
    return ArgumentMap.model_validate(data)


def export(fmt: ExportFormat, control: bool = True) -> str:
    bib = load_bibliography(EXPORT / "refs.bib", use_cache=False)
    ctx = ExportContext(map=hostile_map(control), lang="es", bib=bib, bib_name="refs.bib")
    return exporter(fmt)(ctx)


@pytest.mark.parametrize("fmt", list(ExportFormat), ids=[f.value for f in ExportFormat])
def test_no_raw_control_character_reaches_an_export(fmt: ExportFormat) -> None:
    out = export(fmt)
    assert not RAW_CONTROL.search(out), repr(RAW_CONTROL.search(out))


def test_markdown_export_through_pandoc_holds_no_html_from_the_map(tmp_path: Path) -> None:
    source = tmp_path / "map.md"
    source.write_text(export(ExportFormat.MARKDOWN), encoding="utf-8")
    html = subprocess.run(
        [
            pypandoc.get_pandoc_path(),
            str(source),
            "--standalone",
            "--citeproc",
            "--bibliography",
            str(EXPORT / "refs.bib"),
            "-t",
            "html",
            "--wrap=none",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "<img" not in html and "onerror" in html  # the text is there, as text
    # title (twice), the intro, two claims, an item of evidence and a citation's locator
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") == 7
    assert "[bold]x[/]" in html and "*y*" in html  # markup shown as written
    assert "\\x1b[2J" in html  # the control character as its code


def test_dot_export_parses_and_shows_codes() -> None:
    out = export(ExportFormat.DOT)
    graphs = pydot.graph_from_dot_data(out)
    assert graphs, "pydot could not parse the export"
    assert "\\\\x1b[2J\\\\x07" in out  # a backslash-escaped code, which dot shows as \x1b


def test_mermaid_export_codes_html_as_entities() -> None:
    out = export(ExportFormat.MERMAID)
    # (the title, in the YAML front matter, is set as text by Mermaid, not parsed as HTML)
    chart = out.split("flowchart", 1)[1]
    assert "<img" not in chart and "#lt;img src=x onerror=alert(1)#gt;" in chart


def test_json_exports_stay_valid_json() -> None:
    for fmt in (ExportFormat.JSON, ExportFormat.AIF, ExportFormat.CSL_JSON):
        json.loads(export(fmt))


def test_argdown_export_escapes_markup() -> None:
    out = export(ExportFormat.ARGDOWN)
    assert "\\<img src=x onerror=alert(1)\\>" in out and "\\[bold\\]" in out
