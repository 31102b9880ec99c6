"""The concise lines read by editors as the README tells them to: VS Code's problem matcher (its
regular expression), Vim's errorformat and Emacs' compilation-mode, on Spanish text whose
characters and bytes differ — each jumps to the citation's first character."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

runner = CliRunner()

REFS = (
    "@book{piore1984, author={Piore, Michael and Sabel, Charles}, title={T}, year={1984},"
    " publisher={P}}\n"
    "@book{nadvi1999, author={Nadvi, Khalid}, title={U}, year={1999}, publisher={P},"
    " x-incomplete={sin páginas}}\n"
)
# "Según", "acción", "también": three characters of two bytes before each citation
TESIS = (
    "\\chapter{Introducción}\n"
    "Según la acción conjunta, véase también \\parencite{piore1985} y \\cite{nadvi1999}.\n"
    "Y Piore y Sabel (1985) también.\n"
)
# The README's problem matcher for VS Code (tasks.json), as a Python regular expression (the
# same syntax for this pattern in JavaScript)
VSCODE = re.compile(r"^(.+):(\d+):(\d+): (error|warning|info) (\S+) (.*)$")
VIM_ERRORFORMAT = r"%f:%l:%v:\ %t%*[a-z]\ %m,%-G%.%#"


@pytest.fixture
def concise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The concise lines (info notes too) of a Spanish chapter, in its folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "tesis.tex").write_text(TESIS, encoding="utf-8")
    result = runner.invoke(
        app,
        ["check-citations", "--no-cache", "--bib", "refs.bib", "tesis.tex", "--all"],
    )
    assert result.exit_code == 1, result.output
    (tmp_path / "quickfix.txt").write_text(result.stdout, encoding="utf-8")
    lines = result.stdout.splitlines()
    assert len(lines) == 4, lines  # an error, a year-mismatch, an info note; the summary
    return lines


def cited_at(line: str) -> str:
    """The text from the column a concise line points at, in the file it names."""
    match = VSCODE.match(line)
    assert match, line
    text = Path(match.group(1)).read_text(encoding="utf-8").splitlines()[int(match.group(2)) - 1]
    return text[int(match.group(3)) - 1 :]


def test_every_problem_line_matches_the_vscode_problem_matcher(concise: list[str]) -> None:
    *problems, summary = concise
    matched = [VSCODE.match(line) for line in problems]
    assert [m.group(4) for m in matched if m] == ["info", "error", "error"]
    assert VSCODE.match(summary) is None
    # columns count characters: each points at what it reports (an entry: its first line)
    assert cited_at(problems[0]).startswith("@book{nadvi1999,")
    assert cited_at(problems[1]).startswith("piore1985}")
    assert cited_at(problems[2]).startswith("(1985)")


@pytest.mark.skipif(
    shutil.which("vim") is None, reason="vim is not installed (.ci/run installs it)"
)
def test_vim_errorformat_jumps_to_each_citation(concise: list[str]) -> None:
    script = (
        f"set errorformat={VIM_ERRORFORMAT}\n"
        "cfile quickfix.txt\n"
        "let found = []\n"
        "for i in range(1, len(getqflist()) + 1)\n"
        "  silent execute 'cc' i\n"
        "  let at = strpart(getline('.'), col('.') - 1, 6)\n"
        "  call add(found, getqflist()[i - 1].type . ' ' . at)\n"
        "endfor\n"
        "redir! > vim.txt\n"
        "echo join(found, ' ')\n"
        "redir END\n"
        "qa!\n"
    )
    Path("script.vim").write_text(script, encoding="utf-8")
    subprocess.run(
        ["vim", "-N", "-u", "NONE", "-i", "NONE", "-es", "-S", "script.vim"],
        check=False,
        timeout=60,
        capture_output=True,
    )
    shown = Path("vim.txt").read_text(encoding="utf-8").split()
    # the summary line is left out (%-G), each problem opened at its character
    assert shown == ["i", "@book{", "e", "piore1", "e", "(1985)"]


EMACS = """
(require 'compile)
(setq compilation-skip-threshold 0)
(with-temp-buffer
  (insert "argmap check-citations\\n")
  (insert-file-contents "quickfix.txt" nil nil nil nil)
  (goto-char (point-max))
  (compilation-mode)
  (compilation--ensure-parse (point-max))
  (goto-char (point-min))
  (condition-case nil
      (while t
        (compilation-next-error 1)
        (let* ((msg (get-text-property (point) 'compilation-message))
               (loc (compilation--message->loc msg)))
          (princ (format "%s %s %s %s\\n" (caar (compilation--loc->file-struct loc))
                         (compilation--loc->line loc) (compilation--loc->col loc)
                         (compilation--message->type msg)))))
    (error nil)))
"""


@pytest.mark.skipif(
    shutil.which("emacs") is None, reason="emacs is not installed (.ci/run installs emacs-nox)"
)
def test_emacs_compilation_mode_reads_file_line_column_and_severity(concise: list[str]) -> None:
    Path("parse.el").write_text(EMACS, encoding="utf-8")
    done = subprocess.run(
        ["emacs", "--batch", "-Q", "-l", "parse.el"],
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    # compilation-mode's types: 2 error, 1 warning, 0 info
    found = [line.split() for line in done.stdout.splitlines()]
    types = {"error": "2", "warning": "1", "info": "0"}
    expected = [VSCODE.match(line) for line in concise[:-1]]
    assert found == [[*m.group(1, 2, 3), types[m.group(4)]] for m in expected if m]
    assert len(found) == 3
