"""LaTeX in field values decoded to plain Unicode (pylatexenc), cheaply when there is none."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# What sends a value through pylatexenc: commands, math, ties, TeX quotes and dashes. Anything
# else only loses its braces.
_MARKUP = re.compile(r"[\\$~`]|''|--")


def latex_to_text(value: str) -> str:
    """Decode LaTeX (accents, braces, commands, quotes, dashes) to plain Unicode; no backslash,
    brace or backquote is left; cheap when there is no markup."""
    if not _MARKUP.search(value):
        return " ".join(value.replace("{", "").replace("}", "").split())
    text = _latex_converter().latex_to_text(value)
    # pylatexenc turns ``...'' into curly quotes but leaves a lone `...' (TeX's single quotes),
    # and an unknown command's stray braces or backslash, as they were.
    text = text.replace("`", "‘").replace("{", "").replace("}", "").replace("\\", "")
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _latex_converter() -> Any:
    """One pylatexenc converter: building its macro tables costs more than a conversion."""
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim")
