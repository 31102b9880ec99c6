"""The Typer application: the root command with --version, and each command registered from its
own module. The ``cli`` package is the only one that imports typer; everything heavy is imported
inside the command that needs it, so that start-up stays fast.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from argmap import __version__
from argmap.cli import check, common, export, init, refs, rules, schema, show, trace

app = typer.Typer(
    name="argmap",
    help="Argument maps of scholarly papers, and their citations checked against BibTeX.",
    no_args_is_help=True,
    # --install-completion / --show-completion; claim ids and keys complete from the map
    add_completion=True,
    pretty_exceptions_enable=False,
)


def version_callback(value: bool) -> None:
    """Print the version and stop."""
    if value:
        sys.stdout.write(f"argmap {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Argument maps of scholarly papers, and their citations checked against BibTeX."""
    common.reset()


app.command()(show.show)
app.command("check-citations")(check.check_citations)
app.command()(export.export)
app.command()(schema.schema)
app.command()(trace.trace)
app.command()(refs.refs)
app.command()(init.init)
app.command()(rules.rules)
