"""Problems as data: what a check found, where, how bad, and what to do about it."""

from __future__ import annotations

from typing import Any, NamedTuple

from argmap.base.rules import code_of
from argmap.base.severity import Severity

__all__ = ["Problem", "Severity"]


class Problem(NamedTuple):
    """One finding of a check, located in a file, ready to be rendered in any format."""

    kind: str
    severity: Severity
    source: str
    line: int | None
    message: str
    key: str | None = None
    suggestion: str | None = None
    column: int | None = None
    paragraph: int | None = None  # where a file has paragraphs, not lines (Word, OpenDocument)

    @property
    def code(self) -> str:
        """The stable code of this problem's kind (``CIT201``), from the rule registry."""
        return code_of(self.kind)

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
            "code": self.code,
            "kind": self.kind,
            "severity": str(self.severity),
            "source": self.source,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "key": self.key,
            "suggestion": self.suggestion,
            "paragraph": self.paragraph,
        }
