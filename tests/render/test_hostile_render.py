"""Terminal output never interprets text from the user's files: markup is shown as written, control
characters as codes; and a chain of claims thousands deep renders without recursion, in output
that grows linearly with the chain."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from rich.console import Console

from argmap.base.problems import Problem, Severity
from argmap.checks.citations import CitationRecord, Report
from argmap.citations.matcher import Status
from argmap.exporters import ExportContext, ExportFormat, exporter
from argmap.map.loader import load_map
from argmap.render.outline import MAX_NESTING, build_outline
from argmap.render.report import print_report
from argmap.render.text import render_text
from argmap.render.tree import render_tree


def printed(renderable: object, width: int = 100) -> str:
    buf = io.StringIO()
    Console(file=buf, width=width, color_system="truecolor", force_terminal=True).print(renderable)
    return buf.getvalue()


def hostile_report() -> Report:
    report = Report()
    source = "ms/[bold]draft\x1b[2J.md"
    report.citations.append(CitationRecord(source, 3, "Roe [sic] (2018) [/]", Status.MISSING, None))
    report.problems.append(
        Problem("missing", Severity.ERROR, source, 3, "no entry for Roe [sic] (2018) [/]")
    )
    report.problems.append(
        Problem("parse-failed", Severity.ERROR, source, 4, "bad [/] \x1b]0;pwned\x07", None, "[x]")
    )
    report.problems.append(
        Problem("bad-key", Severity.ERROR, "refs[red].bib", 9, "invalid key '[/]'", "[/]", None)
    )
    return report


def test_report_shows_markup_literally_and_controls_as_codes() -> None:
    out = printed_plain(hostile_report())
    assert "Roe [sic] (2018) [/]" in out
    assert "ms/[bold]draft\\x1b[2J.md" in out
    assert "invalid key '[/]'" in out and "refs[red].bib\n  9:1" in out
    assert "\x1b]0;" not in out and "\\x1b]0;pwned\\x07" in out


def printed_plain(report: Report) -> str:
    buf = io.StringIO()
    print_report(report, Console(file=buf, width=300, color_system=None), True)
    return buf.getvalue()


def test_colour_output_sends_no_control_character_of_the_input() -> None:
    buf = io.StringIO()
    console = Console(file=buf, width=200, color_system="truecolor", force_terminal=True)
    print_report(hostile_report(), console, True)
    out = buf.getvalue()
    assert "\x1b[2J" not in out and "\x1b]0;" not in out and "\x07" not in out
    assert "[sic]" in out and "\\x1b[2J" in out


def chain_map(tmp_path: Path, depth: int) -> Path:
    """A map whose premises each support the one before: ``depth`` levels deep."""
    lines = [
        "article: {key: doe2020, title: Deep, language: en, sections: [{id: '1', title: One}]}",
        "claims:",
        "  - {id: D1, kind: diagnosis, text: {en: root}, locator: {section: '1', paragraph: 1},"
        " relations: [{type: leads_to, target: R1}]}",
        "  - {id: R1, kind: recommendation, text: {en: rec},"
        " locator: {section: '1', paragraph: 1}}",
    ]
    previous = "D1"
    for i in range(1, depth + 1):
        lines.append(
            f"  - {{id: P{i}, kind: premise, text: {{en: premise {i}}}, locator: {{section: '1',"
            f" paragraph: 1}}, relations: [{{type: supports, target: {previous}}}]}}"
        )
        previous = f"P{i}"
    path = tmp_path / f"chain{depth}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("form", ["text", "tree", "markdown"])
def test_two_thousand_deep_chain_renders_in_linear_output(tmp_path: Path, form: str) -> None:
    sizes = []
    for depth in (1000, 2000):
        argmap = load_map(chain_map(tmp_path, depth)).map
        started = time.monotonic()
        if form == "markdown":
            out = exporter(ExportFormat.MARKDOWN)(ExportContext(map=argmap, lang="en"))
        else:
            outline = build_outline(argmap, lang="en", evidence=False)
            if form == "text":
                out = render_text(outline, "en", width=100)
            else:
                out = printed(render_tree(outline, "en"))
        assert time.monotonic() - started < 30
        assert f"premise {depth}" in out
        sizes.append(len(out))
    # twice the chain, about twice the output (not four times, as indentation would make it)
    assert sizes[1] < 2.3 * sizes[0]


def test_deep_branch_continues_apart(tmp_path: Path) -> None:
    argmap = load_map(chain_map(tmp_path, 3 * MAX_NESTING)).map
    outline = build_outline(argmap, lang="en", evidence=False)
    assert len(outline.continuations) >= 2
    text = render_text(outline, "en")
    deepest_indent = max(len(line) - len(line.lstrip(" ")) for line in text.splitlines())
    assert deepest_indent <= 2 * MAX_NESTING + 8
    cut = outline.continuations[0].claim.id
    assert f"[{cut}] premise (§1 ¶1) (continued below)" in text
    assert f"[{cut}] premise (§1 ¶1) (continued)" in text
    # every claim is drawn exactly once
    for i in range(1, 3 * MAX_NESTING + 1):
        assert text.count(f"premise {i}\n") == 1, i


def test_colour_report_is_the_per_finding_rendering_at_a_fraction_of_the_cost() -> None:
    from itertools import groupby

    from rich.text import Text

    from argmap.render import report as module
    from argmap.render.summary import summary_line

    report = Report()
    for i in range(2000):
        report.problems.append(
            Problem(
                "year-mismatch", Severity.ERROR, f"ms/draft{i % 3}.md", i + 1,
                f"printed 'Roe [sic] ({1900 + i % 100})' gives another year \x1b[2J", "roe2018",
                "check the year, or cite the work of that year instead " * (1 + i % 3),
            )
        )  # fmt: skip

    def per_finding(console: Console) -> None:
        """How the report was printed before: a Text, and a print, for each finding."""
        rows = sorted(module._rows(report, True, console.width), key=lambda r: r[:3])
        for source, group in groupby(rows, key=lambda r: r[0]):
            console.print(Text(source, style="bold underline"), soft_wrap=True)
            for *_, spans in group:
                console.print(Text.assemble(*spans), soft_wrap=True)
        console.print(Text(summary_line(report, True), style="bold"), soft_wrap=True)

    outputs, timings = [], []
    for draw in (per_finding, lambda console: print_report(report, console, True)):
        buf = io.StringIO()
        console = Console(file=buf, width=80, color_system="truecolor", force_terminal=True)
        started = time.perf_counter()
        draw(console)
        timings.append(time.perf_counter() - started)
        outputs.append(buf.getvalue())
    assert outputs[1] == outputs[0]
    assert "\x1b[2J" not in outputs[1] and "\\x1b[2J" in outputs[1]
    assert timings[1] * 2 < timings[0], timings
