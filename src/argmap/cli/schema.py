"""`argmap schema`: the JSON Schema of the map."""

from __future__ import annotations

from enum import StrEnum
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


class Scope(StrEnum):
    """What `argmap schema` describes: the map's two scopes, or the check-citations report."""

    FILE = "file"
    MAP = "map"
    REPORT = "report"


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

        chosen = choice(Scope, scope, "--scope", "scope")
        if chosen is Scope.REPORT:
            from argmap.render.report_schema import report_schema_json

            emit(report_schema_json(), output, force)
        else:
            emit(schema_json(SchemaScope(chosen.value)), output, force)
    except ArgmapError as error:
        fail(error)
