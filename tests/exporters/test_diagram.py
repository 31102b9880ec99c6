"""Diagrams a person can read: label styles, evidence, depth, sections, defaults by map size; and
svg/png drawn by Graphviz (skipped, saying why, when Graphviz is absent)."""

from __future__ import annotations

import re
import shutil
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.exporters import ExportContext
from argmap.exporters.diagram import Labels, claim_levels, diagram, first_clause
from argmap.map.loader import load_map

REPO = Path(__file__).parents[2]
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    if "--map" not in args:
        args = (*args, "--map", str(REPO / "arguments"))
    result = runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1", **(env or {})})
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.fixture(scope="module")
def shipped() -> ExportContext:
    return ExportContext(map=load_map(REPO / "arguments").map, lang="es")


@pytest.fixture
def fixture_ctx(export_fixture: Path) -> ExportContext:
    return ExportContext(map=load_map(export_fixture / "arguments").map, lang="es")


def with_(ctx: ExportContext, **changes: object) -> ExportContext:
    from dataclasses import replace

    return replace(ctx, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "short"),
    [
        pytest.param(
            "Los apoyos nacionales son necesarios pero insuficientes: en México faltan acciones.",
            "Los apoyos nacionales son necesarios pero insuficientes …",
            id="up-to-the-colon",
        ),
        pytest.param(
            "Matiz: existe cooperación informal apoyada en parentesco; y más.",
            "Matiz: existe cooperación informal apoyada en parentesco …",
            id="too-short-reads-on",
        ),
        pytest.param(
            "Con cesión de agua, la producción se duplicó.",
            "Con cesión de agua, la producción se duplicó.",
            id="whole-sentence-kept",
        ),
        pytest.param(
            "Una cláusula muy larga sin ningún signo que la corte en ninguna parte del texto "
            "hasta bien pasado el límite",
            "Una cláusula muy larga sin ningún signo que la corte en ninguna parte …",
            id="cut-at-a-word",
        ),
    ],
)
def test_first_clause(text: str, short: str) -> None:
    assert first_clause(text) == short


def test_small_map_defaults_to_full_labels_and_evidence(fixture_ctx: ExportContext) -> None:
    drawn = diagram(fixture_ctx)
    assert len([n for n in drawn.nodes if n.kind == "evidence"]) == 4
    d1 = next(n for n in drawn.nodes if n.id == "D1")
    assert d1.lines[0] == "D1 · diagnóstico · §3 ¶1" and "agua." in " ".join(d1.lines)


def test_large_map_defaults_to_short_labels_without_evidence(shipped: ExportContext) -> None:
    assert len(shipped.map.claims) > 20
    drawn = diagram(shipped)
    assert all(n.kind != "evidence" for n in drawn.nodes)
    assert len(drawn.nodes) == len(shipped.map.claims)
    a3 = next(n for n in drawn.nodes if n.id == "A3")
    assert a3.lines[0] == "A3 · objeción"
    assert all(len(line) <= 26 for line in a3.lines[1:]) and len(a3.lines) <= 5


def test_options_override_the_defaults(shipped: ExportContext) -> None:
    drawn = diagram(with_(shipped, labels="full", evidence=True))
    assert any(n.kind == "evidence" for n in drawn.nodes)
    assert next(n for n in drawn.nodes if n.id == "D1").lines[0] == "D1 · diagnóstico · §final ¶6"
    ids = diagram(with_(shipped, labels=Labels.ID.value))
    assert all(n.lines == [n.id] for n in ids.nodes)


def test_depth_keeps_the_first_levels(shipped: ExportContext) -> None:
    levels = claim_levels(shipped.map, None)
    assert levels["D1"] == 1 and levels["A6"] == 2 and levels["A1"] == 3
    drawn = diagram(with_(shipped, depth=2))
    assert {n.id for n in drawn.nodes} == {c for c, level in levels.items() if level <= 2}
    kept = {n.id for n in drawn.nodes}
    assert all(link.source in kept and link.target in kept for link in drawn.links)


def test_clusters_follow_the_article_sections(shipped: ExportContext) -> None:
    drawn = diagram(shipped)
    assert [c.id for c in drawn.clusters] == ["1", "2", "3", "final"]
    assert drawn.clusters[0].title == "§1 Introducción"
    assert diagram(with_(shipped, clusters=False)).clusters == []


