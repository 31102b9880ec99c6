"""`check-citations` run by a Quarto project's pre-render: the files Quarto is about to render
(``QUARTO_PROJECT_INPUT_FILES``, or the file ``QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES`` names)
are the manuscripts when none is given; nothing of it outside a Quarto render."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.project.prerender import quarto_render_inputs

runner = CliRunner()

REFS = "@book{smith2020, author={Smith, Ann}, title={S}, year={2020}, publisher={P}}\n"


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Quarto book whose _quarto.yml names refs.bib, as the working directory (Quarto runs
    pre-render in the project's directory); Quarto's variables unset."""
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: book\nbook:\n  chapters: [index.qmd, one.qmd, two.qmd]\n"
        "bibliography: refs.bib\n"
    )
    (tmp_path / "refs.bib").write_text(REFS)
    (tmp_path / "index.qmd").write_text("# Prefacio\n")
    (tmp_path / "one.qmd").write_text("# Uno\n\nComo [@smith2020].\n")
    (tmp_path / "two.qmd").write_text("# Dos\n\nComo [@smith2021].\n")
    monkeypatch.chdir(tmp_path)
    for name in (
        "QUARTO_PROJECT_INPUT_FILES",
        "QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES",
        "QUARTO_PROJECT_OUTPUT_DIR",
        "QUARTO_PROJECT_RENDER_ALL",
    ):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def prerender(monkeypatch: pytest.MonkeyPatch, files: str, render_all: bool = False) -> None:
    """The environment Quarto gives a pre-render command."""
    monkeypatch.setenv("QUARTO_PROJECT_OUTPUT_DIR", "_book")
    monkeypatch.setenv("QUARTO_PROJECT_INPUT_FILES", files)
    if render_all:
        monkeypatch.setenv("QUARTO_PROJECT_RENDER_ALL", "1")


def test_a_full_render_checks_every_chapter(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prerender(monkeypatch, "index.qmd\none.qmd\ntwo.qmd\nnotebook.ipynb", render_all=True)
    result = runner.invoke(app, ["check-citations", "--output-format", "concise"])
    assert result.exit_code == 1, result.output
    assert "two.qmd:3:7: error CIT204 unknown key 'smith2021'" in result.stdout
    assert "2 citations: 1 ok, 1 unknown key" in result.stdout
    assert "shipped demo map" not in result.stderr
    assert (
        "argmap: note: QUARTO_PROJECT_INPUT_FILES: notebook.ipynb not checked (argmap reads no "
        "such file)" in result.stderr
    )


def test_a_preview_of_one_chapter_checks_that_chapter(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prerender(monkeypatch, "one.qmd")
    result = runner.invoke(app, ["check-citations", "--output-format", "concise"])
    assert result.exit_code == 0, result.output
    assert "1 citation: 1 ok" in result.stdout


def test_the_list_in_a_file_when_the_user_asks_quarto_for_one(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = tmp_path / "inputs.txt"
    listing.write_text("two.qmd\n")
    prerender(monkeypatch, "")
    monkeypatch.delenv("QUARTO_PROJECT_INPUT_FILES")
    monkeypatch.setenv("QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES", str(listing))
    result = runner.invoke(app, ["check-citations", "--output-format", "concise"])
    assert result.exit_code == 1
    assert "two.qmd:3:7: error CIT204" in result.stdout


def test_files_given_win_over_quartos_list(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prerender(monkeypatch, "two.qmd")
    result = runner.invoke(app, ["check-citations", "--output-format", "concise", "one.qmd"])
    assert result.exit_code == 0, result.output


def test_nothing_of_it_outside_a_quarto_render(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a list file named in the user's own environment is the last render's: not read
    listing = tmp_path / "inputs.txt"
    listing.write_text("two.qmd\n")
    monkeypatch.setenv("QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES", str(listing))
    monkeypatch.setenv("QUARTO_PROJECT_INPUT_FILES", "two.qmd")
    assert quarto_render_inputs((".qmd",)) is None
    monkeypatch.setenv("QUARTO_PROJECT_OUTPUT_DIR", "_book")
    found = quarto_render_inputs((".qmd",))
    assert found is not None and found.manuscripts == [Path("two.qmd")]


def test_a_missing_list_file_is_one_error(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prerender(monkeypatch, "")
    monkeypatch.setenv("QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES", str(book / "gone.txt"))
    result = runner.invoke(app, ["check-citations"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "gone.txt" in result.stderr and "QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
