"""\\iftoggle, \\nottoggle and \\ifthenelse{\\boolean{...}} in a LaTeX manuscript: the branch the
file decides is kept, the other blanked; an undecided one keeps both. Held to what pdflatex
writes to the .aux (tests/data/tools/branches, see its README)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.manuscripts.branches import may_branch, taken_branches

BRANCHES = Path(__file__).parents[1] / "data" / "tools" / "branches"
runner = CliRunner()
# what pdflatex (TeX Live 2022, etoolbox, ifthen) wrote to branches.aux: \citation{a}, {d},
# {e}, {h}, {j}, {m}
LATEX = ["a", "d", "e", "h", "j", "m"]
# argmap keeps both branches of \ifthenelse{\equal{a}{b}} (i, j) and of a toggle set in a
# group (m, n): it does not decide those
ARGMAP = ["a", "d", "e", "h", "i", "j", "m", "n"]


def cited(text: str) -> list[str]:
    return re.findall(r"\\cite\{(\w+)\}", text)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("\\newtoggle{t}\\toggletrue{t}\n\\iftoggle{t}{\\cite{a}}{\\cite{b}}", ["a"]),
        ("\\newtoggle{t}\n\\iftoggle{t}{\\cite{a}}\n  {\\cite{b}}", ["b"]),
        ("\\newtoggle{t}\\settoggle{t}{true}\\nottoggle{t}{\\cite{a}}{\\cite{b}}", ["b"]),
        (
            "\\newboolean{d}\\setboolean{d}{true}\\ifthenelse{\\boolean{d}}{\\cite{a}}{\\cite{b}}",
            ["a"],
        ),
        ("\\newboolean{d}\\ifthenelse{\\not\\boolean{d}}{\\cite{a}}{\\cite{b}}", ["a"]),
        # not decided from the file: both kept
        ("\\iftoggle{fromclass}{\\cite{a}}{\\cite{b}}", ["a", "b"]),
        ("\\ifthenelse{\\equal{x}{y}}{\\cite{a}}{\\cite{b}}", ["a", "b"]),
        ("\\newtoggle{t}{\\toggletrue{t}}\\iftoggle{t}{\\cite{a}}{\\cite{b}}", ["a", "b"]),
        (
            "\\newtoggle{t}\\newcommand{\\on}{\\toggletrue{t}}\\iftoggle{t}{\\cite{a}}{\\cite{b}}",
            ["a", "b"],
        ),
        # a setting inside a dropped branch does not run; one in a taken branch does
        (
            "\\newtoggle{t}\\newtoggle{u}\\iftoggle{t}{\\toggletrue{u}}{}"
            "\\iftoggle{u}{\\cite{a}}{\\cite{b}}",
            ["b"],
        ),
        (
            "\\newtoggle{t}\\newtoggle{u}\\iftoggle{t}{}{\\toggletrue{u}}"
            "\\iftoggle{u}{\\cite{a}}{\\cite{b}}",
            ["a"],
        ),
        # a brace in a comment or escaped is no brace
        ("\\newtoggle{t}\\iftoggle{t}{\\cite{a} % }\n\\}}{\\cite{b}}", ["b"]),
        ("% \\toggletrue{t}\n\\newtoggle{t}\\iftoggle{t}{\\cite{a}}{\\cite{b}}", ["b"]),
        # a file read after the toggle is made may set it (settings.tex: \toggletrue{t}):
        # pdflatex wrote \citation{a}; both kept; a toggle made after the file is known
        ("\\newtoggle{t}\\input{settings}\n\\iftoggle{t}{\\cite{a}}{\\cite{b}}", ["a", "b"]),
        (
            "\\newboolean{d}\\include{setup}\\ifthenelse{\\boolean{d}}{\\cite{a}}{\\cite{b}}",
            ["a", "b"],
        ),
        ("\\input settings\n\\newtoggle{t}\\iftoggle{t}{\\cite{a}}{\\cite{b}}", ["b"]),
    ],
    ids=[
        "toggle-true",
        "toggle-false-next-line",
        "nottoggle",
        "boolean",
        "not-boolean",
        "unknown-toggle",
        "equal",
        "set-in-group",
        "set-in-definition",
        "set-in-dropped-branch",
        "set-in-taken-branch",
        "comment-brace",
        "commented-setter",
        "input-after-toggle",
        "include-after-boolean",
        "toggle-after-input",
    ],
)
def test_the_branch_taken(text: str, keys: list[str]) -> None:
    assert may_branch(text)
    out = taken_branches(text)
    assert (len(out), out.count("\n")) == (len(text), text.count("\n"))  # places kept
    assert cited(out) == keys


def test_a_text_without_them_is_not_read() -> None:
    assert not may_branch("\\iffalse \\cite{a} \\fi \\ifdefined\\x \\cite{b}\\fi")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "branches"
    shutil.copytree(BRANCHES, root)
    monkeypatch.chdir(root)
    return root


def test_check_citations_keeps_the_branches_taken(folder: Path) -> None:
    result = runner.invoke(
        app, ["check-citations", "branches.tex", "--no-cache", "--output-format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    out = json.loads(result.stdout)
    assert [c["key"] for c in out["citations"]] == ARGMAP
    # g, cited only in a branch not taken, has no entry: no longer an unknown key
    assert not [p for p in out["problems"] if p["code"] == "CIT204"]
    assert set(LATEX) <= set(ARGMAP)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_latex_itself_cites_so(folder: Path) -> None:
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "branches.tex"],
        cwd=folder,
        capture_output=True,
        timeout=120,
    )
    aux = (folder / "branches.aux").read_text()
    assert re.findall(r"\\citation\{(\w+)\}", aux) == LATEX
