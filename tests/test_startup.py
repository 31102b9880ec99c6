"""Start-up stays light: importing the CLI pulls in none of the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("bibtexparser", "pydantic", "yaml", "rapidfuzz", "rich", "pylatexenc")


def test_importing_cli_imports_no_heavy_module() -> None:
    code = f"import sys, argmap.cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_version_imports_no_framework() -> None:
    code = (
        "import sys; sys.argv = ['argmap', '--version']; from argmap.entry import main; main(); "
        f"print(','.join(m for m in ('typer', 'click') + {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    version_line, loaded = out.stdout.splitlines()
    assert version_line.startswith("argmap ")
    assert loaded == ""
