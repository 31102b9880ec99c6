"""LaTeX in field values decoded to plain Unicode (pylatexenc), cheaply when there is none."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def latex_to_text(value: str) -> str:
    """Decode LaTeX (accents, braces, commands) to plain Unicode; cheap when there is none."""
    if "\\" not in value and "$" not in value:
        # "~" is TeX's unbreakable space ("J.~Organomet. Chem.")
        return " ".join(value.replace("{", "").replace("}", "").replace("~", " ").split())
    return " ".join(_latex_converter().latex_to_text(value).split())


@lru_cache(maxsize=1)
def _latex_converter() -> Any:
    """One pylatexenc converter: building its macro tables costs more than a conversion."""
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim")
