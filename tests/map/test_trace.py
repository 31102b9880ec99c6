"""`argmap trace`: the chain to a claim, and what rests on a source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.errors import ArgmapError
from argmap.map.loader import load_map
from argmap.map.models import ArgumentMap, RelationType
from argmap.map.trace import trace_claim, trace_source

runner = CliRunner()


@pytest.fixture
def fixture_map(export_fixture: Path) -> ArgumentMap:
    return load_map(export_fixture / "arguments").map


def test_chain_runs_from_the_root_to_the_claim(fixture_map: ArgumentMap) -> None:
    trace = trace_claim(fixture_map, "R1")
    assert trace.linked
    assert [s.claim.id for s in trace.steps] == ["D1", "C1", "R1"]
    links = [(s.link.source, s.link.type, s.link.target) for s in trace.steps if s.link]
    # C1 supports D1 (a reason of it); C1 leads to R1 (a consequence)
    assert links == [("C1", RelationType.SUPPORTS, "D1"), ("C1", RelationType.LEADS_TO, "R1")]


def test_each_step_lists_its_reasons_off_the_chain_with_their_sources(
    fixture_map: ArgumentMap,
) -> None:
    steps = trace_claim(fixture_map, "R1").steps
    d1 = {r.claim.id: (r.type, r.sources) for r in steps[0].reasons}
    assert d1 == {
        "P1": (RelationType.SUPPORTS, ["fao2015"]),
        "O1": (RelationType.ATTACKS, []),  # only mentions its source
        "F1": (RelationType.SUPPORTS, ["chen2020", "ortiz2019a"]),
    }
    assert [r.claim.id for r in steps[2].reasons] == ["F1"]


def test_unknown_claim_suggests(fixture_map: ArgumentMap) -> None:
    with pytest.raises(ArgmapError, match=r"unknown claim id 'R2'.*R1"):
        trace_claim(fixture_map, "R2")


def test_what_falls_with_a_source(fixture_map: ArgumentMap) -> None:
    trace = trace_source(fixture_map, "chen2020")
    assert [(d.claim.id, d.direct, d.via) for d in trace.dependents] == [
        ("F1", True, []),
        ("D1", False, ["F1", "D1"]),
        ("R1", False, ["F1", "R1"]),
    ]
    assert trace.dependents[0].uses[0].evidence.id == "F1.e1"


def test_reported_source_counts_and_attacks_do_not_pass_it_on(fixture_map: ArgumentMap) -> None:
    trace = trace_source(fixture_map, "fao2015")
    assert trace.dependents[0].claim.id == "P1" and trace.dependents[0].reported
    assert [d.claim.id for d in trace.dependents] == ["P1", "D1"]
    # O1 attacks D1 and only mentions mueller2018: nothing rests on it
    mentions = trace_source(fixture_map, "mueller2018")
    assert mentions.dependents == []
    assert [(c.id, u.citation.stance.value) for c, u in mentions.other_uses] == [("O1", "mentions")]


def test_source_not_cited(fixture_map: ArgumentMap) -> None:
    with pytest.raises(ArgmapError, match=r"no claim cites 'chen2021'.*chen2020"):
        trace_source(fixture_map, "chen2021")


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def test_cli_trace_json_and_tree(export_fixture: Path) -> None:
    where = ["--map", str(export_fixture / "arguments")]
    code, out, _ = cli("trace", "R1", "--format", "json", *where)
    doc = json.loads(out)
    assert code == 0 and [s["id"] for s in doc["steps"]] == ["D1", "C1", "R1"]
    assert doc["steps"][0]["evidence"][0]["citations"][0]["label"] == "Ortiz & de la Fuente 2019a"
    code, out, _ = cli("trace", "R1", "--lang", "en", *where)
    assert code == 0 and "Chain from D1 to R1" in out and "C1 leads to R1" in out
    code, out, _ = cli("trace", "--source", "chen2020", "--lang", "en", *where)
    assert code == 0 and "If chen2020 (Chen et al. 2020) falls, 3 claims fall" in out


def test_cli_trace_needs_exactly_one_target(export_fixture: Path) -> None:
    where = ["--map", str(export_fixture / "arguments")]
    assert cli("trace", *where)[0] == 2
    code, _, err = cli("trace", "R1", "--source", "chen2020", *where)
    assert code == 2 and "not both" in err


def test_seed_recommendations_rest_on_the_diagnosis() -> None:
    code, out, _ = cli("trace", "R3", "--format", "json")
    steps = json.loads(out)["steps"]
    assert code == 0 and steps[0]["id"] == "D1" and steps[-1]["id"] == "R3"
