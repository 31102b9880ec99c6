"""The JSON Schema of the map, generated from the models, for editors and validators."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from argmap import __version__

DIALECT = "https://json-schema.org/draft/2020-12/schema"


class SchemaScope(StrEnum):
    """What a schema describes: one YAML file of a map, or a whole map (`export --format json`)."""

    FILE = "file"
    MAP = "map"


def schema(scope: SchemaScope) -> dict[str, Any]:
    """The JSON Schema for ``scope``, with the dialect and a description of where it came from."""
    from argmap.map.models import ArgumentMap, MapFile

    model = MapFile if scope is SchemaScope.FILE else ArgumentMap
    body = model.model_json_schema()
    what = "one YAML file of an argmap map" if scope is SchemaScope.FILE else "an argmap map"
    body.pop("description", None)
    return {
        "$schema": DIALECT,
        "title": f"argmap {scope.value}",
        "description": f"{what} (argmap {__version__}; generated from its Pydantic models)",
        **{k: v for k, v in body.items() if k != "title"},
    }


def schema_json(scope: SchemaScope) -> str:
    """The schema as indented JSON."""
    return json.dumps(schema(scope), ensure_ascii=False, indent=2) + "\n"
