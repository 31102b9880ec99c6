"""Asking kpathsea (``kpsewhich``) where the TeX distribution keeps a file: an ``\\input`` of
one of its files, a ``\\bibliography{}`` of one of its .bib files."""

from __future__ import annotations

from pathlib import Path


def kpsewhich(names: list[str], folder: Path | None = None, timeout: float = 10) -> list[str]:
    """The paths kpsewhich prints for ``names``, searched from ``folder`` (else the working
    directory): one line per name found, none when kpsewhich is not installed, fails or takes
    longer than ``timeout`` seconds. A name starting with ``-`` is never passed (an option)."""
    import shutil
    import subprocess

    program = shutil.which("kpsewhich")
    if program is None or not names or any(not n or n.startswith("-") for n in names):
        return []
    try:
        done = subprocess.run(
            [program, *names],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return done.stdout.strip().splitlines()
