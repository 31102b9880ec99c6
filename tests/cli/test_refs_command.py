"""`argmap refs` on bibliographies it cannot read whole: the entries lost are reported on stderr
as check-citations reports them, and the exit is 1; a list with nothing to show is an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

UNREADABLE = Path(__file__).parents[1] / "data" / "unreadable"
runner = CliRunner()


@pytest.fixture(autouse=True)
def outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no arguments/ is found, so only the bibliography named is read."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_a_file_whose_only_entry_does_not_parse_is_an_error_not_an_empty_list() -> None:
    path = UNREADABLE / "bbt-endnote-no-key.bib"
    result = runner.invoke(app, ["refs", "--bib", str(path), "--engine", "citeproc-py"])
    assert result.exit_code == 1
    assert result.stdout.strip() == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"argmap: error: {path}:2: BIB201 entry could not be parsed")
    assert lines[-1] == f"argmap: error: no entry of {path} can be listed"


def test_entries_lost_beside_readable_ones_are_named_and_the_list_printed(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(
        "@book{roe2018,\n  author = {Roe, Jane},\n  title = {Small Credit},\n"
        "  publisher = {Press},\n  year = {2018},\n}\n"
        "@article{broken,\n  title = {unbalanced,\n  year = {1999}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["refs", "--bib", str(path), "--engine", "citeproc-py"])
    assert result.exit_code == 1
    assert result.stdout == "Roe, J. (2018). Small credit. Press.\n"
    assert f"argmap: error: {path}:7: BIB201" in result.stderr
