"""Regular expressions compiled the first time they are used.

Compiling a pattern runs Python's own parser and compiler (0.1-1 ms each): a module-level
``re.compile`` is paid on every import, whether or not the text at hand ever needs it. A
pattern that serves a rare case (an undated citation, a YAML list in front matter, a ``.bst``
file, a message of one kind) is made with ``lazy`` instead and compiled when first asked for:
a warm check of a plain manuscript compiled about a hundred patterns it never used.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def lazy(pattern: str, flags: int | re.RegexFlag = 0) -> Callable[[], re.Pattern[str]]:
    """A function giving ``re.compile(pattern, flags)``, compiled at its first call and kept."""
    compiled: re.Pattern[str] | None = None

    def get() -> re.Pattern[str]:
        nonlocal compiled
        if compiled is None:
            compiled = re.compile(pattern, flags)
        return compiled

    return get
