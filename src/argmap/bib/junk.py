"""Text between the entries of a .bib file, as biber 2.18 reads it: its BibTeX parser (btparse)
warns "N characters of junk seen at toplevel" for the non-blank characters before an ``@``
that are neither in an entry nor in a ``%`` comment (a stray ``}``, a note written between
entries), at the line of that ``@``, and keeps every entry; text after the last entry it does
not mention. BibTeX 0.99d and pandoc (2.17, 3.9) ignore such text silently.

Only a document built with biber asks for it, so the file's text is read again then, not on
every check (the index does not look at the text between entries).
"""

from __future__ import annotations

import re


def _balanced(depth: int) -> str:
    """A ``{...}`` whose braces balance, up to ``depth`` levels (BibTeX counts every brace)."""
    inner = r"[^{}]++"
    if depth > 1:
        inner += "|" + _balanced(depth - 1)
    return r"\{(?:" + inner + r")*+\}"


# An "@", and a whole block from it: its type and its braced body (an entry, @string, @comment
# or @preamble); a block opened with a round bracket, or deeper than this, is not judged.
_AT = re.compile(r"@")
# (its brace may follow on another line or after a "%" comment: biber reads ``@book % note``
# then ``{key,`` as an entry)
_BLOCK = re.compile(r"@[ \t]*+[\w-]++(?:\s++|%[^\n]*+)*+" + _balanced(12))
# what btparse skips between blocks: whitespace and "%" comments to the end of the line
_SKIPPED = re.compile(r"%[^\n]*+|\s++")
_FIRST_AFTER_COMMENT = re.compile(r"%[^\n]*+\s*+")


def toplevel_junk(text: str) -> list[tuple[int, int, int]]:
    """Where biber warns of junk in ``text`` (a .bib file's): the 1-based line of the ``@``
    after the junk (the line biber names), the number of characters biber counts (the non-blank
    ones outside ``%`` comments) and the line the junk starts on. The text after a block this
    cannot read whole is not judged, so that a block it misreads is never taken for junk."""
    out: list[tuple[int, int, int]] = []
    counted, lines = 0, 1  # the lines up to ``counted``, counted once through the file

    def line_at(pos: int) -> int:
        nonlocal counted, lines
        lines += text.count("\n", counted, pos)
        counted = pos
        return lines

    judged_from: int | None = 0  # where the text between blocks starts; None: not judged
    resume = 0
    for at in _AT.finditer(text):
        start = at.start()
        if start < resume:
            continue  # inside the block just read
        if judged_from is not None and start > judged_from:
            gap = text[judged_from:start]
            count = len(_SKIPPED.sub("", gap))
            if count:
                first = judged_from + len(gap) - len(gap.lstrip())
                while text.startswith("%", first):  # a comment line before the junk
                    first = _FIRST_AFTER_COMMENT.match(text, first).end()  # type: ignore[union-attr]
                starts = line_at(first)
                out.append((line_at(start), count, starts))
        block = _BLOCK.match(text, start)
        if block is None:
            judged_from, resume = None, start + 1
        else:
            judged_from = resume = block.end()
    return out
