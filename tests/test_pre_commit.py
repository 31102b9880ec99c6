"""argmap's hooks run by pre-commit itself, as a writer's repository runs them: the hook installed
by pre-commit from `.pre-commit-hooks.yaml` (``language: python``, a fresh environment), the files
pre-commit passes (a staged chapter alone, a staged .bib alone, every file), and the output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]

REFS = """@article{schmitz1995,
  author = {Hubert Schmitz},
  title = {Collective Efficiency: Growth Path for Small-Scale Industry},
  journal = {Journal of Development Studies},
  year = {1995},
  volume = {31},
  pages = {529--566}
}
@book{piore1984,
  author = {Michael J. Piore and Charles F. Sabel},
  title = {The Second Industrial Divide},
  publisher = {Basic Books},
  year = {1984}
}
"""
CSL = (
    '[{"id": "nadvi1999", "type": "article-journal", "title": "Industrial clusters", '
    '"author": [{"family": "Nadvi", "given": "Khalid"}], "issued": {"date-parts": [[1999]]}}]\n'
)
# A writer's repository: a thesis in chapters (one names its root with % !TEX root, one is only
# \include'd), a Quarto book whose _quarto.yml names the bibliography, a Markdown paper with a
# CSL-JSON export, and the README every repository has.
WRITER = {
    "README.md": "# Thesis\n\nBuild with latexmk; the template follows Smith (2015).\n",
    "requirements.txt": "pandoc\n",
    "thesis/refs.bib": REFS,
    "thesis/main.tex": (
        "\\documentclass{book}\n\\usepackage[style=authoryear]{biblatex}\n"
        "\\addbibresource{refs.bib}\n\\begin{document}\n\\include{chapters/ch1}\n"
        "\\include{chapters/ch2}\n\\printbibliography\n\\end{document}\n"
    ),
    "thesis/chapters/ch1.tex": (
        "% !TEX root = ../main.tex\n\\chapter{Uno}\nSegún \\textcite{schmitz1995}, y "
        "\\parencite{piore1985}.\n"
    ),
    "thesis/chapters/ch2.tex": "\\chapter{Dos}\nEl camino bajo \\parencite{schmits1995}.\n",
    "book/_quarto.yml": "project:\n  type: book\nbibliography: refs.bib\n",
    "book/refs.bib": REFS,
    "book/index.qmd": "# Prefacio\n\nComo muestra @schmitz1995, y Sabel [-@sabel1989].\n",
    # Quarto's reference-doc: a Word style template, no manuscript (not even a Word file here:
    # argmap would refuse it, were it passed)
    "book/custom-reference.docx": "styles\n",
    # Word's lock file of an open document, committed by mistake (real repositories hold them)
    "book/~$dex.docx": "\x03Ana" + "\x00" * 40,
    "paper/paper.md": "---\nbibliography: zotero.json\n---\n\nClusters [@nadvi1999; @nadvi2001].\n",
    "paper/zotero.json": CSL,
}


def git(folder: Path, *args: str) -> None:
    """Run git quietly in ``folder``, as a fixed author."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout as pre-commit clones it: a git repository of the files it installs from."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed (pre-commit needs it)")
    folder = tmp_path_factory.mktemp("argmap-hooks")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    # what this checkout holds, uncommitted changes too (tests and benchmarks are not installed)
    for name in listed.split("\0"):
        if not name or name.startswith(("tests/", "bench/")) or not (REPO / name).is_file():
            continue
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, folder / name)
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "argmap")
    return folder


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory, hooks_repo: Path) -> Iterator[Path]:
    """A writer's repository whose .pre-commit-config.yaml uses argmap's hook."""
    folder = tmp_path_factory.mktemp("writer")
    for name, text in WRITER.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hooks_repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    (folder / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks_repo}\n    rev: {rev}\n    hooks:\n"
        "      - id: argmap-check-citations\n"
        "        alias: plain\n"
        "      - id: argmap-check-citations\n"
        "        alias: with-csl\n"
        # the README's recipe: the CSL-JSON export named in files:, so a new export is checked
        "        files: (?i)\\.(tex|md|qmd|bib)$|(^|/)zotero\\.json$\n",
        encoding="utf-8",
    )
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "draft")
    yield folder


