"""The entry openings pandoc may refuse are found a megabyte at a time: the same (line, type,
bracket) as one scan of the whole text, whatever the size of the blocks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from argmap.checks import citations

WHOLE = re.compile(r"^[ \t]*@([^\s{(]*)\s*([{(])", re.M)

TEXT = (
    "@article{a, title = {x}}\n"
    "  @book_section{b, title = {y}}\n"
    "@misc(c, title = {z})\n"
    "\n@{nokey}\n"
    "text @web_page{d}\n"
    "@Comment{jabref}\n"
    "\t@inproceedings (e, year = 2000)\n" * 3
)


def _whole(text: str) -> list[tuple[int, str, str]]:
    out = []
    for m in WHOLE.finditer(text):
        name, bracket = m.groups()
        if name.isalpha() and name.isascii() and bracket == "{":
            continue
        out.append((text.count("\n", 0, m.start()) + 1, name, bracket))
    return out


@pytest.mark.parametrize("chunk", [1, 7, 30, 1 << 20])
def test_openings_by_blocks_equal_one_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(TEXT, encoding="utf-8")
    monkeypatch.setattr(citations, "_CHUNK", chunk)
    found = list(citations._openings(path))
    assert found == _whole(TEXT)
    assert (2, "book_section", "{") in found and (3, "misc", "(") in found
