"""`argmap trace`: the chain to a claim, and what rests on a source."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.errors import ArgmapError
from argmap.map.loader import load_map
from argmap.map.models import ArgumentMap, RelationType
from argmap.map.trace import Standing, trace_claim, trace_source

runner = CliRunner()
DATA = Path(__file__).parents[1] / "data"
SEED = Path(__file__).parents[2] / "arguments"


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


def test_what_rests_on_a_source(fixture_map: ArgumentMap) -> None:
    trace = trace_source(fixture_map, "chen2020")
    assert [(d.claim.id, d.standing, d.left, d.reasons, d.direct) for d in trace.dependents] == [
        ("F1", Standing.WEAKENED, 1, 2, True),
        ("D1", Standing.WEAKENED, 4, 4, False),
        ("R1", Standing.WEAKENED, 2, 2, False),
    ]
    assert [d.weakened_by for d in trace.dependents[1:]] == [["F1"], ["F1"]]
    assert trace.dependents[0].uses[0].evidence.id == "F1.e1"


def test_reported_source_counts_and_attacks_do_not_pass_it_on(fixture_map: ArgumentMap) -> None:
    trace = trace_source(fixture_map, "fao2015")
    assert trace.dependents[0].claim.id == "P1" and trace.dependents[0].reported
    assert [(d.claim.id, d.standing, d.lost) for d in trace.dependents] == [
        ("P1", Standing.FALLS, ["fao2015"]),
        ("D1", Standing.WEAKENED, ["P1"]),
    ]
    # O1 attacks D1 and only mentions mueller2018: nothing rests on it
    mentions = trace_source(fixture_map, "mueller2018")
    assert mentions.dependents == []
    assert [(c.id, u.citation.stance.value) for c, u in mentions.other_uses] == [("O1", "mentions")]


@pytest.fixture
def trace_map() -> ArgumentMap:
    return load_map(DATA / "trace" / "arguments").map


def test_each_claim_is_classed_falls_weakened_or_contested(trace_map: ArgumentMap) -> None:
    trace = trace_source(trace_map, "src1")
    got = {
        d.claim.id: (d.standing, d.left, d.reasons, d.lost, d.weakened_by, d.attacked_by)
        for d in trace.dependents
    }
    assert got == {
        "P1": (Standing.FALLS, 0, 1, ["src1"], [], []),
        "O1": (Standing.FALLS, 0, 1, ["src1"], [], []),
        "C1": (Standing.FALLS, 0, 1, ["P1"], [], []),  # falls with the claim it rests on
        "P2": (Standing.WEAKENED, 1, 2, ["src1"], [], []),
        "D1": (Standing.WEAKENED, 2, 3, ["C1"], ["P2"], []),
        "R1": (Standing.WEAKENED, 1, 1, [], ["D1"], []),
        "P3": (Standing.CONTESTED, 1, 1, [], [], ["O1"]),  # the objection rests on src1
    }
    assert [trace.count(s) for s in Standing] == [3, 3, 1]
    # a source behind one of several reasons only weakens; a mention is listed apart
    other = trace_source(trace_map, "src2")
    assert [(d.claim.id, d.standing) for d in other.dependents] == [
        ("P2", Standing.WEAKENED),
        ("D1", Standing.WEAKENED),
        ("R1", Standing.WEAKENED),
    ]
    assert [(c.id, u.citation.stance.value) for c, u in other.other_uses] == [("P1", "mentions")]


def test_source_trace_json_carries_the_evaluation() -> None:
    where = ["--map", str(DATA / "trace" / "arguments")]
    code, out, _ = cli("trace", "--source", "src1", "--format", "json", *where)
    doc = json.loads(out)
    assert code == 0 and doc["summary"] == {"falls": 3, "weakened": 3, "contested": 1}
    d1 = next(d for d in doc["dependents"] if d["id"] == "D1")
    assert (d1["standing"], d1["reasons"], d1["reasons_left"], d1["lost"]) == (
        "weakened",
        3,
        2,
        ["C1"],
    )
    code, out, _ = cli("trace", "--source", "src1", *where)
    assert "If src1 (One 2001) falls: 3 fall, 3 weakened, 1 contested" in out
    assert "2 of 3 reasons left" in out and "attacked by: O1" in out
    assert "1 of 1 reason left" in out and "1 of 1 reasons" not in out
    code, out, _ = cli("trace", "--source", "src1", "--lang", "es", *where)
    assert "quedan 2 de 3 razones" in out and "queda 1 de 1 razón" in out


@pytest.mark.parametrize(
    ("source", "lang", "title"),
    [
        ("src3", "en", "If src3 (Three 2003) falls: 1 falls, 2 weakened, 0 contested"),
        ("src1", "es", "Si cae src1 (One 2001): 3 caen, 3 quedan debilitadas, 1 queda disputada"),
        ("src3", "es", "Si cae src3 (Three 2003): 1 cae, 2 quedan debilitadas, 0 quedan"),
    ],
    ids=["en-one-falls", "es-one-contested", "es-one-falls"],
)
def test_source_trace_counts_agree_with_their_verbs(source: str, lang: str, title: str) -> None:
    # "1 fall", "1 caen", "1 quedan disputadas" before
    where = ["--map", str(DATA / "trace" / "arguments")]
    code, out, _ = cli("trace", "--source", source, "--lang", lang, *where)
    assert code == 0 and out.startswith(title)


def test_shipped_diagnosis_is_weakened_by_piore1984() -> None:
    code, out, err = cli("trace", "--source", "piore1984", "--format", "json", "--map", str(SEED))
    assert code == 0, err
    doc = json.loads(out)
    standing = {d["id"]: d["standing"] for d in doc["dependents"]}
    assert standing["D1"] == "weakened"
    assert "falls" not in standing.values()  # every claim citing it has other support


def chain_map(tmp_path: Path, n: int) -> Path:
    """A map whose diagnosis is supported through a chain of n premises, the last citing src."""
    lines = [
        "article: {key: doe2020, title: T, language: en, sections: [{id: '1', title: One}]}",
        "claims:",
        "  - {id: D1, kind: diagnosis, text: {en: d}, locator: {section: '1', paragraph: 1},",
        "     relations: [{type: leads_to, target: R1}]}",
        "  - {id: R1, kind: recommendation, text: {en: r}, locator: {section: '1', paragraph: 1}}",
    ]
    for i in range(n):
        target = "D1" if i == 0 else f"P{i - 1}"
        evidence = (
            ", evidence: [{id: E1, kind: theory, description: {en: e},"
            " citations: [{key: src, printed: 'Src (2000)'}]}]"
            if i == n - 1
            else ""
        )
        lines.append(
            f"  - {{id: P{i}, kind: premise, text: {{en: p{i}}},"
            f" locator: {{section: '1', paragraph: 1}},"
            f" relations: [{{type: supports, target: {target}}}]{evidence}}}"
        )
    folder = tmp_path / f"chain{n}"
    folder.mkdir()
    (folder / "map.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_source_trace_output_grows_linearly(tmp_path: Path) -> None:
    sizes = {}
    for n in (500, 1000):
        where = ["--map", str(chain_map(tmp_path, n))]
        code, out, err = cli("trace", "--source", "src", "--format", "json", *where)
        assert code == 0, err
        assert json.loads(out)["summary"]["falls"] == n + 2  # the chain, D1 and R1
        code, text, err = cli("trace", "--source", "src", *where)
        assert code == 0, err
        sizes[n] = (len(out), len(text))
    # twice the claims, about twice the output (a path per claim would make it four times)
    assert sizes[1000][0] < 2.2 * sizes[500][0]
    assert sizes[1000][1] < 2.2 * sizes[500][1]


def lines_run(run: Callable[[], object]) -> int:
    """How many lines of Python ``run`` executes, counted by a tracer: a measure of work that,
    unlike time, the machine's load does not move."""
    import sys
    from types import FrameType
    from typing import Any

    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        run()
    finally:
        sys.settrace(None)
    return count


