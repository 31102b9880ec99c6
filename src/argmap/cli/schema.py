"""`argmap schema`: the JSON Schema of the map."""

from __future__ import annotations

from typing import Annotated

import typer

from argmap.cli.common import (
    ForceOption,
    OutputOption,
    choice,
    emit,
    fail,
)
from argmap.errors import ArgmapError


def schema(
    scope: Annotated[
        str,
        typer.Option(
            "--scope",
            help="file: one YAML file of a map (for editors); map: a whole map; report: the "
            "JSON report of check-citations.",
        ),
    ] = "file",
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Print the JSON Schema of the map, generated from its models."""
    try:
        from argmap.map.schema import SchemaScope, schema_json

        chosen = choice(SchemaScope, scope, "--scope", "scope")
        if chosen is SchemaScope.REPORT:
            from argmap.render.report_schema import report_schema_json

            emit(report_schema_json(), output, force)
        else:
            emit(schema_json(chosen), output, force)
    except ArgmapError as error:
        fail(error)
