"""pandoc as the oracle of what a defaults file (``-d``) and metadata files (``--metadata-file``)
name: for each case, the keys argmap finds no entry for are exactly those pandoc's citeproc
reports "not found", for pandoc 2.17 (on PATH; CI installs it) and 3.9 (the pypandoc_binary
wheel), run from the same working directory with the same options."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()


def book(key: str, title: str) -> str:
    return f"@book{{{key}, author={{A, B}}, title={{{title}}}, year={{2020}}, publisher={{P}}}}\n"


FILES = {
    "root.bib": book("root1", "R"),
    "sub/sub.bib": book("sub1", "S"),
    "run/run.bib": book("run1", "W"),
    "meta.bib": book("meta1", "M"),
    "doc.bib": book("doc1", "D"),
    "home/u.bib": book("user1", "U"),
}
CITES = "[@root1; @sub1; @run1; @meta1; @doc1; @user1]\n"
PLAIN_DOC = "---\ntitle: t\n---\n\n" + CITES
OWN_DOC = "---\ntitle: t\nbibliography: doc.bib\n---\n\n" + CITES

# name -> (files written, working directory, pandoc options, document)
CASES: dict[str, tuple[dict[str, str], str, list[str], str]] = {
    "defaults-relative-to-working-dir": (
        {"sub/d.yaml": "bibliography: root.bib\nciteproc: true\n"},
        ".",
        ["-d", "sub/d.yaml"],
        "sub/doc.md",
    ),
    "defaults-from-another-dir": (
        {"sub/d.yaml": "bibliography: run.bib\nciteproc: true\n"},
        "run",
        ["-d", "../sub/d.yaml"],
        "../sub/doc.md",
    ),
    "defaults-dot-variable": (
        {"sub/d.yaml": "bibliography: ${.}/sub.bib\nciteproc: true\n"},
        "run",
        ["-d", "../sub/d.yaml"],
        "../sub/doc.md",
    ),
    "defaults-without-extension": (
        {"d.yaml": "bibliography: [root.bib, meta.bib]\nciteproc: true\n"},
        ".",
        ["-d", "d"],
        "sub/doc.md",
    ),
    "defaults-bibliography-replaces-the-documents": (
        {"d.yaml": "bibliography: root.bib\nciteproc: true\n"},
        ".",
        ["-d", "d.yaml"],
        "own.md",
    ),
    "defaults-metadata-replaces-the-documents": (
        {"d.yaml": "metadata:\n  bibliography: meta.bib\nciteproc: true\n"},
        ".",
        ["-d", "d.yaml"],
        "own.md",
    ),
    "metadata-files-yield-to-the-document": (
        {
            "d.yaml": "metadata-files:\n- m.yaml\nciteproc: true\n",
            "m.yaml": "bibliography: meta.bib\n",
        },
        ".",
        ["-d", "d.yaml"],
        "own.md",
    ),
    "metadata-files-where-the-document-names-none": (
        {"d.yaml": "metadata-file: m.yaml\nciteproc: true\n", "m.yaml": "bibliography: meta.bib\n"},
        ".",
        ["-d", "d.yaml"],
        "sub/doc.md",
    ),
    "later-metadata-file-wins": (
        {"m.yaml": "bibliography: meta.bib\n", "n.yaml": "bibliography: root.bib\n"},
        ".",
        ["--citeproc", "--metadata-file", "m.yaml", "--metadata-file", "n.yaml"],
        "sub/doc.md",
    ),
    # --metadata-file alone (no defaults file): its names are relative to the working directory,
    # neither to the metadata file nor to the document
    "metadata-file-alone-relative-to-working-dir": (
        {"sub/m.yaml": "bibliography: root.bib\n"},
        ".",
        ["--citeproc", "--metadata-file", "sub/m.yaml"],
        "sub/doc.md",
    ),
    "metadata-file-alone-from-another-dir": (
        {"sub/m.yaml": "bibliography: run.bib\n"},
        "run",
        ["--citeproc", "--metadata-file", "../sub/m.yaml"],
        "../sub/doc.md",
    ),
    "nested-defaults": (
        {
            "d.yaml": "defaults: sub/e.yaml\nciteproc: true\n",
            "sub/e.yaml": "bibliography: root.bib\n",
        },
        ".",
        ["-d", "d.yaml"],
        "sub/doc.md",
    ),
    "resource-path": (
        {"d.yaml": "bibliography: sub.bib\nresource-path: [sub]\nciteproc: true\n"},
        ".",
        ["-d", "d.yaml"],
        "sub/doc.md",
    ),
    "two-defaults-bibliographies-add-up": (
        {
            "d.yaml": "bibliography: root.bib\nciteproc: true\n",
            "e.yaml": "bibliography: meta.bib\n",
        },
        ".",
        ["-d", "d.yaml", "-d", "e.yaml"],
        "sub/doc.md",
    ),
    "two-defaults-metadata-files-add-up": (
        {
            "d.yaml": "metadata-files: [m.yaml]\nciteproc: true\n",
            "e.yaml": "metadata-files: [n.yaml]\n",
            "m.yaml": "references:\n- id: sub1\n  type: book\n  title: S\n  issued: 2020\n",
            "n.yaml": "bibliography: root.bib\n",
        },
        ".",
        ["-d", "d.yaml", "-d", "e.yaml"],
        "sub/doc.md",
    ),
    "user-data-defaults-and-variable": (
        {
            "home/.local/share/pandoc/defaults/ud.yaml": "bibliography: ${USERDATA}/u.bib\n"
            "citeproc: true\n",
            "home/.local/share/pandoc/u.bib": book("user1", "U"),
        },
        ".",
        ["-d", "ud"],
        "sub/doc.md",
    ),
}


def pandocs() -> list[object]:
    found: list[object] = []
    system = shutil.which("pandoc")
    found.append(
        pytest.param(
            system,
            id="pandoc-on-path",
            marks=pytest.mark.skipif(
                system is None, reason="no pandoc on PATH (CI installs Debian's pandoc 2.17)"
            ),
        )
    )
    try:
        import pypandoc

        wheel: str | None = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        wheel = None
    found.append(
        pytest.param(
            wheel,
            id="pandoc-wheel",
            marks=pytest.mark.skipif(wheel is None, reason="pypandoc_binary is not installed"),
        )
    )
    return found


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def setup(tmp_path: Path, case: str) -> tuple[Path, list[str], str]:
    files, cwd, options, document = CASES[case]
    write(tmp_path, {**FILES, "sub/doc.md": PLAIN_DOC, "own.md": OWN_DOC, **files})
    return tmp_path / cwd, options, document


def pandoc_not_found(pandoc: str, cwd: Path, options: list[str], document: str) -> set[str]:
    env = {**os.environ, "HOME": str(cwd / "home"), "XDG_DATA_HOME": ""}
    result = subprocess.run(
        [pandoc, *options, document, "-t", "plain", "-o", os.devnull],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(re.findall(r"[Cc]itation (\S+) not found", result.stderr))


def argmap_not_found(
    cwd: Path, options: list[str], document: str, monkeypatch: pytest.MonkeyPatch
) -> set[str]:
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HOME", str(cwd / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    ours = [o for o in options if o != "--citeproc"]
    result = runner.invoke(app, ["check-citations", "--format", "json", *ours, document])
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    return {c["cited_key"] for c in data["citations"] if c["status"] == "unknown-key"}


@pytest.mark.parametrize("pandoc", pandocs())
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_keys_pandoc_cannot_find_are_argmaps_unknown_keys(
    case: str, pandoc: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd, options, document = setup(tmp_path, case)
    expected = pandoc_not_found(pandoc, cwd, options, document)
    assert expected != {"root1", "sub1", "run1", "meta1", "doc1", "user1"}  # something resolved
    assert argmap_not_found(cwd, options, document, monkeypatch) == expected


def test_cases_differ(tmp_path: Path) -> None:
    """The cases are not all the same bibliography (each would pass with a fixed answer)."""
    chosen = {frozenset(files.values()) for files, *_ in CASES.values()}
    assert len(chosen) > 5


@pytest.mark.parametrize("pandoc", pandocs())
@pytest.mark.parametrize(
    "run",
    [["-d", "d.yaml"], ["--metadata-file", "d.yaml"]],
    ids=["defaults", "metadata-file-alone"],
)
def test_a_name_pandoc_run_here_cannot_find_is_an_error_as_pandocs(
    pandoc: str, run: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .md in sub/ names sub.bib, which lies beside it; pandoc -d (or --metadata-file) run
    from the root looks for it in the working directory and stops: so does argmap, saying
    where it is."""
    write(tmp_path, {**FILES, "sub/p.md": "---\nbibliography: sub.bib\n---\n\n[@sub1]\n"})
    (tmp_path / "d.yaml").write_text("citeproc: true\n", encoding="utf-8")
    options = [run[0], run[1]] if run[0] == "-d" else ["--citeproc", *run]
    result = subprocess.run(
        [pandoc, *options, "sub/p.md", "-t", "plain"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "sub.bib not found" in result.stderr
    monkeypatch.chdir(tmp_path)
    ours = runner.invoke(app, ["check-citations", *run, "sub/p.md"])
    assert ours.exit_code == 2
    assert "sub/p.md:2 bibliography: 'sub.bib': no such file" in ours.stderr
    assert "sub/sub.bib is beside the document" in ours.stderr
    # from the document's folder, pandoc and argmap both find it
    (tmp_path / "sub" / "d.yaml").write_text("citeproc: true\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "sub")
    ours = runner.invoke(app, ["check-citations", *run, "--format", "json", "p.md"])
    assert ours.exit_code == 0, ours.stderr


@pytest.mark.parametrize("pandoc", pandocs())
@pytest.mark.parametrize(
    ("named", "said"),
    [
        # beside the metadata file, not in the working directory
        (
            "sub.bib",
            "sub/sub.bib is beside the metadata file, but pandoc reads its names relative "
            "to the working directory: write it as sub/sub.bib",
        ),
        # ${.} is a defaults file's variable: pandoc leaves it as written in a metadata file
        (
            "${.}/sub.bib",
            "pandoc expands ${.} and ${VAR} in a defaults file, not in a metadata file",
        ),
    ],
)
def test_a_metadata_files_name_pandoc_cannot_find_is_an_error_as_pandocs(
    pandoc: str, named: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {**FILES, "sub/doc.md": PLAIN_DOC, "sub/m.yaml": f"bibliography: {named}\n"})
    result = subprocess.run(
        [pandoc, "--citeproc", "--metadata-file", "sub/m.yaml", "sub/doc.md", "-t", "plain"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert f"{named} not found" in result.stderr
    monkeypatch.chdir(tmp_path)
    ours = runner.invoke(app, ["check-citations", "--metadata-file", "sub/m.yaml", "sub/doc.md"])
    assert ours.exit_code == 2 and ours.stdout == ""
    assert ours.stderr.startswith(f"argmap: error: sub/m.yaml:1 bibliography: '{named}': no such")
    assert said in ours.stderr
    assert "for the defaults file's folder" not in ours.stderr


def test_a_metadata_files_name_beside_the_document_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {**FILES, "sub/doc.md": PLAIN_DOC, "m.yaml": "bibliography: sub.bib\n"})
    monkeypatch.chdir(tmp_path)
    ours = runner.invoke(app, ["check-citations", "--metadata-file", "m.yaml", "sub/doc.md"])
    assert ours.exit_code == 2
    assert "sub/sub.bib is beside the document, but pandoc reads a metadata file's names" in (
        ours.stderr
    )
