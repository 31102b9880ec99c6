"""The console-script entry point: answers --version without importing the CLI framework, and
replays the cached result of an unchanged read-only command (see ``argmap.memo``)."""

from __future__ import annotations

import sys


def main() -> None:
    """Run argmap; ``argmap --version`` is answered before typer is imported."""
    argv = sys.argv[1:]
    if argv == ["--version"]:
        from argmap import __version__

        sys.stdout.write(f"argmap {__version__}\n")
        return
    from argmap import memo

    key = memo.key_for(argv)
    if key is not None:
        code = memo.replay(key)
        if code is not None:
            sys.exit(code)
        memo.record(key, run)
    else:
        run()


def run() -> None:
    """Run the Typer application."""
    from argmap.cli import app

    app()
