"""Paging long output through ``less`` (or ``$PAGER``), as git does: only on a terminal."""

from __future__ import annotations

import os
import shlex
import shutil
import sys

from argmap.errors import ArgmapError

# git's default: quit if one screen (-F), keep colours (-R), leave the text on screen (-X).
DEFAULT_LESS = "FRX"


def stdout_is_terminal() -> bool:
    """Whether standard output is an interactive terminal (never when piped or redirected)."""
    return sys.stdout.isatty()


def terminal_height() -> int:
    """The terminal's rows ($LINES first, as the shell sets it)."""
    return shutil.get_terminal_size().lines


def pager_command() -> list[str] | None:
    """The pager to run: $ARGMAP_PAGER, else $PAGER, else ``less``; None when it is not installed
    or is ``cat`` (a user who set PAGER=cat asked for no paging)."""
    raw = os.environ.get("ARGMAP_PAGER") or os.environ.get("PAGER") or "less"
    try:
        argv = shlex.split(raw)
    except ValueError:
        return None
    if not argv or argv[0] == "cat" or shutil.which(argv[0]) is None:
        return None
    return argv


def should_page(requested: bool | None, text: str) -> bool:
    """Page when asked (``--pager``), or by default when the text is taller than the terminal;
    never when standard output is not a terminal, nor under ``--no-pager``."""
    if requested is False or not stdout_is_terminal():
        return False
    if requested:
        return True
    return text.count("\n") > terminal_height()


def page(text: str, required: bool) -> None:
    """Show ``text`` through the pager; print it instead when there is none and it was not
    ``required`` (an explicit --pager without a pager is an error: there is no silent fallback)."""
    argv = pager_command()
    if argv is None:
        if required:
            raise ArgmapError(
                "--pager: no pager found",
                hint="install less, or set PAGER (or ARGMAP_PAGER) to a pager command",
            )
        sys.stdout.write(text)
        return
    import subprocess  # only when paging: show's usual path stays light

    env = dict(os.environ)
    env.setdefault("LESS", DEFAULT_LESS)
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
    except OSError as exc:
        raise ArgmapError(f"--pager: cannot run {argv[0]}: {exc.strerror}") from None
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode("utf-8"))
        proc.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit before the end (q in less): not an error
    while True:
        try:
            proc.wait()
            break
        except KeyboardInterrupt:
            continue  # Ctrl-C belongs to the pager while it runs, as with git
