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
    for r in chosen:
        severity = str(r.severity) if r.severity else "-"
        sys.stdout.write(f"{r.code} {r.name} ({severity}): {r.meaning}. Fix: {r.fix}.\n")
