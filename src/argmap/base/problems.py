"""Problems as data: what a check found, where, how bad, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a problem is: errors fail a check, warnings fail it only with --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


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
    paragraph: int | None = None  # where a file has paragraphs, not lines (Word, OpenDocument)

    def where(self) -> str:
        """``file:line``, ``file ¶paragraph`` or ``file``."""
        if self.line:
            return f"{self.source}:{self.line}"
        if self.paragraph:
            return f"{self.source} ¶{self.paragraph}"
        return self.source

    def to_json(self) -> dict[str, Any]:
        """The problem as a JSON-ready dict, with the field names of the JSON output."""
        return {
            "kind": self.kind,
            "severity": str(self.severity),
            "source": self.source,
            "line": self.line,
            "message": self.message,
            "key": self.key,
            "suggestion": self.suggestion,
            "paragraph": self.paragraph,
        }
