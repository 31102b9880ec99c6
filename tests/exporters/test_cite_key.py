"""The Markdown export's citation keys: bare where pandoc reads the whole key bare (Unicode
letters included), braced otherwise; pandoc reads each back as the key."""

from __future__ import annotations

import pytest
from pandoc_cites import pandoc_keys

from argmap.exporters.markdown import cite_key

KEYS = {
    "müller2020": "@müller2020",
    "пункт3": "@пункт3",
    "Ångström1990": "@Ångström1990",
    "_under2001": "@_under2001",
    "smith2001": "@smith2001",
    "a.b:c": "@a.b:c",
    "end.": "@{end.}",
    "-dash": "@{-dash}",
    "é-": "@{é-}",
    "two words": "@{two words}",
}


@pytest.mark.parametrize(("key", "written"), KEYS.items(), ids=list(KEYS))
def test_keys_are_bare_where_pandoc_reads_them_whole(key: str, written: str) -> None:
    assert cite_key(key) == written


def test_pandoc_reads_each_written_key_back() -> None:
    keys = [k for k in KEYS if " " not in k]  # pandoc reads no braced key with a space
    text = "; ".join(f"[{cite_key(k)}]" for k in keys) + "\n"
    assert pandoc_keys(text) == keys
