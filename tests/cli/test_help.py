"""`argmap --help` and each command's: every command's summary in the listing is one sentence
that Rich wraps, not a docstring's hard line breaks (check-citations' was cut mid-sentence)."""

from __future__ import annotations

import pytest
import typer.main

from argmap.cli.app import app

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_commands_summary_is_one_unbroken_sentence(name: str) -> None:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    first = (command.help or "").split("\n\n")[0]
    assert "\n" not in first.strip(), f"{name}: {first!r}"
    assert first.strip().endswith("."), first


def test_every_command_is_listed() -> None:
    assert COMMANDS == [
        "browse",
        "check-citations",
        "export",
        "init",
        "refs",
        "rules",
        "schema",
        "show",
        "trace",
    ]
