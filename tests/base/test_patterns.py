"""Regular expressions compiled when first used: the same pattern as ``re.compile``'s, made
once, and never made for a text that does not need it."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from argmap.base.patterns import lazy


def test_a_lazy_pattern_is_compiled_at_its_first_use_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[str] = []
    real = re.compile

    def spy(pattern: str, flags: int = 0) -> re.Pattern[str]:
        made.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(re, "compile", spy)
    get = lazy(r"n\.d\.", re.IGNORECASE)
    assert made == []
    first = get()
    assert get() is first
    assert made == [r"n\.d\."]
    assert first.pattern == r"n\.d\." and first.flags & re.IGNORECASE
    assert first.search("Smith, N.D.") is not None


# Run in a fresh interpreter (no other test has imported the scanner there), with
# ``re.compile`` watched from before the scanner is imported: scans a text, then reports the
# citations found and which of the scanner's rare patterns (the undated forms, quotations,
# "cited in") were compiled meanwhile.
_SCAN = """
import json, re, sys
made = []
real = re.compile
def spy(pattern, flags=0):
    made.append(pattern)
    return real(pattern, flags)
re.compile = spy
from argmap.citations import scanner
found = scanner.scan(sys.argv[1], latex=False)
compiled = set(made)
rare = {}
for name in ("_UNDATED_TOKEN", "_NAME_UNDATED", "_QUOTED", "_CITED_IN"):
    pattern = getattr(scanner, name)
    if not isinstance(pattern, re.Pattern):
        pattern = pattern()
    rare[name] = pattern.pattern in compiled
print(json.dumps([[[f.text, f.year] for f in found], rare]))
"""


def _scan_fresh(text: str) -> tuple[list[list[str]], dict[str, bool]]:
    out = subprocess.run(
        [sys.executable, "-c", _SCAN, text], capture_output=True, text=True, check=True
    ).stdout
    found, rare = json.loads(out)
    return found, rare


def test_a_plain_scan_compiles_none_of_the_rare_patterns() -> None:
    found, rare = _scan_fresh("As Smith (2010) and others showed (Jones, 2011).")
    assert found == [["Smith (2010)", "2010"], ["Jones, 2011", "2011"]]
    assert rare == dict.fromkeys(rare, False)


def test_an_undated_citation_compiles_its_pattern_and_is_found() -> None:
    found, rare = _scan_fresh("As shown “before” (Pérez, s.f.), and later (Smith, 2010).")
    assert found == [["Pérez, s.f.", "n.d."], ["Smith, 2010", "2010"]]
    assert rare["_UNDATED_TOKEN"] and rare["_QUOTED"]
