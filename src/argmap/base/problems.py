"""Problems as data: what a check found, where, how bad, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from argmap.base.rules import code_of
from argmap.base.severity import Severity

__all__ = ["Problem", "Severity"]


@dataclass(frozen=True)
class Problem:
    """One finding of a check, located in a file, ready to be rendered in any format."""

    kind: str
    severity: Severity
    source: str
    line: int | None
    message: str
    key: str | None = None
    suggestion: str | None = None
    column: int | None = None

    @property
    def code(self) -> str:
        """The stable code of this problem's kind (``CIT201``), from the rule registry."""
        return code_of(self.kind)

    def to_json(self) -> dict[str, Any]:
        """The problem as a JSON-ready dict, with the field names of the JSON output."""
        return {
            "code": self.code,
            "kind": self.kind,
            "severity": str(self.severity),
            "source": self.source,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "key": self.key,
            "suggestion": self.suggestion,
        }
