"""The console-script entry point: answers --version without importing the CLI framework."""

from __future__ import annotations

import sys


def main() -> None:
    """Run argmap; ``argmap --version`` is answered before typer is imported."""
    if sys.argv[1:] == ["--version"]:
        from argmap import __version__

        sys.stdout.write(f"argmap {__version__}\n")
        return
    from argmap.cli import app

    app()
