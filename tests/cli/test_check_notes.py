"""The notes `check-citations` writes on stderr on what each manuscript is checked against: one
each for a few manuscripts, one line for many that say the same (a book's chapters under
pre-commit), one each again with ``--all``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()

REFS = "@book{smith2020, author={Smith, Ann}, title={S}, year={2020}, publisher={P}}\n"
OTHER = "@book{jones2021, author={Jones, Bo}, title={J}, year={2021}, publisher={P}}\n"


@pytest.fixture(autouse=True)
def outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no arguments/ and no configuration are found."""
    monkeypatch.chdir(tmp_path)


def chapters(folder: Path, count: int, bib: str = "../refs.bib", line: int = 2) -> list[str]:
    """``count`` chapters naming ``bib`` in their front matter at ``line`` (padded with a title),
    each citing smith2020 and a missing key."""
    (folder / "chapters").mkdir(exist_ok=True)
    names = []
    for number in range(1, count + 1):
        path = folder / "chapters" / f"ch{number:02}.md"
        title = "title: T\n" * (line - 2)
        path.write_text(f"---\n{title}bibliography: {bib}\n---\n\n@smith2020 [@nobody1999]\n")
        names.append(f"chapters/ch{number:02}.md")
    return names


def notes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("argmap: note:")]


def test_three_manuscripts_get_a_note_each(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(REFS)
    result = runner.invoke(app, ["check-citations", "--format", "concise", *chapters(tmp_path, 3)])
    assert result.exit_code == 1
    assert notes(result.stderr) == [
        f"argmap: note: chapters/ch0{n}.md: bibliography refs.bib, named in its front matter "
        "(line 2)"
        for n in (1, 2, 3)
    ]


def test_many_manuscripts_naming_the_same_bibliography_are_one_note(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(REFS)
    # the line each names it at differs; what they say is still the same
    names = chapters(tmp_path, 30)
    (tmp_path / "chapters" / "ch07.md").write_text(
        "---\ntitle: T\nbibliography: ../refs.bib\n---\n\n@smith2020 [@nobody1999]\n"
    )
    result = runner.invoke(app, ["check-citations", "--format", "concise", *names])
    assert result.exit_code == 1
    assert notes(result.stderr) == [
        "argmap: note: bibliography refs.bib, named in its front matter, for 30 manuscripts: "
        "chapters/ch01.md, chapters/ch02.md, chapters/ch03.md and 27 more "
        "(--all: a note for each)"
    ]
    # the problems are all still there, one per chapter
    assert result.stdout.count("CIT204") == 30


def test_all_gives_each_manuscript_its_note(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(REFS)
    names = chapters(tmp_path, 5)
    result = runner.invoke(app, ["check-citations", "--format", "concise", "--all", *names])
    assert result.exit_code == 1
    assert len(notes(result.stderr)) == 5
    assert all("(line 2)" in note for note in notes(result.stderr))


def test_manuscripts_naming_different_bibliographies_keep_apart(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(REFS)
    (tmp_path / "other.bib").write_text(OTHER)
    names = chapters(tmp_path, 4)
    for number in (5, 6):
        (tmp_path / "chapters" / f"ch{number:02}.md").write_text(
            "---\nbibliography: ../other.bib\n---\n\n@jones2021\n"
        )
    names += ["chapters/ch05.md", "chapters/ch06.md"]
    result = runner.invoke(app, ["check-citations", "--format", "concise", *names])
    assert result.exit_code == 1
    assert notes(result.stderr) == [
        "argmap: note: bibliography refs.bib, named in its front matter, for 4 manuscripts: "
        "chapters/ch01.md, chapters/ch02.md, chapters/ch03.md and 1 more "
        "(--all: a note for each)",
        "argmap: note: chapters/ch05.md: bibliography other.bib, named in its front matter "
        "(line 2)",
        "argmap: note: chapters/ch06.md: bibliography other.bib, named in its front matter "
        "(line 2)",
    ]
