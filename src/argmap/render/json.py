"""JSON renderings: the validated map and the check-citations report (no Rich needed)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from argmap.base.sanitize import json_safe

if TYPE_CHECKING:
    from argmap.checks.citations import Report
    from argmap.map.models import ArgumentMap


def map_to_json(argmap: ArgumentMap) -> str:
    """The validated map as indented JSON, field names as in the YAML."""
    return (
        json_safe(json.dumps(argmap.model_dump(mode="json"), ensure_ascii=False, indent=2)) + "\n"
    )


def report_json(report: Report) -> str:
    """The check-citations report as one JSON object."""
    return json_safe(json.dumps(report.to_json(), ensure_ascii=False, indent=2)) + "\n"
