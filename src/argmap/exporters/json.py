"""JSON export: the validated map (or its focused part), valid against `argmap schema`."""

from __future__ import annotations

from argmap.exporters import ExportContext
from argmap.render.json import map_to_json


def export(ctx: ExportContext) -> str:
    """The map as indented JSON, field names as in the YAML."""
    return map_to_json(ctx.map)
