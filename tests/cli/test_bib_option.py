"""`--bib` on every command that reads a bibliography: repeatable, any format it reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()


@pytest.fixture
def two_bibs(tmp_path: Path, mini: Path) -> tuple[Path, list[str]]:
    """The mini map with its refs.bib and a CSL-JSON file that holds the key it lacks."""
    extra = tmp_path / "extra.json"
    extra.write_text(
        json.dumps(
            [
                {
                    "id": "nobody1999",
                    "type": "book",
                    "title": "Nothing",
                    "author": [{"family": "Nobody", "given": "N."}],
                    "issued": {"date-parts": [[1999]]},
                }
            ]
        ),
        encoding="utf-8",
    )
    args = ["--map", str(mini / "arguments"), "--bib", str(mini / "refs.bib"), "--bib", str(extra)]
    return extra, args


def test_show_reads_every_bib(two_bibs: tuple[Path, list[str]], mini: Path) -> None:
    _, args = two_bibs
    alone = runner.invoke(app, ["show", "--format", "text", "--map", str(mini / "arguments")])
    assert alone.exit_code == 1 and "nobody1999" in alone.stderr
    both = runner.invoke(app, ["show", "--format", "text", *args])
    assert both.exit_code == 0, both.stderr
    assert "Nobody 1999" in both.stdout


def test_check_citations_with_two_bibs_is_clean(two_bibs: tuple[Path, list[str]]) -> None:
    _, args = two_bibs
    result = runner.invoke(app, ["check-citations", "--format", "json", *args])
    data = json.loads(result.stdout)
    assert data["summary"]["by_status"]["unknown-key"] == 0
    assert result.exit_code == 0, data["problems"]


def test_refs_formats_entries_of_both_files(two_bibs: tuple[Path, list[str]]) -> None:
    _, args = two_bibs
    result = runner.invoke(app, ["refs", "--used", *args])
    assert result.exit_code == 0, result.stderr
    assert "Nobody, N. (1999). Nothing." in result.stdout
    assert "Roe" in result.stdout


def test_markdown_export_lists_both_bibliographies(
    two_bibs: tuple[Path, list[str]], tmp_path: Path
) -> None:
    extra, args = two_bibs
    out = tmp_path / "out" / "map.md"
    out.parent.mkdir()
    result = runner.invoke(app, ["export", "-f", "markdown", "-o", str(out), *args])
    assert result.exit_code == 0, result.stderr
    front = out.read_text(encoding="utf-8").split("---")[1]
    line = next(x for x in front.splitlines() if x.startswith("bibliography:"))
    listed = json.loads(line.split(":", 1)[1])
    assert [Path(p).name for p in listed] == ["refs.bib", extra.name]
    assert (out.parent / listed[1]).resolve() == extra.resolve()  # relative to the output
