"""Text from users' files made safe to show or export: control characters (C0, DEL, C1) and
bidirectional overrides escaped as ``\\x1b``-style codes, and Markdown's special characters
escaped for pandoc.

Terminal output, error messages and export formats all pass user text through here, so a map, a
.bib, a manuscript or a file name can never move the cursor, recolour the terminal, hide text or
inject markup. Pure functions on ``str``; no imports beyond ``re``.
"""

from __future__ import annotations

import re

from argmap.base.patterns import lazy

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings,
# overrides and isolates that make text read differently from what it is ("Trojan Source").
_CONTROL = lazy("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same, with tab, newline and the Unicode line and paragraph separators too: for text that
# must stay on one line.
_CONTROL_LINE = lazy("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What a map's text may not hold at all: C0 controls but tab and newline, DEL and C1 controls.
_FORBIDDEN = lazy("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What json.dumps(..., ensure_ascii=False) leaves raw but a terminal or an editor acts on: DEL,
# C1 controls, the line and paragraph separators, bidirectional controls.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Characters that Markdown or pandoc would read as markup (emphasis, links, raw HTML and LaTeX,
# citations, maths, footnotes, tables, headings, entities).
_MARKDOWN = lazy(r"([\\`*_\[\]<>@$^~|#&])")


_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def char_code(char: str) -> str:
    """A character as an escape code: ``\\n``, ``\\t``, ``\\r``; else ``\\x1b`` below 256,
    ``\\u202e`` above."""
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control character but tab and newline written as its code."""
    if _CONTROL().search(text) is None:
        return text
    return _CONTROL().sub(lambda m: char_code(m.group(0)), text)


def one_line(text: str) -> str:
    """``text`` on one line: every control character, tab and newline included, as its code."""
    if _CONTROL_LINE().search(text) is None:
        return text
    return _CONTROL_LINE().sub(lambda m: char_code(m.group(0)), text)


def find_control(text: str) -> int | None:
    """The index of the first character a map's text may not hold (a control character other
    than tab and newline), or None."""
    found = _FORBIDDEN().search(text)
    return None if found is None else found.start()


def json_safe(text: str) -> str:
    """JSON text (as ``json.dumps`` with ``ensure_ascii=False`` writes it) with the characters it
    leaves raw that act on a terminal written as ``\\u`` escapes: the same JSON when read."""
    if text.isascii() and "\x7f" not in text:
        # DEL is the only such character in ASCII: two scans at C speed, where the pattern's
        # class took 3.5 ms over a 2,000-citation report
        return text
    if _JSON_RAW.search(text) is None:
        return text
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def escape_markdown(text: str) -> str:
    """``text`` on one line, pandoc Markdown's special characters backslash-escaped and control
    characters written as codes, so that it reads as plain text (raw HTML included)."""
    return _MARKDOWN().sub(r"\\\1", one_line(" ".join(text.split())))
