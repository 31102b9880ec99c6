"""JSON renderings: the validated map."""

from __future__ import annotations

import json

from argmap.models import ArgumentMap


def map_to_json(argmap: ArgumentMap) -> str:
    """The validated map as indented JSON, field names as in the YAML."""
    return json.dumps(argmap.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
