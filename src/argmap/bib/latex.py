"""LaTeX in field values decoded to plain Unicode (pylatexenc), cheaply when there is none."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def latex_to_text(value: str) -> str:
    """Decode LaTeX (accents, braces, commands, ties, dashes) to plain Unicode; cheap when there
    is none. (A tie ``~`` is a space that does not break: whitespace is collapsed to spaces.)"""
    if "\\" not in value and "$" not in value:
        # "~" is TeX's unbreakable space ("J.~Organomet. Chem."); "--" and "---" its dashes
        if "~" in value or "--" in value:
            value = value.replace("---", "—").replace("--", "–").replace("~", " ")
        return " ".join(value.replace("{", "").replace("}", "").split())
    return " ".join(_latex_converter().latex_to_text(value).split())


@lru_cache(maxsize=1)
def _latex_converter() -> Any:
    """One pylatexenc converter: building its macro tables costs more than a conversion."""
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim")
