"""How bad a finding is (kept apart so that problems and the rule registry can both use it)."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors fail a check, warnings fail it only with --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