def test_cli_options_reach_dot_and_mermaid() -> None:
    code, out, err = run("export", "-f", "dot", "--labels", "id", "--depth", "1", "--no-clusters")
    assert code == 0, err
    text = out.decode()
    assert '"D1" [label="D1\\l"' in text and "subgraph" not in text
    assert len(re.findall(r'^    "[^"]+" \[label=', text, re.MULTILINE)) == 1
    code, out, err = run("export", "-f", "mermaid", "--evidence", "--labels", "short")
    assert code == 0, err
    assert "subgraph section_1" in out.decode() and ":::evidence" in out.decode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["-f", "markdown", "--labels", "id"],
            "--labels applies only to diagrams",
            id="labels-on-markdown",
        ),
        pytest.param(["-f", "json", "--no-evidence"], "applies only to diagrams", id="evidence"),
        pytest.param(["-f", "html", "--depth", "2"], "--depth applies only", id="depth-on-html"),
        pytest.param(
            ["-f", "dot", "--labels", "shrot"], "unknown label style 'shrot'", id="bad-label-style"
        ),
    ],
)
def test_diagram_options_are_refused_where_they_mean_nothing(args: list[str], message: str) -> None:
    code, out, err = run("export", *args)
    assert code == 2 and out == b""
    assert message in err and "Traceback" not in err


def test_without_graphviz_svg_says_how_to_get_it(tmp_path: Path) -> None:
    code, out, err = run("export", "-f", "svg", env={"PATH": str(tmp_path)})
    assert code == 2 and out == b""
    assert "Graphviz's 'dot' program" in err and "apt-get install graphviz" in err
    assert len(err.strip().splitlines()) == 1


needs_graphviz = pytest.mark.skipif(
    shutil.which("dot") is None,
    reason="Graphviz is not installed (apt-get install graphviz); .ci/run installs it",
)


@needs_graphviz
def test_svg_of_the_fixture_has_every_claim(export_fixture: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.svg"
    args = ["--map", str(export_fixture / "arguments"), "--bib", str(export_fixture / "refs.bib")]
    code, _, err = run("export", "-f", "svg", "-o", str(target), *args)
    assert code == 0, err
    svg = target.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    titles = set(re.findall(r"<title>([^<]*)</title>", svg))
    assert {"D1", "P1", "O1", "F1", "R1", "C1", "D1.e1", "cluster_1"} <= titles


@needs_graphviz
def test_png_of_the_shipped_map_fits_a_1920px_screen(tmp_path: Path) -> None:
    target = tmp_path / "map.png"
    code, _, err = run("export", "-f", "png", "-o", str(target), "--map", str(REPO / "arguments"))
    assert code == 0, err
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    # drawn at Graphviz's 96 dpi with 10-point labels: readable at 1:1, and no wider than a screen
    assert 800 < width <= 1920 and height > 0


@needs_graphviz
def test_png_goes_to_stdout_when_piped() -> None:
    code, out, err = run("export", "-f", "png", "--depth", "1")
    assert code == 0, err
    assert out[:8] == b"\x89PNG\r\n\x1a\n"


def test_sections_the_map_does_not_name_still_cluster(write_map: Callable[..., Path]) -> None:
    # the diagram of a map whose sections are not listed still clusters by locator
    root = write_map(
        main="""\
article: {key: k2020, title: T, language: en}
claims:
  - {id: D1, kind: diagnosis, text: {en: "Root."}, locator: {section: "9", paragraph: 1}}
"""
    )
    drawn = diagram(ExportContext(map=load_map(root).map, lang="en"))
    assert [(c.id, c.title) for c in drawn.clusters] == [("9", "§9")]


def test_png_is_not_printed_to_a_terminal() -> None:
    import os
    import pty
    import subprocess
    import sys

    main, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "argmap",
                "export",
                "-f",
                "png",
                "--map",
                str(REPO / "arguments"),
            ],
            stdout=terminal,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(terminal)
        os.close(main)
    assert done.returncode == 2
    assert "--format png is an image; it is not printed to a terminal" in done.stderr
    assert "-o map.png" in done.stderr


@needs_graphviz
def test_hostile_text_in_an_svg_stays_text(write_map: Callable[..., Path], tmp_path: Path) -> None:
    root = write_map(
        main="""\
article: {key: k2020, title: 'Back\\slash " quote <b>in</b> & more', language: en}
claims:
  - id: D1
    kind: diagnosis
    text: {en: '<script>alert(1)</script> "quoted" \\l not a DOT escape'}
    locator: {section: "1", paragraph: 1}
"""
    )
    target = tmp_path / "map.svg"
    code, _, err = run(
        "export", "-f", "svg", "-o", str(target), "--labels", "full", "--map", str(root)
    )
    assert code == 0, err
    svg = target.read_text(encoding="utf-8")
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "Back\\slash &quot; quote &lt;b&gt;in&lt;/b&gt; &amp; more" in svg
    assert "&quot;quoted&quot; \\l" in svg  # a backslash in the text is not DOT's line end


def test_depth_counts_from_the_focused_claim(shipped: ExportContext) -> None:
    from argmap.map.graph import tree_edges
    from argmap.map.scope import focus_map

    part = focus_map(shipped.map, "A6")
    drawn = diagram(with_(shipped, map=part, focus="A6", depth=2))
    children = {e.child for e in tree_edges(shipped.map)["A6"]}
    claims = {n.id for n in drawn.nodes if n.kind != "evidence"}
    assert children and claims == {"A6", *children}
    # the part has under 20 claims: its evidence is drawn, as for any small map
    assert any(n.kind == "evidence" for n in drawn.nodes)
