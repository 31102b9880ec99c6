"""A test's guard for a TeX Live style file (.bst) it reads through kpsewhich."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def require_style(name: str) -> None:
    """Skip the calling test, saying why, when kpsewhich finds no ``name`` (e.g. plain.bst)."""
    if (
        not shutil.which("kpsewhich")
        or not subprocess.run(["kpsewhich", name], capture_output=True).stdout.strip()
    ):
        pytest.skip(f"TeX Live's {name} is not installed (kpsewhich finds none)")