def pre_commit(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit run ARGS`` in ``folder``, with its own store (a fresh environment)."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(folder.parent / "pre-commit-home")}
    env.pop("PRE_COMMIT_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_all_files_reports_each_problem_once_against_each_documents_bibliography(
    writer: Path,
) -> None:
    result = pre_commit(writer, "plain", "--all-files")
    out = result.stdout
    assert result.returncode == 1, out
    assert "- exit code: 1" in out
    # the chapter named beside its root file is read twice, and reported once
    assert out.count("thesis/chapters/ch1.tex:3:") == 1
    # columns count characters: "Según" is 5 of them (6 bytes)
    assert "thesis/chapters/ch1.tex:3:44: error CIT204 unknown key 'piore1985'" in out
    assert "thesis/chapters/ch2.tex:2:27: error CIT204 unknown key 'schmits1995'" in out
    assert "book/index.qmd:3:37: error CIT204 unknown key 'sabel1989'" in out
    assert "paper/paper.md:5:23: error CIT204 unknown key 'nadvi2001'" in out
    assert "7 citations: 3 ok, 4 unknown keys · 4 errors" in out
    # the two projects' refs.bib are not one bibliography: no key of theirs clashes
    assert "BIB204" not in out
    # the README, requirements.txt and a reference-doc are no manuscripts: the hook's exclude:
    # keeps them out
    assert "README.md" not in out and "requirements.txt" not in out
    assert "custom-reference.docx" not in out
    assert "~$dex.docx" not in out
    assert "\x1b[" not in out  # no colour codes in what pre-commit shows


def test_a_chapter_staged_alone_is_checked_against_its_root_files_bibliography(
    writer: Path,
) -> None:
    result = pre_commit(writer, "plain", "--files", "thesis/chapters/ch2.tex")
    assert result.returncode == 1, result.stdout
    assert "thesis/chapters/ch2.tex:2:27: error CIT204 unknown key 'schmits1995'" in result.stdout
    assert "[did you mean 'schmitz1995'?]" in result.stdout
    assert "named by \\addbibresource in thesis/main.tex, the root file that includes it" in (
        result.stdout
    )


def test_a_bib_staged_alone_is_checked_with_the_documents_that_name_it(writer: Path) -> None:
    # the thesis beside refs.bib is built with it: a key renamed in the .bib breaks its chapters
    result = pre_commit(writer, "plain", "--files", "thesis/refs.bib")
    assert result.returncode == 1, result.stdout
    assert "thesis/refs.bib: checked with the documents beside it that name it: " in (result.stdout)
    assert "thesis/chapters/ch2.tex:2:27: error CIT204 unknown key 'schmits1995'" in result.stdout
    assert "book/" not in result.stdout and "paper/" not in result.stdout
    # a .bib nothing beside it names is checked on its own
    broken = writer / "thesis" / "broken.bib"
    broken.write_text("@article{a,\n  title = {x},\n  title = {y}\n}\n@book{a, title={z}}\n")
    try:
        result = pre_commit(writer, "plain", "--files", "thesis/broken.bib")
    finally:
        broken.unlink()
    assert result.returncode == 1, result.stdout
    assert "thesis/broken.bib:5:1: error BIB204 duplicate key 'a'" in result.stdout
    assert "CIT204" not in result.stdout


def test_a_csl_json_export_named_in_files_is_read_as_a_bibliography(writer: Path) -> None:
    export = writer / "paper" / "zotero.json"
    export.write_text('[{"id": "nadvi1999", "type": "article-journal",\n', encoding="utf-8")
    try:
        result = pre_commit(writer, "with-csl", "--files", "paper/zotero.json")
        plain = pre_commit(writer, "plain", "--files", "paper/zotero.json")
    finally:
        export.write_text(CSL, encoding="utf-8")
    assert result.returncode == 1 and "- exit code: 2" in result.stdout, result.stdout
    assert "argmap: error: paper/zotero.json:2: not valid CSL-JSON" in result.stdout
    assert "Traceback" not in result.stdout
    # the hook's own files: leaves JSON out (package.json is no bibliography)
    assert plain.returncode == 0 and "no files to check" in plain.stdout
