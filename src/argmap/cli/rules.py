"""`argmap rules`: the rule table (code, name, default severity, meaning, what to do)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from argmap.cli.common import fail
from argmap.errors import ArgmapError


def rules(
    code: Annotated[
        str | None,
        typer.Argument(help="A code or prefix (CIT2) to explain.", show_default="every rule"),
    ] = None,
) -> None:
    """List the rules: code, name, default severity, what it means and what to do."""
    from argmap.base.rules import RULES, matches

    chosen = [r for r in RULES if code is None or matches(r.code, [code.upper()])]
    if not chosen:
        from argmap.base.suggest import did_you_mean

        fail(
            ArgmapError(
                f"no rule has the code or prefix '{code}'",
                hint=did_you_mean(code or "", [r.code for r in RULES])
                or "argmap rules lists them all",
            )
        )
    width = _terminal_width()
    for r in chosen:
        severity = str(r.severity) if r.severity else "-"
        sys.stdout.write(
            rule_text(f"{r.code} {r.name} ({severity}): {r.meaning}. Fix: {r.fix}.", width)
        )


def rule_text(line: str, width: int | None) -> str:
    """A rule's line: whole when piped (one rule a line, for grep), else wrapped at words to
    ``width`` with a hanging indent (a terminal would cut it mid-word)."""
    if width is None:
        return line + "\n"
    import textwrap

    # (never inside a word: x-incomplete, --unused)
    wrapped = textwrap.fill(
        line,
        width=max(width, 40),
        subsequent_indent="    ",
        break_on_hyphens=False,
        break_long_words=False,
    )
    return wrapped + "\n"


def _terminal_width() -> int | None:
    """The terminal's width when standard output is one ($COLUMNS first), else None."""
    if not sys.stdout.isatty():
        return None
    import shutil

    from argmap.cli.core import console_width

    return console_width() or shutil.get_terminal_size().columns