def test_claim_and_source_traces_are_linear_in_chain_length(tmp_path: Path) -> None:
    from argmap.map.loader import load_map as load

    claim_work, source_work = {}, {}
    for n in (500, 2000):
        argmap = load(chain_map(tmp_path, n)).map
        assert len(trace_claim(argmap, f"P{n - 1}").steps) == n + 1
        claim_work[n] = lines_run(lambda a=argmap, n=n: trace_claim(a, f"P{n - 1}"))
        source_work[n] = lines_run(lambda a=argmap: trace_source(a, "src"))
    # four times the chain, about four times the work; quadratic would be sixteen (the claim
    # trace before this fix looped over every claim at every step of the chain)
    assert claim_work[2000] < 5 * claim_work[500]
    assert source_work[2000] < 5 * source_work[500]


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
    assert code == 0 and "If chen2020 (Chen et al. 2020) falls: 0 fall, 3 weakened" in out


def test_cli_trace_needs_exactly_one_target(export_fixture: Path) -> None:
    where = ["--map", str(export_fixture / "arguments")]
    assert cli("trace", *where)[0] == 2
    code, _, err = cli("trace", "R1", "--source", "chen2020", *where)
    assert code == 2 and "not both" in err


def test_seed_recommendations_rest_on_the_diagnosis() -> None:
    code, out, _ = cli("trace", "R3", "--format", "json")
    steps = json.loads(out)["steps"]
    assert code == 0 and steps[0]["id"] == "D1" and steps[-1]["id"] == "R3"
