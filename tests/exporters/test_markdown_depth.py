"""The Markdown export nests lists at most four levels deep, so LaTeX (and `pandoc -o map.pdf`)
accepts it however deep the argument goes: deeper claims become sections of their own."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypandoc
import pytest

from argmap.bib.reader import load_bibliography
from argmap.exporters import ExportContext, ExportFormat, exporter
from argmap.map.loader import load_map

REPO = Path(__file__).parents[2]
DEPTH = 12


def chain_map(depth: int) -> str:
    """A map whose support chain is ``depth`` claims long, each claim with one item of evidence."""
    lines = [
        "article: {key: deep2020, title: Deep, language: en}",
        "claims:",
    ]
    for i in range(depth):
        kind = "diagnosis" if i == 0 else "premise"
        lines += [
            f"  - id: C{i}",
            f"    kind: {kind}",
            f'    text: {{en: "Claim number {i}."}}',
            f'    locator: {{section: "1", paragraph: {i + 1}}}',
            "    evidence:",
            f"      - id: C{i}.e1",
            "        kind: literature",
            f'        description: {{en: "Evidence for claim {i}."}}',
            "        citations:",
            f'          - {{key: doe2020, printed: "Doe (2020)", locator: "p. {i + 1}"}}',
        ]
        if i:
            lines += ["    relations:", f"      - {{type: supports, target: C{i - 1}}}"]
    return "\n".join(lines) + "\n"


def list_depth(markdown: str) -> int:
    """The deepest list level of a Markdown text (items indented four spaces a level)."""
    depths = [len(m.group(1)) // 4 + 1 for m in re.finditer(r"^( *)- ", markdown, re.MULTILINE)]
    return max(depths, default=0)


def latex_list_depth(latex: str) -> int:
    """The deepest nesting of itemize/enumerate environments in LaTeX."""
    depth = deepest = 0
    for m in re.finditer(r"\\(begin|end)\{(?:itemize|enumerate)\}", latex):
        depth += 1 if m.group(1) == "begin" else -1
        deepest = max(deepest, depth)
    return deepest


@pytest.fixture
def deep(write_map: Callable[..., Path]) -> str:
    root = write_map(main=chain_map(DEPTH))
    return exporter(ExportFormat.MARKDOWN)(ExportContext(map=load_map(root).map, lang="en"))


@pytest.fixture(scope="module")
def shipped() -> str:
    argmap = load_map(REPO / "arguments").map
    bib = load_bibliography(REPO / "refs.bib")
    return exporter(ExportFormat.MARKDOWN)(ExportContext(map=argmap, lang="es", bib=bib))


def test_a_deep_chain_nests_at_most_four_levels(deep: str) -> None:
    assert list_depth(deep) <= 4
    # every claim and every item of evidence is still there, once
    for i in range(DEPTH):
        assert deep.count(f"Claim number {i}.") == 1
        assert deep.count(f"Evidence for claim {i} [@doe2020, p. {i + 1}].") == 1


def test_claims_pushed_out_of_a_list_are_linked_sections(deep: str) -> None:
    links = re.findall(r"\[continued below\]\(#(claim-C\d+)\)", deep)
    assert links, "a 12-claim chain must push claims out of the list"
    headings = re.findall(r"^#+ .*\{#(claim-C\d+)\}$", deep, re.MULTILINE)
    assert set(links) <= set(headings)
    for target in links:
        section = deep.split(f"{{#{target}}}", 1)[1]
        assert section.lstrip().startswith("*Continues C")


def test_pandoc_latex_nests_at_most_four_lists(deep: str, shipped: str, tmp_path: Path) -> None:
    for name, text in [("deep", deep), ("shipped", shipped)]:
        source = tmp_path / f"{name}.md"
        source.write_text(text, encoding="utf-8")
        done = subprocess.run(
            [pypandoc.get_pandoc_path(), str(source), "-t", "latex", "--standalone"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert 1 <= latex_list_depth(done.stdout) <= 4, name


def test_shipped_map_keeps_every_claim(shipped: str) -> None:
    argmap = load_map(REPO / "arguments").map
    for claim in argmap.claims:
        assert f"**{claim.id}**" in shipped, claim.id
    assert list_depth(shipped) <= 4


@pytest.mark.skipif(
    shutil.which("pdflatex") is None,
    reason="no LaTeX engine (apt-get install texlive-latex-recommended texlive-fonts-recommended)"
    "; .ci/run installs one",
)
def test_pandoc_makes_a_pdf_of_the_shipped_map(shipped: str, tmp_path: Path) -> None:
    source = tmp_path / "map.md"
    source.write_text(shipped, encoding="utf-8")
    shutil.copy(REPO / "refs.bib", tmp_path / "refs.bib")
    done = subprocess.run(
        [pypandoc.get_pandoc_path(), "map.md", "--citeproc", "-o", "map.pdf"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "map.pdf").read_bytes()[:5] == b"%PDF-"


def test_depth_keeps_the_first_levels_of_shows_tree() -> None:
    # a writer quoting the top of the argument in a paper: `export -f markdown --depth 2` was
    # refused ("--depth applies only to diagrams"), though show and the diagrams take it
    from typer.testing import CliRunner

    from argmap.cli.app import app

    result = CliRunner().invoke(
        app,
        [
            "export",
            "-f",
            "markdown",
            "--depth",
            "2",
            "--lang",
            "en",
            "--map",
            str(REPO / "arguments"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    headings = re.findall(r"^#+ .*?\*\*(\w+)\*\*", out, re.MULTILINE)
    assert headings[:3] == ["D1", "I8", "A2"] and "F2" in headings  # the root, then level 2
    for deeper in ("I7", "A4", "F5", "R1"):  # level 3 and below, as `show --depth 2` hides them
        assert f"**{deeper}**" not in out, deeper
    assert "Only the first 2 levels of the argument." in out
    result = CliRunner().invoke(
        app, ["export", "-f", "markdown", "--depth", "1", "--map", str(REPO / "arguments")]
    )
    assert "Solo el primer nivel del argumento." in result.stdout, result.stderr
    assert re.findall(r"^#+ .*?\*\*(\w+)\*\*", result.stdout, re.MULTILINE) == ["D1"]
